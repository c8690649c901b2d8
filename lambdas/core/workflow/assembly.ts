/**
 * The decisions of the fanned-out assembly (docs/architecture.md "The state machine"): one document
 * assembled and checked ("Assemble Batch", a bounded batch at a time inside the Distributed Map
 * "Assemble Documents"), and the batches' results added up into the run report ("Assemble And Score").
 * Pure: no SDK, no environment, no clock. The artifacts between the steps are in ./assembly-files.ts.
 */
import { InvalidInputError, UnusableTranslationError } from '../errors';
import { sha256 } from '../hash';
import { readTranslatedUnits, writtenMarkdownProblems } from '../markdown';
import type { ComparisonReport, DocumentReport, DocumentScores, RunReport } from '../report';
import { machineReviewItems, withReviewItems } from '../review/items';
import { assembleDocument } from '../sync/assemble';
import { estimateCost } from '../sync/cost';
import type { DocumentState, MachineUnit } from '../sync/types';
import type { AssemblyBatchResult, AssemblyInput, AssemblySummary, ScorePair } from './assembly-files';
import { describeFailure, isRunError, unusableTranslation } from './chapter-guard';
import type { LanguagePair } from './names';
import { scoreAgainstReference } from './score';

/**
 * A document that failed (in the job or in assembly) writes nothing and keeps its previous state, so the
 * next run sends it again; nothing came back, so no unit is machine-translated and no character counts.
 */
export function failedReport(planned: DocumentReport, error: string): DocumentReport {
  return {
    ...planned,
    status: 'failed',
    charactersSent: 0,
    units: { ...planned.units, machineTranslated: 0 },
    error,
  };
}

/** The run's circumstances one document is assembled in. */
export interface AssemblyContext {
  pair: LanguagePair;
  runId: string;
  job: { jobId: string; status: string } | null;
  evaluate: boolean;
  /** Where the document is written: `translated/<tgt>/` or the evaluation's output prefix. */
  outPrefix: string;
  sentenceLevel?: boolean;
  retranslateFuzzy?: boolean;
}

/** What assembling one document decided. */
export interface DocumentOutcome {
  report: DocumentReport;
  /** The text to write (absent: nothing to write, or the document failed). */
  markdown?: string;
  /** The state to commit once written (absent: failed, keep the previous entry). */
  state?: DocumentState | null;
}

/**
 * One document: the job's output merged with reused and reference units, checked (garbage output, protected
 * content written as text), listed for review and scored. `html` is its job output (null: none came back),
 * `translatedNow` the translated file to plan against. A document that breaks the codec fails alone.
 */
export function assembleOne(
  ctx: AssemblyContext,
  input: AssemblyInput,
  html: string | null,
  translatedNow: string | null,
): DocumentOutcome {
  const file = `source/${ctx.pair.source}/${input.path}`;
  try {
    return assembleChecked(ctx, input, html, translatedNow, file);
  } catch (error) {
    if (isRunError(error)) throw error;
    return { report: failedReport(input.planned, describeFailure(error, file)) };
  }
}

