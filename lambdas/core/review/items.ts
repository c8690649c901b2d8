/**
 * Review items a run produces itself: every unit machine-translated in this run (kind `machine`).
 * Stale, fuzzy, conflicting and weakly aligned units are listed by the sync (lambdas/core/sync).
 */
import { extractSegments } from '../markdown';
import type { ReviewItem } from '../report';
import type { DocumentState } from '../sync/api';

/** Input of {@link machineReviewItems}. */
export interface MachineReviewInput {
  /** The English document the translation was assembled from. */
  sourceMarkdown: string;
  /** Label for codec errors, e.g. `source/en/ch/a.md`. */
  file: string;
  /** The document's state as assembled in this run (units in source order). */
  state: DocumentState;
  /** This run's job: units it translated are listed (earlier runs' machine units were listed then). */
  jobId: string;
}

/**
 * One `machine` item per unit whose text came from this run's job, in source order, with the unit's
 * English Markdown, its translation and its 1-based line in the English file.
 */
export function machineReviewItems(input: MachineReviewInput): ReviewItem[] {
  const segments = extractSegments(input.sourceMarkdown, { file: input.file });
  const items: ReviewItem[] = [];
  input.state.units.forEach((unit, i) => {
    const seg = segments[i];
    if (!seg || unit.origin !== 'machine' || unit.jobId !== input.jobId) return;
    items.push({
      unitId: seg.id,
      kind: 'machine',
      reason: `machine-translated in this run (job ${input.jobId}); no human has read it yet`,
      line: seg.start.line,
      source: seg.markdown,
      translation: unit.targetMarkdown,
    });
  });
  return items;
}

/** Adds `items` to a document's review list, leaving out units already listed (e.g. by the sync as stale). */
export function withReviewItems(
  existing: readonly ReviewItem[] | undefined,
  items: readonly ReviewItem[],
): ReviewItem[] {
  const listed = new Set((existing ?? []).map((i) => i.unitId));
  const merged = [...(existing ?? []), ...items.filter((i) => !listed.has(i.unitId))];
  return merged.sort((a, b) => a.line - b.line || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
}
