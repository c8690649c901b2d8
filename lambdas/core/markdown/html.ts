/** Codec units → the HTML document an Amazon Translate batch job reads. */
import { parseDocument } from './parse';
import type { CodecDocument, Piece, Unit } from './units';

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}

function piecesHtml(pieces: readonly Piece[]): string {
  let html = '';
  for (const p of pieces) {
    if (p.type === 'text') html += escapeHtml(p.norm);
    else if (p.type === 'protected') html += `<span translate="no" id="${p.id}">${escapeHtml(p.src)}</span>`;
    else html += `<${p.tag} id="${p.id}">${piecesHtml(p.children)}</${p.tag}>`;
  }
  return html;
}

/** Inner HTML of one unit (what goes inside its block element). */
export function unitInnerHtml(unit: Unit): string {
  return piecesHtml(unit.pieces);
}

function blockTag(unit: Unit): string {
  return unit.kind === 'heading' ? `h${Math.min(Math.max(unit.depth ?? 1, 1), 6)}` : 'p';
}

export interface HtmlOptions {
  /** Shown in an HTML comment-free `<meta>` so a job's input can be traced back (attributes are not billed). */
  file?: string;
  /** Language of the text, written to `<html lang>`. */
  lang?: string;
  /** Only these unit ids (a partial document: new or changed units). */
  only?: ReadonlySet<string>;
}

/** Renders parsed units as a complete HTML document, one block element per unit. */
export function documentHtml(doc: CodecDocument, opts: HtmlOptions = {}): string {
  const lines = [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(opts.lang ?? 'en')}">`,
    `<head><meta charset="utf-8"><meta name="amts-source" content="${escapeHtml(opts.file ?? doc.file)}"></head>`,
    '<body>',
  ];
  for (const unit of doc.units) {
    if (opts.only && !opts.only.has(unit.id)) continue;
    const tag = blockTag(unit);
    lines.push(`<${tag} id="${unit.id}">${unitInnerHtml(unit)}</${tag}>`);
  }
  lines.push('</body>', '</html>', '');
  return lines.join('\n');
}

/**
 * The HTML document Amazon Translate translates: text escaped, protected content in
 * `<span translate="no">`, soft line breaks as spaces, one `id`-ed block element per unit.
 */
export function toTranslateHtml(markdown: string, opts: HtmlOptions = {}): string {
  return documentHtml(parseDocument(markdown, opts.file), opts);
}