function assembleChecked(
  ctx: AssemblyContext,
  input: AssemblyInput,
  html: string | null,
  translatedNow: string | null,
  file: string,
): DocumentOutcome {
  const { plan, snapshot } = input;
  let machineUnits: ReadonlyMap<string, MachineUnit> = new Map();
  if (plan.machineUnitIds.length > 0) {
    if (html === null || input.skipped !== undefined) {
      const why =
        input.skipped !== undefined
          ? `not sent: ${input.skipped}`
          : `the document failed in the job: Amazon Translate returned no translation (job ${ctx.job?.jobId ?? 'none'}, ${ctx.job?.status ?? 'no status'}; see the job's details/ output)`;
      return { report: failedReport(input.planned, why) };
    }
    machineUnits = readTranslatedUnits(snapshot.source, html, { file });
  }
  const result = assembleDocument({
    plan,
    sourceMarkdown: snapshot.source,
    translatedMarkdown: translatedNow,
    ...(snapshot.previous ? { previous: snapshot.previous } : {}),
    machineUnits,
    translatedHtml: plan.machineUnitIds.length > 0 ? html : null,
    ...(ctx.job ? { jobId: ctx.job.jobId } : {}),
    runId: ctx.runId,
    ...(ctx.sentenceLevel !== undefined ? { sentenceLevel: ctx.sentenceLevel } : {}),
    ...(ctx.retranslateFuzzy ? { retranslateFuzzy: true } : {}),
  });
  const unusable = unusableTranslation(
    plan.machineUnitIds.length,
    plan.machineUnitIds.length > 0 ? html : null,
    result,
  );
  if (unusable !== null) throw new UnusableTranslationError(`${file}: ${unusable}`);
  // The protected-content check on what is about to be written: a document holding math or code as
  // escaped text is reported failed and not written; its state is kept, so the next run sends it again.
  const damage =
    result.markdown === null
      ? []
      : writtenMarkdownProblems(snapshot.source, result.markdown, ctx.outPrefix + plan.path, translatedNow);
  if (damage.length > 0) {
    const shown = damage
      .slice(0, 5)
      .map((p) => `${p.where} ${p.detail}`)
      .join('; ');
    return {
      report: {
        ...result.report,
        status: 'failed',
        warnings: [...result.report.warnings],
        error: `not written: ${damage.length} protected item(s) would be written as escaped text (${shown})`,
      },
    };
  }
  const report: DocumentReport = { ...result.report, warnings: [...result.report.warnings] };
  if (ctx.job && result.state) {
    // Every unit this run's job translated is listed for review (beside what the sync listed).
    const machine = machineReviewItems({
      sourceMarkdown: snapshot.source,
      file,
      state: result.state,
      jobId: ctx.job.jobId,
    });
    if (machine.length > 0 || report.review) report.review = withReviewItems(report.review, machine);
  }
  if (snapshot.reference !== null && result.markdown !== null) {
    const { scores, warning } = scoreDocument(ctx.pair, input, result.markdown);
    report.scores = scores;
    if (warning) report.warnings.push(warning);
  }
  return { report, state: result.state, ...(result.markdown !== null ? { markdown: result.markdown } : {}) };
}

function scoreDocument(pair: LanguagePair, input: AssemblyInput, translated: string) {
  return scoreAgainstReference(pair, {
    path: input.path,
    source: input.snapshot.source,
    translated,
    reference: input.snapshot.reference ?? '',
  });
}

/**
 * Evaluate with `compareWithoutParallelData`: the same document from the plain-Translate baseline job,
 * scored; its units' text by id for the review page. `null` when nothing usable came back.
 */
export function assembleBaseline(
  ctx: AssemblyContext & { baselineJobId: string; plainPrefix: string },
  input: AssemblyInput,
  html: string,
): {
  markdown: string | null;
  warning?: string;
  scores: DocumentScores | null;
  texts: Map<string, string>;
} | null {
  const { plan, snapshot } = input;
  const file = `source/${ctx.pair.source}/${plan.path}`;
  const machineUnits = readTranslatedUnits(snapshot.source, html, { file });
  const result = assembleDocument({
    plan,
    sourceMarkdown: snapshot.source,
    translatedMarkdown: snapshot.translated,
    machineUnits,
    translatedHtml: html,
    jobId: ctx.baselineJobId,
    runId: ctx.runId,
  });
  if (result.markdown === null) return null;
  const damage = writtenMarkdownProblems(snapshot.source, result.markdown, ctx.plainPrefix + plan.path);
  if (damage.length > 0) {
    return {
      markdown: null,
      warning: `baseline translation not written: ${damage.length} protected item(s) would be written as escaped text (${damage[0]?.where} ${damage[0]?.detail})`,
      scores: null,
      texts: new Map(),
    };
  }
  const { scores } = scoreDocument(ctx.pair, input, result.markdown);
  const texts = new Map(
    result.state
      ? machineReviewItems({
          sourceMarkdown: snapshot.source,
          file,
          state: result.state,
          jobId: ctx.baselineJobId,
        }).map((i) => [i.unitId, i.translation] as [string, string])
      : [],
  );
  return { markdown: result.markdown, scores, texts };
}

/** Unweighted mean of one score over documents, 2 decimals; null for none. */
export function meanScore(xs: readonly ScorePair[], k: keyof ScorePair): number | null {
  return xs.length === 0 ? null : Math.round((xs.reduce((n, x) => n + x[k], 0) / xs.length) * 100) / 100;
}

/** SUCCEEDED, PARTIAL (a document failed, or the job was partial), or FAILED (failures and nothing translated). */
export function assemblyStatus(reports: readonly DocumentReport[], jobPartial: boolean): RunReport['status'] {
  const failed = reports.filter((r) => r.status === 'failed').length;
  const translated = reports.filter((r) => r.status === 'translated').length;
  return failed > 0 && translated === 0 ? 'FAILED' : failed > 0 || jobPartial ? 'PARTIAL' : 'SUCCEEDED';
}

