/**
 * Protected content of a d2lbook Markdown file, found with plain regular expressions (independent of
 * the codec under test): fenced code blocks and display math in order, and the multiset of inline
 * protected items (inline code and roles, inline math, link and image targets, directive lines).
 */
export interface ProtectedContent {
  blocks: string[];
  inline: string[];
}

const FENCE = /^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm;
const DISPLAY_MATH = /^[ \t]*\$\$[\s\S]*?\$\$[ \t]*$/gm;

export function protectedContent(markdown: string): ProtectedContent {
  const blocks: string[] = [];
  let rest = markdown.replace(FENCE, (m) => {
    blocks.push(m);
    return '\n';
  });
  rest = rest.replace(DISPLAY_MATH, (m) => {
    blocks.push(m.trim());
    return '\n';
  });
  const inline: string[] = [];
  rest = rest.replace(/^:(label|eqlabel|width|height|begin_tab|end_tab):(`[^`\n]*`)?[ \t]*$/gm, (m) => {
    inline.push(`directive ${m.trim()}`);
    return '';
  });
  rest = rest.replace(/(:[a-z]+:)?`[^`\n]+`/g, (m) => {
    inline.push(`code ${m}`);
    return ' ';
  });
  rest = rest.replace(/\$[^$\n]+\$/g, (m) => {
    inline.push(`math ${m}`);
    return ' ';
  });
  for (const m of rest.matchAll(/\]\(([^)\s]+)\)/g)) inline.push(`url ${m[1]}`);
  return { blocks, inline: inline.sort() };
}

/** What `written` lost or gained compared with `source` (empty arrays: byte-identical protected content). */
export function protectedDifferences(
  source: string,
  written: string,
): { missing: string[]; extra: string[] } {
  const a = protectedContent(source);
  const b = protectedContent(written);
  const left = [...a.blocks.map((x) => `block ${x}`), ...a.inline];
  const right = [...b.blocks.map((x) => `block ${x}`), ...b.inline];
  const missing = [...left];
  const extra: string[] = [];
  for (const item of right) {
    const i = missing.indexOf(item);
    if (i >= 0) missing.splice(i, 1);
    else extra.push(item);
  }
  const blocksInOrder = a.blocks.length === b.blocks.length && a.blocks.every((x, i) => x === b.blocks[i]);
  if (!blocksInOrder && missing.length === 0 && extra.length === 0)
    missing.push('(code/math blocks out of order)');
  return { missing, extra };
}
