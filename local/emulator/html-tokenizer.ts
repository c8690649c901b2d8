/**
 * A small, forgiving HTML tokenizer for the Translate emulator. The emulator stands in for Amazon
 * Translate, so it must not borrow the project's own codec: it reads the HTML the way an outside
 * service would. Every token keeps its raw source text, so untouched parts are written back byte
 * for byte.
 */

export type HtmlToken =
  | { type: 'text'; raw: string; text: string }
  | { type: 'start'; raw: string; name: string; attrs: Record<string, string>; selfClosing: boolean }
  | { type: 'end'; raw: string; name: string }
  | { type: 'other'; raw: string };

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the character references of text or an attribute value (named subset + numeric). */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X'))
      return safeFromCodePoint(Number.parseInt(body.slice(2), 16), m);
    if (body.startsWith('#')) return safeFromCodePoint(Number.parseInt(body.slice(1), 10), m);
    return NAMED_ENTITIES[body] ?? m;
  });
}

function safeFromCodePoint(cp: number, fallback: string): string {
  return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : fallback;
}

/** Escapes text for an HTML text node. */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const VOID = new Set(['br', 'hr', 'img', 'meta', 'link', 'input', 'wbr', 'col', 'area', 'base', 'source']);
const RAW_TEXT = new Set(['script', 'style']);

const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

function parseAttrs(s: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of s.matchAll(ATTR)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!name) continue;
    attrs[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** Splits HTML into tokens; malformed markup degrades to text rather than throwing. */
export function tokenizeHtml(html: string): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  let i = 0;
  let textStart = 0;
  const flushText = (end: number) => {
    if (end > textStart) {
      const raw = html.slice(textStart, end);
      tokens.push({ type: 'text', raw, text: decodeEntities(raw) });
    }
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    const next = html[lt + 1] ?? '';
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      const stop = end < 0 ? html.length : end + 3;
      flushText(lt);
      tokens.push({ type: 'other', raw: html.slice(lt, stop) });
      i = textStart = stop;
      continue;
    }
    if (next === '!' || next === '?') {
      const end = html.indexOf('>', lt);
      const stop = end < 0 ? html.length : end + 1;
      flushText(lt);
      tokens.push({ type: 'other', raw: html.slice(lt, stop) });
      i = textStart = stop;
      continue;
    }
    const isEnd = next === '/';
    const nameMatch = /^[a-zA-Z][a-zA-Z0-9-]*/.exec(html.slice(lt + (isEnd ? 2 : 1), lt + 40));
    const end = html.indexOf('>', lt);
    if (!nameMatch || end < 0) {
      i = lt + 1; // a literal '<' in text
      continue;
    }
    flushText(lt);
    const raw = html.slice(lt, end + 1);
    const name = nameMatch[0].toLowerCase();
    if (isEnd) {
      tokens.push({ type: 'end', raw, name });
      i = textStart = end + 1;
      continue;
    }
    const inner = raw.slice(1 + nameMatch[0].length, -1);
    const selfClosing = inner.trimEnd().endsWith('/') || VOID.has(name);
    tokens.push({ type: 'start', raw, name, attrs: parseAttrs(inner.replace(/\/\s*$/, '')), selfClosing });
    i = textStart = end + 1;
    if (RAW_TEXT.has(name) && !selfClosing) {
      const close = html.toLowerCase().indexOf(`</${name}`, i);
      const stop = close < 0 ? html.length : close;
      if (stop > i) tokens.push({ type: 'other', raw: html.slice(i, stop) });
      i = textStart = stop;
    }
  }
  textStart = Math.min(textStart, html.length);
  flushText(html.length);
  return tokens;
}
