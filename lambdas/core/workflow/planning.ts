/**
 * The fanned-out planning (docs/architecture.md "S3 layout", `work/<pair>/<runId>/plan/`): "Plan" decides
 * from the listings which documents to read and writes them as the Distributed Map's items, with the
 * run (`run.json`: what every batch needs) and the context (`context.json`: what only the finisher needs);
 * each "Plan Batch" reads and plans a bounded batch of documents and writes its result; "Finish Plan"
 * combines the results into `plan.json`. Shapes, keys, the selection and the split and combination of a
 * plan (pure: no SDK, no clock). The per-document decisions are core/sync/plan.ts.
 */
import { z } from 'zod';
import { capList } from '../cap';
import { InvalidInputError } from '../errors';
import type { RunReport } from '../report';
import {
  changedDocuments,
  type DocumentListing,
  DocumentListingSchema,
  documentListing,
  type PairListing,
  type SettledDocument,
  SettledDocumentSchema,
  settledChanges,
  withSettled,
} from '../sync/changes';
import { planOneDocument, runPlanOf } from '../sync/plan';
import { isOriginPath, originPathOf, staleReferenceUnits } from '../sync/reference';
import type { StateIndex } from '../sync/state-index';
import type { DocumentPlan, DocumentState } from '../sync/types';
import {
  type DocumentFailure,
  DocumentFailureSchema,
  describeFailure,
  failedDocumentReport,
  isRunError,
  runStatusOf,
} from './chapter-guard';
import { type ExecutionRequest, ExecutionRequestSchema } from './input';
import { type LanguagePair, pairId, workPrefix } from './names';
import { PairSchema, type PlanItem } from './payload';
import { type DocumentTexts, planDocumentInput } from './plan-documents';
import {
  DocumentPlanSchema,
  type DocumentSnapshot,
  DocumentSnapshotSchema,
  type PlanFile,
} from './plan-file';

/** Documents per "Plan Batch" invocation (ItemBatcher.MaxItemsPerBatch of "Plan Documents"; a test ties them). */
export const PLAN_BATCH_SIZE = 25;

const prefix = (pair: LanguagePair, runId: string) => `${workPrefix(pair, runId)}plan/`;
/** The Distributed Map's items: a JSON array of {@link PlanItem}. */
export const planItemsKey = (pair: LanguagePair, runId: string) => `${prefix(pair, runId)}items.json`;
export const planRunKey = (pair: LanguagePair, runId: string) => `${prefix(pair, runId)}run.json`;
export const planContextKey = (pair: LanguagePair, runId: string) => `${prefix(pair, runId)}context.json`;
export const planResultKey = (pair: LanguagePair, runId: string, first: number) =>
  `${prefix(pair, runId)}result/${first}.json`;
export const planResultPrefix = (pair: LanguagePair, runId: string) => `${prefix(pair, runId)}result/`;

/** `plan/run.json`: what every batch and the finisher need of the run. */
export const PlanRunSchema = z
  .object({
    version: z.literal(1),
    runId: z.string().min(1),
    pair: PairSchema,
    startedAt: z.string().min(1),
    request: ExecutionRequestSchema,
    /** What Plan did to finish an earlier run's interrupted assembly (run-level report warnings). */
    recovered: z.array(z.string()).optional(),
  })
  .strict();
export type PlanRun = z.infer<typeof PlanRunSchema>;

/** `plan/context.json`: what the finisher needs besides the batches' results. */
export const PlanContextSchema = z
  .object({
    version: z.literal(1),
    runId: z.string().min(1),
    /** ETag of the state index Plan read (`null`: no state yet): the index commit is conditional on it. */
    indexEtag: z.string().nullable(),
    /** The documents given to the batches, in item order. */
    read: z.array(z.string().min(1)),
    /** The listing of each document read (absent: not known from the listing). */
    listings: z.record(DocumentListingSchema),
    /** What the index recorded of each document read (absent: never settled). */
    known: z.record(SettledDocumentSchema),
    /** The documents whose recorded plan still holds: not read. */
    settled: z.record(SettledDocumentSchema),
    sourcePaths: z.array(z.string()),
    translatedPaths: z.array(z.string()),
    statePaths: z.array(z.string()),
    /** Whether the pair has references (the job would use parallel data: the price of the plan's cost). */
    act: z.boolean(),
  })
  .strict();
export type PlanContext = z.infer<typeof PlanContextSchema>;

