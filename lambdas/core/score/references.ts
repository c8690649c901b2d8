import { InvalidInputError } from '../errors';
import type { NRefs } from './signature';

/**
 * Reference streams in sacrebleu's convention: `references[k][i]` is the k-th reference of segment i.
 * A missing reference is `null` (or `''`): segments may have different numbers of references.
 */
export type ReferenceStreams = ReadonlyArray<ReadonlyArray<string | null | undefined>>;

/**
 * Turns reference streams into per-segment reference lists as sacrebleu's `_cache_references` does:
 * empty and missing references are dropped, a segment left with none is an error, and `nrefs` is
 * the common count or `'var'`. Unlike sacrebleu (which silently truncates with `zip`), streams of
 * different lengths are rejected.
 */
export function segmentReferences(
  hypotheses: ReadonlyArray<string>,
  references: ReferenceStreams,
  metric: string,
): { perSegment: string[][]; nrefs: NRefs } {
  if (hypotheses.length === 0) {
    throw new InvalidInputError(`${metric}: no hypotheses (sacrebleu refuses an empty corpus too)`);
  }
  if (references.length === 0) throw new InvalidInputError(`${metric}: no reference stream`);
  for (const [k, stream] of references.entries()) {
    if (stream.length !== hypotheses.length) {
      throw new InvalidInputError(
        `${metric}: reference stream ${k + 1} has ${stream.length} segments, expected ${hypotheses.length} (one per hypothesis)`,
      );
    }
  }
  for (const [i, h] of hypotheses.entries()) {
    if (typeof h !== 'string') throw new InvalidInputError(`${metric}: hypothesis ${i + 1} is not a string`);
  }
  const counts = new Set<number>();
  const perSegment: string[][] = [];
  for (let i = 0; i < hypotheses.length; i++) {
    const refs: string[] = [];
    for (const stream of references) {
      const r = stream[i];
      if (r === null || r === undefined || r === '') continue;
      if (typeof r !== 'string') throw new InvalidInputError(`${metric}: reference ${i + 1} is not a string`);
      refs.push(r);
    }
    if (refs.length === 0) {
      throw new InvalidInputError(
        `${metric}: segment ${i + 1} has no reference (empty or missing), as sacrebleu: "Empty or \`None\` reference sentence found."`,
      );
    }
    counts.add(refs.length);
    perSegment.push(refs);
  }
  const nrefs: NRefs = counts.size === 1 ? (perSegment[0]?.length ?? 0) : 'var';
  return { perSegment, nrefs };
}
