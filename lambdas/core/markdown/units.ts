/**
 * A parsed Markdown document as the codec works on it: its units, each a run of pieces (literal text,
 * protected items, inline wrappers) described by offsets into the source text. parse.ts builds it;
 * html.ts, merge.ts and segments.ts read it.
 */
import type { UnitKind } from './types';

/** Literal text sent to Translate; `norm` is the text with whitespace collapsed. */
export interface TextPiece {
  type: 'text';
  start: number;
  end: number;
  norm: string;
}

/** Content that must come back byte-identical: code, math, roles, entities, escapes, HTML, URLs. */
export interface ProtectedPiece {
  type: 'protected';
  id: string;
  start: number;
  end: number;
  src: string;
  /** The item starts a source line (d2lbook directives must stay at a line start). */
  lineStart: boolean;
  /** The item ends a source line. */
  lineEnd: boolean;
  /** Container prefix (indentation, `> `) of the line the item starts on. */
  linePrefix: string;
  /** Container prefix of the line after the item, when `lineEnd`. */
  nextLinePrefix: string;
}

/** Inline markup around translatable text: emphasis, strong, links, images, slide markers. */
export interface WrapperPiece {
  type: 'wrapper';
  id: string;
  tag: 'em' | 'strong' | 'del' | 'a' | 'span';
  /** Source of the opening marker, e.g. `**`, `[`, `![`, `[**`. */
  open: string;
  /** Source of the closing marker, e.g. `**`, `](https://…)`, `**]`. */
  close: string;
  start: number;
  end: number;
  children: Piece[];
}

export type Piece = TextPiece | ProtectedPiece | WrapperPiece;

export interface Unit {
  id: string;
  kind: UnitKind;
  depth?: number;
  start: number;
  end: number;
  pieces: Piece[];
  protectedItems: ProtectedPiece[];
}

export interface CodecDocument {
  file: string;
  /** `\uFEFF` when the file had a byte-order mark, else ''. */
  bom: string;
  /** The Markdown without BOM; all offsets point into it. */
  text: string;
  eol: '\n' | '\r\n';
  units: Unit[];
  lineStarts: number[];
}