/** The run's part of the finished assembly: everything of the report but the run's identity and times. */
export interface FinishInput {
  summary: AssemblySummary;
  results: readonly AssemblyBatchResult[];
  job: {
    jobId: string;
    status: string;
    partial?: boolean;
    baseline?: { jobId: string; done: boolean };
  } | null;
  parallelData: { name: string | null; pairs: number; updated: boolean };
  /** Evaluate: where the translations went, and where the baseline's did. */
  evaluate: { output: string; plainOutput: string } | null;
}

/**
 * The documents' reports in plan order, the characters sent (both jobs of an evaluation with a baseline
 * are billed) and their cost, the evaluation comparison and the states to commit. Throws when a batch's
 * result is missing (the Map tolerates no failure: a missing result is a broken run, not a document).
 */
export function finishAssembly(input: FinishInput): {
  documents: DocumentReport[];
  status: RunReport['status'];
  charactersSent: number;
  estimatedCostUsd: number;
  comparison: ComparisonReport | null;
  states: Map<string, DocumentState | null>;
} {
  const { summary, results, job } = input;
  const byPath = new Map<string, DocumentReport>();
  const states = new Map<string, DocumentState | null>();
  let delivered = 0;
  const compared: { act: ScorePair; plain: ScorePair }[] = [];
  for (const r of results) {
    for (const report of r.reports) byPath.set(report.path, report);
    for (const [path, state] of Object.entries(r.states)) states.set(path, state);
    delivered += r.delivered;
    compared.push(...r.compared);
  }
  const assembled = results.reduce((n, r) => n + r.reports.length, 0);
  if (assembled !== summary.items) {
    throw new InvalidInputError(
      `assembly of run ${summary.runId}: ${assembled} of ${summary.items} document(s) have a result`,
    );
  }
  const rest = new Map(summary.reports.map((r) => [r.path, r]));
  const documents: DocumentReport[] = [];
  for (const path of summary.order) {
    const r = byPath.get(path) ?? rest.get(path);
    if (r) documents.push(r);
  }
  const inOrder = new Set(summary.order);
  for (const r of summary.reports) if (!inOrder.has(r.path)) documents.push(r);
  const baseline = job?.baseline;
  const charactersSent = job ? delivered * (baseline ? 2 : 1) : 0;
  const cost = job
    ? estimateCost(delivered, { act: input.parallelData.name !== null }).usd +
      (baseline ? estimateCost(delivered, { act: false }).usd : 0)
    : 0;
  // One side of the comparison: its job, its mean scores, and the characters it was sent.
  const side = (jobId: string, scores: readonly ScorePair[]) => ({
    jobId,
    bleu: meanScore(scores, 'bleu'),
    chrf: meanScore(scores, 'chrf'),
    charactersSent: delivered,
  });
  const comparison: ComparisonReport | null =
    input.evaluate && job && baseline?.done
      ? {
          documents: compared.length,
          note: 'unweighted mean of the document scores',
          withParallelData: side(
            job.jobId,
            compared.map((c) => c.act),
          ),
          withoutParallelData: side(
            baseline.jobId,
            compared.map((c) => c.plain),
          ),
          output: input.evaluate.plainOutput,
        }
      : null;
  return {
    documents,
    status: assemblyStatus(documents, job?.partial === true),
    charactersSent,
    estimatedCostUsd: Math.round(cost * 100) / 100,
    comparison,
    states,
  };
}

/**
 * The characters the job was sent for the documents that came back (a failed one counts none), so the
 * documents' figures add up to the run's. With an evaluation's baseline job, each delivered document
 * was sent twice: its `charactersSent` counts both and `charactersSentWithoutParallelData` the baseline.
 */
export function deliveredCharacters(
  reports: DocumentReport[],
  documents: readonly Pick<AssemblyInput, 'path' | 'characters'>[],
  baseline: boolean,
): number {
  const sent = new Map(
    documents.flatMap((d) => (d.characters === undefined ? [] : [[d.path, d.characters] as const])),
  );

  let delivered = 0;
  for (const report of reports) {
    const characters = sent.get(report.path);
    if (characters === undefined || report.status === 'failed') continue;
    delivered += characters;
    if (baseline) {
      report.charactersSentWithoutParallelData = characters;
      report.charactersSent = characters * 2;
    }
  }
  return delivered;
}

