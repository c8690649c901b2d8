/**
 * Public types of the Markdown ⇄ Translate-HTML codec (lambdas/core/markdown).
 * Other steps (aligner, batch preparation, assembly, sync, scoring) depend only on these.
 */

/** What kind of Markdown construct a translatable unit comes from. */
export type UnitKind =
  | 'heading'
  | 'paragraph'
  | 'list-item'
  | 'table-cell'
  | 'blockquote'
  | 'image-alt'
  | 'caption';

/** A point in the source Markdown: 1-based line and column, 0-based UTF-16 offset into the text without BOM. */
export interface Point {
  line: number;
  column: number;
  offset: number;
}

/** One translatable unit of a Markdown document, as the other steps see it. */
export interface Segment {
  /** Stable id within the document: `u1`, `u2`, … in document order (same source → same ids). */
  id: string;
  kind: UnitKind;
  /** Heading depth (1–6) for headings, undefined otherwise. */
  depth?: number;
  /**
   * Plain text as Translate sees it: soft line breaks and whitespace runs collapsed to one space,
   * inline markup markers dropped (`**a**` → `a`, `[t](u)` → `t`), protected items (code, math,
   * roles, entities, escapes) kept as their literal source text (`$x$`, `:numref:\`sec_a\``).
   */
  text: string;
  /** The unit's inner HTML as sent to Translate (inside its block element). */
  html: string;
  /** The unit's exact Markdown source slice (what gets replaced when a translation is merged). */
  markdown: string;
  start: Point;
  end: Point;
  /** Stable content hash of the normalised source (whitespace-collapsed Markdown): 32 hex chars of SHA-256. */
  hash: string;
  /** Literal source of every protected item in the unit, in source order. */
  protectedItems: string[];
}
