import type { Segment } from '../markdown/types';
import type { DocumentPlan, DocumentState, RunPlan, SyncState } from './api';

/** Input of {@link planDocument}: the codec segments of the current English source and translated file. */
export interface PlanDocumentInput {
  /** Path relative to `source/<src>/`. */
  path: string;
  /** `extractSegments(sourceMarkdown)` of the current English document. */
  source: readonly Segment[];
  /** The current English Markdown (for the document hash). */
  sourceMarkdown: string;
  /** `extractSegments(translatedMarkdown)` of `translated/<tgt>/<path>` as it stands now; `null` if absent. */
  translated: readonly Segment[] | null;
  /** The current translated Markdown, `null` if absent. */
  translatedMarkdown: string | null;
  /** English unit text (`Segment.text`) → human translation (target unit Markdown) from the reference alignment. */
  referencePairs?: ReadonlyMap<string, string>;
  /** What was last written for this document; absent on the first run. */
  previous?: DocumentState;
}

/** Decides, unit by unit, what a run does with one document. */
export function planDocument(_input: PlanDocumentInput): DocumentPlan {
  throw new Error('planDocument: work in progress (issue 7)');
}

/** Input of {@link planRun}. */
export interface PlanRunInput {
  pair: string;
  state: SyncState;
  /** Every English document of the pair (or the ones requested by `documents` in the run input). */
  documents: readonly Omit<PlanDocumentInput, 'previous'>[];
  /** Paths present under `translated/<tgt>/` (to report orphans that have no state entry). */
  translatedPaths?: readonly string[];
  /** Global reference alignment, used for documents that bring no `referencePairs` of their own. */
  referencePairs?: ReadonlyMap<string, string>;
  /** Whether the job would use parallel data (ACT): selects the price shown first. */
  act?: boolean;
}

/** Plans a whole run: every document, orphans, characters and cost. */
export function planRun(_input: PlanRunInput): RunPlan {
  throw new Error('planRun: work in progress (issue 7)');
}
