/**
 * Assembly: the translated document = the English skeleton (code, math, markup byte-identical) with every
 * unit replaced by its target, and human edits between units carried over; plus the state to commit.
 */
import { InvalidInputError } from '../errors';
import { extractSegments, toTranslateHtml } from '../markdown';
import type { DocumentReport } from '../report';
import type { DocumentPlan, DocumentState, MachineUnit, SyncState, UnitOrigin, UnitState } from './api';
import { gapHash, planDocument, sha256 } from './plan';
import { documentReportFromPlan } from './report';

/** Input of {@link assembleDocument}. */
export interface AssembleInput {
  plan: DocumentPlan;
  /** The English Markdown the plan was made from. */
  sourceMarkdown: string;
  /**
   * The translated file as it stands NOW (read again after the job: a human may have edited it while the
   * job ran; the document is then re-planned against it so that the edit is kept). `null` if absent.
   */
  translatedMarkdown: string | null;
  /** The document's state the plan was made from (`undefined` on the first run). */
  previous?: DocumentState;
  /** `readTranslatedUnits(sourceMarkdown, jobOutputHtml)` for the plan's machine units (empty map if no job). */
  machineUnits: ReadonlyMap<string, MachineUnit>;
  /** Job that produced `machineUnits`. */
  jobId?: string;
  runId: string;
}

/** Result of {@link assembleDocument}. */
export interface AssembleResult {
  /** The new translated document; `null` when the file must not be written (unchanged or conflict). */
  markdown: string | null;
  /** The document's new state; `null` to keep the previous entry as it is. */
  state: DocumentState | null;
  report: DocumentReport;
}

function stripBom(text: string): { bom: string; body: string } {
  return text.startsWith('\uFEFF') ? { bom: '\uFEFF', body: text.slice(1) } : { bom: '', body: text };
}

/** Re-plans a document against the translated file as it is now, keeping the plan's reference choices. */
function replan(input: AssembleInput): DocumentPlan {
  const { plan } = input;
  const references = new Map<string, string>();
  for (const u of plan.units)
    if (u.action === 'reference' && u.targetMarkdown) references.set(u.sourceText, u.targetMarkdown);
  const fresh = planDocument({
    path: plan.path,
    sourceMarkdown: input.sourceMarkdown,
    source: extractSegments(input.sourceMarkdown, { file: `source/${plan.path}` }),
    translatedMarkdown: input.translatedMarkdown,
    translated:
      input.translatedMarkdown === null
        ? null
        : extractSegments(input.translatedMarkdown, { file: `translated/${plan.path}` }),
    referencePairs: references,
    ...(input.previous ? { previous: input.previous } : {}),
  });
  fresh.warnings.unshift(
    `translated/${plan.path} changed while the job ran: re-planned against the current file`,
  );
  // What was sent is what was sent, whatever the new plan would send.
  fresh.charactersSent = plan.charactersSent;
  return fresh;
}

