/**
 * A small, forgiving reader for the HTML that Amazon Translate returns for our documents: elements,
 * attributes (any quoting), text, comments and character references. It only has to understand the
 * documents the codec wrote, with their text changed, so it builds a plain tree and never throws.
 */

export interface HtmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: HtmlNode[];
  /** 1-based line in the translated HTML where the start tag is. */
  line: number;
}
export type HtmlNode = string | HtmlElement;

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes numeric and the basic named character references; unknown names stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g,
    (whole, ref: string) => {
      if (ref[0] === '#') {
        const cp =
          ref[1] === 'x' || ref[1] === 'X'
            ? Number.parseInt(ref.slice(2), 16)
            : Number.parseInt(ref.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)
          ? String.fromCodePoint(cp)
          : '\ufffd';
      }
      return NAMED[ref] ?? whole;
    },
  );
}

const ATTR = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function parseAttrs(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(source); m; m = ATTR.exec(source)) {
    const name = (m[1] as string).toLowerCase();
    if (!(name in attrs)) attrs[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** Parses HTML into a tree under a synthetic root element. */
export function parseHtml(html: string): HtmlElement {
  const root: HtmlElement = { tag: '#root', attrs: {}, children: [], line: 1 };
  const stack: HtmlElement[] = [root];
  const tagRe = /<!--[\s\S]*?(?:-->|$)|<![^>]*>|<\/?([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let last = 0;
  let line = 1;
  let lineScanned = 0;
  const lineAt = (offset: number) => {
    for (let i = lineScanned; i < offset; i++) if (html.charCodeAt(i) === 10) line++;
    lineScanned = Math.max(lineScanned, offset);
    return line;
  };
  for (let m = tagRe.exec(html); m; m = tagRe.exec(html)) {
    const top = stack[stack.length - 1] as HtmlElement;
    if (m.index > last) top.children.push(decodeEntities(html.slice(last, m.index)));
    last = m.index + m[0].length;
    const name = m[1]?.toLowerCase();
    if (!name) continue; // comment or doctype
    if (m[0][1] === '/') {
      const at = stack.map((e) => e.tag).lastIndexOf(name);
      if (at > 0) stack.length = at;
      continue;
    }
    const attrSource = m[2] ?? '';
    const el: HtmlElement = {
      tag: name,
      attrs: parseAttrs(attrSource.replace(/\/\s*$/, '')),
      children: [],
      line: lineAt(m.index),
    };
    top.children.push(el);
    if (!VOID.has(name) && !/\/\s*$/.test(attrSource)) stack.push(el);
  }
  if (last < html.length)
    (stack[stack.length - 1] as HtmlElement).children.push(decodeEntities(html.slice(last)));
  return root;
}

/** All text inside a node, decoded. */
export function textContent(node: HtmlNode): string {
  return typeof node === 'string' ? node : node.children.map(textContent).join('');
}

/** Elements carrying a unit id (`u12`), in document order, without descending into them. */
export function unitElements(root: HtmlElement): HtmlElement[] {
  const found: HtmlElement[] = [];
  const visit = (el: HtmlElement) => {
    for (const child of el.children) {
      if (typeof child === 'string') continue;
      if (/^u\d+$/.test(child.attrs.id ?? '')) found.push(child);
      else visit(child);
    }
  };
  visit(root);
  return found;
}
