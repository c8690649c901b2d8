/**
 * The stretches of a document between its units (code, math, markup): split, hashed, and the human
 * edits made there kept when the document is rewritten (planning step 4).
 */
import { InvalidInputError } from '../errors';
import { sha256 } from '../hash';
import type { Segment } from '../markdown/types';
import { normalizeForCompare } from './match';
import type { DocumentState } from './types';

/** Hash of a stretch between units, insensitive to whitespace (line wrapping is not an edit). */
export function gapHash(gap: string): string {
  return sha256(normalizeForCompare(gap)).slice(0, 32);
}

/** Splits a document into the stretches around its units: `segments.length + 1` strings (BOM excluded). */
export function gapsOf(markdown: string, segments: readonly Segment[], file: string): string[] {
  const text = markdown.startsWith('\uFEFF') ? markdown.slice(1) : markdown;
  const gaps: string[] = [];
  let cursor = 0;
  for (const seg of segments) {
    if (
      seg.start.offset < cursor ||
      seg.end.offset < seg.start.offset ||
      text.slice(seg.start.offset, seg.end.offset) !== seg.markdown
    ) {
      throw new InvalidInputError(
        `${file}: segment ${seg.id} does not match the document at offset ${seg.start.offset} (segments of another version?)`,
      );
    }
    gaps.push(text.slice(cursor, seg.start.offset));
    cursor = seg.end.offset;
  }
  gaps.push(text.slice(cursor));
  return gaps;
}

/** What {@link gapOverridesOf} needs: both documents' gaps, the previous units and where they stand now. */
export interface GapInput {
  path: string;
  source: readonly Segment[];
  sourceGaps: readonly string[];
  /** `null`: no translated file. */
  translatedGaps: readonly string[] | null;
  /** Units of the translated file. */
  translatedUnits: number;
  /** The translated file was adopted as it is (no sync state). */
  adopted: boolean;
  previous: DocumentState | undefined;
  /** Per previous unit, its index in the translated file. */
  trIndex: ReadonlyArray<number | undefined>;
  /** Per English unit, the previous unit it is. */
  prevIndex: ReadonlyArray<number | undefined>;
}

/**
 * Stretches between units where the translated file keeps a human edit (the English stretch unchanged);
 * an edited stretch whose English changed too, or that sits where the English was restructured, is a
 * conflict (pushed to `conflicts`).
 */
export function gapOverridesOf(input: GapInput, conflicts: string[]): { index: number; markdown: string }[] {
  const { path, source, sourceGaps, translatedGaps, adopted, previous, trIndex, prevIndex } = input;
  const gapOverrides: { index: number; markdown: string }[] = [];
  const prevUnits = previous?.units ?? [];
  if (translatedGaps && adopted) {
    translatedGaps.forEach((gap, i) => {
      if (gap !== sourceGaps[i]) gapOverrides.push({ index: i, markdown: gap });
    });
  } else if (translatedGaps && previous?.gapHashes && previous.gapHashes.length === prevUnits.length + 1) {
    const oldGapHashes = previous.gapHashes;
    const n = prevUnits.length;
    const m = source.length;
    const trGapOf = (j: number): number | undefined => {
      if (j === 0) return 0;
      if (j === n) return input.translatedUnits;
      const a = trIndex[j - 1];
      const b = trIndex[j];
      return a !== undefined && b === a + 1 ? b : undefined;
    };
    const oldGapOf = (i: number): number | undefined => {
      if (i === 0) return 0;
      if (i === m) return n;
      const a = prevIndex[i - 1];
      const b = prevIndex[i];
      return a !== undefined && b === a + 1 ? b : undefined;
    };
    const keptOld = new Set<number>();
    for (let i = 0; i <= m; i++) {
      const j = oldGapOf(i);
      if (j === undefined) continue;
      const k = trGapOf(j);
      const trGap = k === undefined ? undefined : translatedGaps[k];
      if (trGap === undefined || gapHash(trGap) === oldGapHashes[j]) continue;
      keptOld.add(j);
      if (gapHash(sourceGaps[i] as string) === oldGapHashes[j]) {
        gapOverrides.push({ index: i, markdown: trGap });
      } else {
        conflicts.push(
          `text between units (code, math or markup) was edited by hand in translated/${path} near unit ${source[i]?.id ?? 'end'} and changed in the English too`,
        );
      }
    }
    for (let j = 0; j <= n; j++) {
      const k = trGapOf(j);
      const trGap = k === undefined ? undefined : translatedGaps[k];
      if (keptOld.has(j) || trGap === undefined || gapHash(trGap) === oldGapHashes[j]) continue;
      conflicts.push(
        `text between units (code, math or markup) edited by hand in translated/${path} sits where the English was restructured`,
      );
    }
  }
  return gapOverrides;
}