/** `plan/result/<first index>.json`: one batch's documents, planned. */
export const PlanBatchResultSchema = z
  .object({
    version: z.literal(1),
    runId: z.string().min(1),
    /** The items this batch was given (every one is planned or failed). */
    paths: z.array(z.string().min(1)),
    documents: z.array(DocumentPlanSchema),
    /** Snapshots of the documents with status `translate`. */
    snapshots: z.record(DocumentSnapshotSchema),
    failed: z.array(DocumentFailureSchema),
    staleUnits: z.record(z.array(z.string())),
  })
  .strict();
export type PlanBatchResult = z.infer<typeof PlanBatchResultSchema>;

/** Parses an artifact of the fanned-out planning read back from S3; InvalidInputError naming the field. */
export function parsePlanArtifact<T extends { runId: string }>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  value: unknown,
  where: string,
  runId: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new InvalidInputError(
      `${where}: not an AMTS planning artifact${at}: ${issue?.message ?? 'invalid'}`,
    );
  }
  if (parsed.data.runId !== runId) {
    throw new InvalidInputError(`${where}: of run ${parsed.data.runId}, expected ${runId}`);
  }
  return parsed.data;
}

/** Which documents to plan: the requested ones (each must exist), or every English document. */
export function selectDocuments(request: ExecutionRequest, sourcePaths: readonly string[]): string[] {
  const requested = request.options.documents;
  if (requested === null) return [...sourcePaths];
  const known = new Set(sourcePaths);
  const missing = requested.filter((d) => !known.has(d));
  if (missing.length > 0) {
    throw new InvalidInputError(
      `input.documents: ${missing.length === 1 ? '' : `${missing.length} documents `}${capList(missing.map((m) => JSON.stringify(m)))} not found under source/ (${sourcePaths.length} document(s) there)`,
    );
  }
  return [...requested].sort();
}

/**
 * Evaluate mode: the documents that have a human reference (the requested ones must all have one);
 * they are machine translated in full and scored, nothing is written to translated/.
 */
export function selectEvaluated(
  request: ExecutionRequest,
  sourcePaths: readonly string[],
  referencePaths: ReadonlySet<string>,
): string[] {
  const selected = selectDocuments(request, sourcePaths);
  if (request.options.documents !== null) {
    const without = selected.filter((d) => !referencePaths.has(d));
    if (without.length > 0) {
      throw new InvalidInputError(
        `input.documents: ${capList(without.map((d) => JSON.stringify(d)))} ha${without.length === 1 ? 's' : 've'} no reference/ translation to evaluate against`,
      );
    }
    return selected;
  }
  return selected.filter((d) => referencePaths.has(d));
}

/**
 * "Plan" after the lock: from the listings and the index, which documents the run covers (selection),
 * which of them must be read and planned (their listing changed, or the input names them, or all under
 * force or evaluate) — the Distributed Map's items — and what the finisher needs besides the batches'
 * results. A document whose recorded plan still holds costs nothing but its listing.
 */
export function decidePlanning(input: {
  run: PlanRun;
  index: Pick<StateIndex, 'documents'>;
  indexEtag: string | null;
  objects: PairListing;
  originPattern: string;
}): { items: PlanItem[]; context: PlanContext } {
  const { run, objects, originPattern } = input;
  const request = run.request;
  const evaluate = request.options.mode === 'evaluate';
  const sourcePaths = [...objects.source.keys()];
  // `<name>_origin.md` beside a reference is the English it was translated from, not a reference.
  const referenceListing = [...objects.reference.keys()];
  const originPaths = new Set(referenceListing.filter((p) => isOriginPath(p, originPattern)));
  const referencePaths = new Set(referenceListing.filter((p) => !originPaths.has(p)));
  const selected = evaluate
    ? selectEvaluated(request, sourcePaths, referencePaths)
    : selectDocuments(request, sourcePaths);
  const listings = new Map<string, DocumentListing>();
  for (const path of selected) {
    const listing = documentListing(path, objects, originPathOf(path, originPattern));
    if (listing) listings.set(path, listing);
  }
  const known = new Map(
    Object.entries(input.index.documents).flatMap(([p, e]) => (e.settled ? [[p, e.settled] as const] : [])),
  );
  const { read, settled } = changedDocuments({
    selected,
    listings,
    settled: known,
    mustRead: new Set(request.options.documents ?? []),
    readAll: request.options.force || evaluate,
  });
  const items = read.map((path, index) => {
    const hasReference = referencePaths.has(path);
    const origin = originPathOf(path, originPattern);
    return {
      index,
      path,
      translated: !evaluate && objects.translated.has(path),
      reference: hasReference,
      origin: hasReference && !evaluate && originPaths.has(origin) ? origin : null,
    };
  });
  const pick = <T>(map: ReadonlyMap<string, T>): Record<string, T> =>
    Object.fromEntries(read.flatMap((p) => (map.has(p) ? [[p, map.get(p) as T]] : [])));
  const context: PlanContext = {
    version: 1,
    runId: run.runId,
    indexEtag: input.indexEtag,
    read,
    listings: pick(listings),
    known: pick(known),
    settled: Object.fromEntries(settled),
    sourcePaths,
    translatedPaths: [...objects.translated.keys()],
    statePaths: Object.keys(input.index.documents),
    act: referencePaths.size > 0,
  };
  return { items, context };
}