/** A file "Assemble Batch" writes through its write-ahead log (see lambdas/aws/assembly-log). */
export interface BatchWrite {
  path: string;
  before: string | null;
  after: string;
  markdown: string;
  state: DocumentState | null;
  etag: string | null;
  conflict?: boolean;
}

/**
 * The write of an assembled document: the file as it is now (`now`, with its ETag) is replaced only if
 * still the same at write time; a forced rewrite never looks at the file, so a human edit made since the
 * plan is a conflict.
 */
export function batchWrite(
  input: AssemblyInput,
  outcome: { markdown: string; state?: DocumentState | null },
  now: { text: string; etag: string } | null,
): BatchWrite {
  return {
    path: input.path,
    before: now === null ? null : sha256(now.text),
    after: sha256(outcome.markdown),
    markdown: outcome.markdown,
    state: outcome.state ?? null,
    etag: now?.etag ?? null,
    ...(input.plan.forced && (now?.text ?? null) !== input.snapshot.translated ? { conflict: true } : {}),
  };
}

/** A document whose file a human changed while the batch assembled it: failed, their version kept. */
export function conflictReport(report: DocumentReport, file: string, machineUri: string): DocumentReport {
  return failedReport(
    report,
    `${file} was changed by someone else while this run assembled it: their version is kept; this run's version is ${machineUri} (merge by hand)`,
  );
}

/** Puts the baseline job's translation of a document beside its report (scores, review texts, comparison). */
export function withBaseline(
  report: DocumentReport,
  plain: NonNullable<ReturnType<typeof assembleBaseline>>,
  compared: { act: ScorePair; plain: ScorePair }[],
): void {
  if (plain.warning) report.warnings.push(plain.warning);
  if (plain.markdown === null) return;
  report.scoresWithoutParallelData = plain.scores;
  for (const item of report.review ?? []) {
    const text = plain.texts.get(item.unitId);
    if (text !== undefined) item.withoutParallelData = text;
  }
  if (plain.scores && report.scores) compared.push({ act: report.scores, plain: plain.scores });
}

/** An empty result of one batch of run `runId`. */
export function emptyBatchResult(runId: string): AssemblyBatchResult {
  return { version: 1, runId, reports: [], states: {}, delivered: 0, compared: [], logged: false };
}

/** The run report of a finished assembly (docs/architecture.md "Run report": fields added, none renamed). */
export function assemblyReport(input: {
  runId: string;
  pair: string;
  finishedAt: string;
  summary: AssemblySummary;
  done: ReturnType<typeof finishAssembly>;
  job: { jobId: string; status: string } | null;
  parallelData: { name: string | null; pairs: number; updated: boolean };
  /** Evaluate: where the machine translations were written. */
  evaluationOutput: string | null;
}): RunReport {
  const { summary, done, parallelData } = input;
  const evaluation: Partial<RunReport> =
    input.evaluationOutput === null
      ? {}
      : {
          mode: 'evaluate',
          evaluationOutput: input.evaluationOutput,
          ...(done.comparison ? { comparison: done.comparison } : {}),
          warnings: [
            'evaluate: documents machine translated in full and scored against reference/; translated/ and the sync state are unchanged',
            ...(parallelData.name
              ? [
                  'the parallel data contains these documents’ own reference pairs, so ACT scores are optimistic',
                ]
              : []),
          ],
        };
  const report: RunReport = {
    runId: input.runId,
    pair: input.pair,
    status: done.status,
    startedAt: summary.startedAt,
    finishedAt: input.finishedAt,
    parallelData: parallelData.name
      ? { name: parallelData.name, pairs: parallelData.pairs, updated: parallelData.updated }
      : null,
    job: input.job ? { jobId: input.job.jobId, status: input.job.status } : null,
    charactersSent: done.charactersSent,
    estimatedCostUsd: done.estimatedCostUsd,
    documents: done.documents,
    // Extra fields: what started the run.
    trigger: summary.request.trigger,
    changedDocuments: summary.request.changedDocuments,
    ...evaluation,
  };
  if (summary.recovered?.length) report.warnings = [...summary.recovered, ...(report.warnings ?? [])];
  return report;
}

/**
 * A document whose file a human changed while the batch assembled it: failed, their version kept, this
 * run's version at `machineUri`; its state is not committed (sent again next run).
 */
export function markConflict(
  result: AssemblyBatchResult,
  path: string,
  file: string,
  machineUri: string,
): void {
  delete result.states[path];
  const i = result.reports.findIndex((r) => r.path === path);
  const report = result.reports[i];
  if (report) result.reports[i] = conflictReport(report, file, machineUri);
}