/** Builds the translated document from reused, reference and machine units, and its new state. */
export function assembleDocument(input: AssembleInput): AssembleResult {
  if (sha256(input.sourceMarkdown) !== input.plan.sourceDocumentHash) {
    throw new InvalidInputError(
      `${input.plan.path}: the English document differs from the one the plan was made from (plan and source of different runs?)`,
    );
  }
  const nowHash = input.translatedMarkdown === null ? null : sha256(input.translatedMarkdown);
  const plan =
    input.plan.forced || nowHash === input.plan.translatedDocumentHash ? input.plan : replan(input);
  const report = documentReportFromPlan(plan);
  if (plan.status !== 'translate') return { markdown: null, state: null, report };

  const { bom, body } = stripBom(input.sourceMarkdown);
  const overrides = new Map(plan.gapOverrides.map((g) => [g.index, g.markdown]));
  const gaps: string[] = [];
  /** The English stretches (the base of the next run's three-way comparison), whatever was written. */
  const sourceGaps: string[] = [];
  const targets: string[] = [];
  const units: UnitState[] = [];
  let machineTranslated = 0;
  let cursor = 0;
  plan.units.forEach((u, i) => {
    sourceGaps.push(body.slice(cursor, u.start));
    gaps.push(overrides.get(i) ?? (sourceGaps[i] as string));
    cursor = u.end;
    let target: string;
    let origin: UnitOrigin;
    let jobId: string | undefined;
    if (u.action === 'machine') {
      const got = input.machineUnits.get(u.unitId);
      if (got && got.problems.length === 0) {
        target = got.markdown;
        origin = 'machine';
        jobId = input.jobId;
        machineTranslated++;
      } else {
        target = body.slice(u.start, u.end);
        origin = 'source-fallback';
        report.warnings.push(
          got
            ? `unit ${u.unitId}: the translation damaged protected content (${got.problems.map((p) => `${p.where} ${p.kind}: ${p.detail}`).join('; ')}); the English is kept and the unit is sent again next run`
            : `unit ${u.unitId}: missing from the job output; the English is kept and the unit is sent again next run`,
        );
      }
    } else {
      target = u.targetMarkdown ?? body.slice(u.start, u.end);
      origin = u.origin ?? 'machine';
      jobId = u.jobId;
    }
    targets.push(target);
    const unit: UnitState = {
      sourceHash: u.sourceHash,
      sourceText: u.sourceText,
      kind: u.kind,
      targetMarkdown: target,
      origin,
    };
    if (jobId) unit.jobId = jobId;
    units.push(unit);
  });
  sourceGaps.push(body.slice(cursor));
  gaps.push(overrides.get(plan.units.length) ?? (sourceGaps[plan.units.length] as string));
  const unexpected = [...input.machineUnits.keys()].filter((id) => !plan.machineUnitIds.includes(id));
  if (unexpected.length > 0) {
    report.warnings.push(
      `job output has units that were not requested, ignored: ${unexpected.slice(0, 10).join(', ')}`,
    );
  }

  let markdown = bom;
  targets.forEach((t, i) => {
    markdown += gaps[i] + t;
  });
  markdown += gaps[targets.length];
  report.units.machineTranslated = machineTranslated;
  const fallback = plan.machineUnitIds.length - machineTranslated;
  if (fallback > 0) report.warnings.push(`${fallback} unit(s) kept in English (source fallback)`);
  return {
    markdown,
    state: {
      units,
      runId: input.runId,
      sourceDocumentHash: plan.sourceDocumentHash,
      gapHashes: sourceGaps.map(gapHash),
    },
    report,
  };
}

/** The partial job input for a document: only its machine units (`toTranslateHtml(md, { only })`), or `null`. */
export function batchHtml(plan: DocumentPlan, sourceMarkdown: string, lang?: string): string | null {
  if (plan.machineUnitIds.length === 0) return null;
  if (sha256(sourceMarkdown) !== plan.sourceDocumentHash) {
    throw new InvalidInputError(
      `${plan.path}: the English document differs from the one the plan was made from`,
    );
  }
  return toTranslateHtml(sourceMarkdown, {
    file: `source/${plan.path}`,
    only: new Set(plan.machineUnitIds),
    ...(lang ? { lang } : {}),
  });
}

/**
 * The state to commit once all documents of a run are written: the previous state with the assembled
 * documents replaced. Documents absent from `assembled` or mapped to `null` (unchanged, conflicts, failures,
 * orphans) keep their previous entry: nothing is ever dropped from the state.
 */
export function commitRun(
  previous: SyncState,
  assembled: ReadonlyMap<string, DocumentState | null>,
  runId: string,
): SyncState {
  const documents: Record<string, DocumentState> = { ...previous.documents };
  for (const [path, state] of assembled) if (state) documents[path] = state;
  return { ...previous, lastRunId: runId, documents };
}