/** One document of a batch as read: its texts, or why they could not be read; `null`: deleted since the listing. */
export type BatchDocument = { path: string; texts: DocumentTexts | null } | { path: string; error: unknown };

/**
 * "Plan Batch": plans each document of a batch against its state entry. A document that cannot be
 * read, parsed or planned fails alone (named, with the reason); a run-level error propagates.
 */
export function planBatch(
  run: PlanRun,
  documents: readonly BatchDocument[],
  previous: Readonly<Record<string, DocumentState>>,
): PlanBatchResult {
  const options = run.request.options;
  const evaluate = options.mode === 'evaluate';
  const planned: DocumentPlan[] = [];
  const failed: DocumentFailure[] = [];
  const texts = new Map<string, DocumentTexts>();
  const src = `source/${run.pair.source}/`;
  const isolate = (path: string, where: string, step: () => void) => {
    try {
      step();
    } catch (error) {
      if (isRunError(error)) throw error;
      failed.push({ path, error: describeFailure(error, where) });
    }
  };
  for (const doc of documents) {
    if ('error' in doc) {
      isolate(doc.path, src + doc.path, () => {
        throw doc.error;
      });
      continue;
    }
    const t = doc.texts;
    if (t === null) continue; // deleted since the listing
    let input: ReturnType<typeof planDocumentInput> | undefined;
    isolate(doc.path, src + doc.path, () => {
      input = planDocumentInput(run.pair, t, { evaluate });
    });
    if (!input) continue;
    const ready = input;
    isolate(doc.path, `source/${doc.path}`, () => {
      planned.push(
        planOneDocument(ready, previous[doc.path], {
          pair: pairId(run.pair),
          force: options.force || evaluate,
          sentenceLevel: options.sentenceLevel,
          retranslateFuzzy: options.retranslateFuzzy,
        }),
      );
      texts.set(doc.path, t);
    });
  }
  const snapshots: Record<string, DocumentSnapshot> = {};
  for (const d of planned) {
    const t = texts.get(d.path);
    if (d.status !== 'translate' || !t) continue;
    const before = d.forced ? undefined : previous[d.path];
    const snapshot = { source: t.source, translated: t.translated, reference: t.reference };
    snapshots[d.path] = before ? { ...snapshot, previous: before } : snapshot;
  }
  const states = Object.fromEntries(
    documents.flatMap((d) => (previous[d.path] ? [[d.path, previous[d.path] as DocumentState]] : [])),
  );
  return {
    version: 1,
    runId: run.runId,
    paths: documents.map((d) => d.path),
    documents: planned,
    snapshots,
    failed,
    staleUnits: staleReferenceUnits(planned, { documents: states }),
  };
}

/**
 * "Finish Plan": the batches' results combined into the run's plan file (every document read must be
 * in exactly one result: nothing planned is lost), and the index changes it implies (what was found up
 * to date; applied only by a run that writes). `stateEtag` is the index ETag after those changes.
 */
