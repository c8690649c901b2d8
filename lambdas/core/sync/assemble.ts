import type { DocumentReport } from '../report';
import type { DocumentPlan, DocumentState, MachineUnit, SyncState } from './api';

/** Input of {@link assembleDocument}. */
export interface AssembleInput {
  plan: DocumentPlan;
  /** The English Markdown the plan was made from. */
  sourceMarkdown: string;
  /** The translated Markdown the plan was made from (`null` if absent). */
  translatedMarkdown: string | null;
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
  /** The document's new state (the previous one for unchanged/conflict documents). */
  state: DocumentState | null;
  report: DocumentReport;
}

/** Builds the translated document from reused, reference and machine units, and its new state. */
export function assembleDocument(_input: AssembleInput): AssembleResult {
  throw new Error('assembleDocument: work in progress (issue 7)');
}

/** The partial job input for a document: only its machine units (`toTranslateHtml(md, { only })`), or `null`. */
export function batchHtml(_plan: DocumentPlan, _sourceMarkdown: string): string | null {
  throw new Error('batchHtml: work in progress (issue 7)');
}

/**
 * The state to commit after all documents of a run are written: previous state + the assembled documents.
 * Documents not in `assembled` (not planned, conflicts, failures, orphans) keep their previous entry.
 */
export function commitRun(
  _previous: SyncState,
  _assembled: ReadonlyMap<string, DocumentState | null>,
  _runId: string,
): SyncState {
  throw new Error('commitRun: work in progress (issue 7)');
}
