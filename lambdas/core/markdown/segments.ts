import { sha256 } from '../hash';
import { unitInnerHtml } from './html';
import { parseDocument } from './parse';
import { normalizeWhitespace, pointAt } from './text';
import type { Segment } from './types';
import type { CodecDocument, Piece } from './units';

function plainText(pieces: readonly Piece[]): string {
  let s = '';
  for (const p of pieces) {
    if (p.type === 'text') s += p.norm;
    else if (p.type === 'protected') s += normalizeWhitespace(p.src);
    else s += plainText(p.children);
  }
  return s;
}

/** Stable content hash of a unit: SHA-256 of its whitespace-collapsed Markdown source, 32 hex chars. */
export function unitHash(markdown: string): string {
  return sha256(normalizeWhitespace(markdown).trim()).slice(0, 32);
}

/** Segments of an already parsed document. */
export function segmentsOf(doc: CodecDocument): Segment[] {
  return doc.units.map((unit) => {
    const markdown = doc.text.slice(unit.start, unit.end);
    const segment: Segment = {
      id: unit.id,
      kind: unit.kind,
      text: plainText(unit.pieces).trim(),
      html: unitInnerHtml(unit),
      markdown,
      start: pointAt(doc.lineStarts, unit.start),
      end: pointAt(doc.lineStarts, unit.end),
      hash: unitHash(markdown),
      protectedItems: unit.protectedItems.map((p) => p.src),
    };
    if (unit.depth !== undefined) segment.depth = unit.depth;
    return segment;
  });
}

/**
 * The translatable units of a Markdown document with id, kind, plain text, position and content hash.
 * Code, display math, directive lines and other untranslatable blocks are not segments.
 */
export function extractSegments(markdown: string, opts: { file?: string } = {}): Segment[] {
  return segmentsOf(parseDocument(markdown, opts.file));
}