export function combinePlan(
  run: PlanRun,
  context: PlanContext,
  results: readonly PlanBatchResult[],
): { file: Omit<PlanFile, 'stateEtag'>; changes: Map<string, SettledDocument | null> } {
  const given = results.flatMap((r) => r.paths);
  const seen = new Set(given);
  const missing = context.read.filter((p) => !seen.has(p));
  if (missing.length > 0 || given.length !== context.read.length) {
    throw new InvalidInputError(
      `plan of run ${run.runId}: the batches' results cover ${given.length} document(s) of the ${context.read.length} read${missing.length > 0 ? `; missing: ${capList(missing)}` : ' (one given twice)'}`,
    );
  }
  const failures = results.flatMap((r) => r.failed);
  const planned = runPlanOf(
    pairId(run.pair),
    results.flatMap((r) => r.documents),
    {
      sourcePaths: context.sourcePaths,
      statePaths: context.statePaths,
      translatedPaths: context.translatedPaths,
    },
  );
  const settled = new Map(Object.entries(context.settled));
  const staleUnits: Record<string, string[]> = Object.assign({}, ...results.map((r) => r.staleUnits));
  for (const [path, s] of settled) if (s.staleUnits.length > 0) staleUnits[path] = [...s.staleUnits];
  const changes = settledChanges({
    plan: planned,
    read: context.read,
    listings: new Map(Object.entries(context.listings)),
    known: new Map(Object.entries(context.known)),
    staleUnits,
  });
  const plan = withSettled(planned, settled);
  if (failures.length > 0) {
    plan.report.push(...failures.map(failedDocumentReport));
    plan.report.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  const file: Omit<PlanFile, 'stateEtag'> = {
    version: 1,
    runId: run.runId,
    pair: run.pair,
    startedAt: run.startedAt,
    request: run.request,
    plan,
    snapshots: Object.assign({}, ...results.map((r) => r.snapshots)),
    ...(failures.length > 0 ? { failed: failures } : {}),
    staleReferenceUnits: staleUnits,
    ...(run.recovered?.length ? { recovered: run.recovered } : {}),
  };
  return { file, changes };
}

/** Whether the index learns from this plan (a dry run or an evaluation writes nothing to the sync state). */
export function writesState(request: ExecutionRequest): boolean {
  return !request.options.dryRun && request.options.mode !== 'evaluate';
}

/** The counts of the plan the workflow carries (`$.plan`). */
export function planCounts(file: Pick<PlanFile, 'plan' | 'request'>) {
  const options = file.request.options;
  return {
    mode: options.mode,
    ...(options.compareWithoutParallelData ? { compareWithoutParallelData: true } : {}),
    documents: file.plan.documents.length,
    machineDocuments: file.plan.machineDocuments.length,
    charactersSent: file.plan.charactersSent,
  };
}

/** Whether the run ends with the plan: a dry run, or nothing to write. */
export function endsWithPlan(file: Pick<PlanFile, 'plan' | 'request'>): boolean {
  return file.request.options.dryRun || !file.plan.documents.some((d) => d.status === 'translate');
}

export const DRY_RUN_WARNING =
  'dry run: nothing was sent to Amazon Translate and nothing written to translated/ or the sync state; this report (and its review page) is all a dry run writes';

/** The report of a run that ends with its plan (dry run, nothing to do). */
export function planReport(file: PlanFile, act: boolean, finishedAt: string): RunReport {
  const dry = file.request.options.dryRun;
  const cost = act ? file.plan.cost.act : file.plan.cost.standard;
  return {
    runId: file.runId,
    pair: pairId(file.pair),
    status: runStatusOf(file.plan.report),
    startedAt: file.startedAt,
    finishedAt,
    parallelData: null,
    job: null,
    charactersSent: dry ? file.plan.charactersSent : 0,
    estimatedCostUsd: dry ? cost.usd : 0,
    documents: file.plan.report,
    dryRun: dry,
    ...{ trigger: file.request.trigger, changedDocuments: file.request.changedDocuments },
    warnings: [...(file.recovered ?? []), ...(dry ? [DRY_RUN_WARNING] : [])],
  };
}

/** The notification of a run that ends with its plan: outcome, subject and message. */
export function planNotification(
  file: PlanFile,
  report: RunReport,
  failureLine: string,
  reportUri: string,
): { outcome: 'DRY_RUN' | 'NOTHING_TO_DO' | 'PARTIAL' | 'FAILED'; subject: string; message: string } {
  const dry = file.request.options.dryRun;
  const status = report.status;
  const id = pairId(file.pair);
  const failedLine = failureLine ? `\n${failureLine}` : '';
  const outcome = dry ? 'DRY_RUN' : status === 'SUCCEEDED' ? 'NOTHING_TO_DO' : status;
  return {
    outcome,
    subject: `AMTS ${id} ${dry ? 'dry run' : status === 'SUCCEEDED' ? 'nothing to do' : status}`,
    message: dry
      ? `Dry run ${file.runId}: ${file.plan.machineDocuments.length} document(s) would be sent, ${file.plan.charactersSent} characters, about $${report.estimatedCostUsd}.${failedLine}\nReport: ${reportUri}`
      : `Run ${file.runId}: every ${file.failed?.length ? 'readable ' : ''}document is up to date; no job was started.${failedLine}\nReport: ${reportUri}`,
  };
}
