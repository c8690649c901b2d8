/**
 * The last check before a translated document is written (sync, evaluate, baseline): math, inline
 * code or a role that reached the document as escaped text (`\$2\$`, `:numref:\`fig_qkv\``). The
 * codec's merge already reports every unit whose protected content was lost or came back as text
 * (`protected-as-text`); this check looks at the whole document as it will be written, whatever path
 * built it (machine units, sentence pieces, reused or reference units), so nothing broken is written
 * silently. A document that fails it is reported failed and not written.
 */
import type { MergeProblem } from '../errors';
import { lineStartsOf, pointAt } from './text';

/** Escaped dollar (math delimiter) and escaped backtick (inline code, role argument). */
const ESCAPES = [
  { mark: '\\$', what: 'math' },
  { mark: '\\`', what: 'inline code or a role' },
] as const;

function offsetsOf(markdown: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = markdown.indexOf(needle); at !== -1; at = markdown.indexOf(needle, at + needle.length))
    found.push(at);
  return found;
}

/**
 * Problems of a document about to be written: escaped dollars or backticks beyond those of the English
 * source (where a writer may have escaped a dollar on purpose) and of the file it replaces (damage
 * already there is a human's to fix and must not block every later run). Two or more extra make a
 * `\$…\$` or `` \`…\` `` shape: math or code written as text. One per kind, at its first escaped one
 * in the written document (file:line:column). Empty when the document may be written.
 */
export function writtenMarkdownProblems(
  sourceMarkdown: string,
  writtenMarkdown: string,
  file = '<written>',
  previousMarkdown: string | null = null,
): MergeProblem[] {
  if (!writtenMarkdown.includes('\\')) return [];
  const problems: MergeProblem[] = [];
  let lines: number[] | undefined;
  for (const { mark, what } of ESCAPES) {
    const written = offsetsOf(writtenMarkdown, mark);
    const allowed = Math.max(
      offsetsOf(sourceMarkdown, mark).length,
      previousMarkdown === null ? 0 : offsetsOf(previousMarkdown, mark).length,
    );
    const extra = written.length - allowed;
    if (extra < 2) continue;
    lines ??= lineStartsOf(writtenMarkdown);
    const at = written[0] as number;
    const pt = pointAt(lines, at);
    problems.push({
      where: `${file}:${pt.line}:${pt.column}`,
      unitId: '?',
      kind: 'protected-as-text',
      detail: `${what} written as escaped text: ${extra} \`${mark}\` more than the source and the file it replaces have («${writtenMarkdown.slice(Math.max(0, at - 20), at + 30).replace(/\s+/g, ' ')}»)`,
    });
  }
  return problems;
}
