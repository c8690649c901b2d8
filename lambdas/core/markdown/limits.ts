/**
 * The bounds the codec holds a document to before parsing: its size (Translate's per-document limit)
 * and how deep its containers and emphasis nest (the parser slows down, and recursion nears the stack
 * limit, past them).
 */
import { DocumentTooLargeError, NestingTooDeepError } from '../errors';
import { lineStartsOf } from './text';

/**
 * Largest Markdown document the codec parses: 20 MiB of UTF-8, Amazon Translate's per-document limit
 * for batch jobs (https://docs.aws.amazon.com/translate/latest/dg/what-is-limits.html). Not the 1 MB
 * limit: that one counts translatable text, and a chapter may hold far more Markdown than text (code
 * and math stay here and never reach Translate; Prepare Batch checks the 1 MB on the HTML it sends).
 * Checked before parsing; the codec is linear, so 20 MiB costs about 20 × the 1 MiB time.
 */
export const MAX_MARKDOWN_BYTES = 20 * 1024 * 1024;

/**
 * Deepest nesting the codec accepts: block quotes and list items inside each other, or inline
 * markup (emphasis, links, images) inside each other. Real books stay below 10; the bound keeps every
 * recursive step (HTML rendering, merging) far from the call-stack limit.
 */
export const MAX_NESTING_DEPTH = 100;

/** UTF-8 length of a string without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}

/** Container markers (`>`, list bullets, ordered-list numbers) at the start of a line. */
const LEADING_CONTAINERS = /^(?:[ \t]{0,3}(?:>|[*+-](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?)+/gm;

/**
 * Fails before parsing when the size or the container nesting written at a line start is over the
 * limits (the parser itself slows down on such lines); deeper nesting by indentation alone is caught
 * by the walk.
 */
export function checkLimits(markdown: string, file: string): void {
  if (markdown.length > MAX_MARKDOWN_BYTES || utf8Length(markdown) > MAX_MARKDOWN_BYTES) {
    throw new DocumentTooLargeError(file, utf8Length(markdown), MAX_MARKDOWN_BYTES);
  }
  LEADING_CONTAINERS.lastIndex = 0;
  for (let m = LEADING_CONTAINERS.exec(markdown); m; m = LEADING_CONTAINERS.exec(markdown)) {
    if (m[0].length <= MAX_NESTING_DEPTH) continue;
    const markers = (m[0].match(/>|[*+-]|\d{1,9}[.)]/g) ?? []).length;
    if (markers > MAX_NESTING_DEPTH) {
      const line = markdown.slice(0, m.index).split('\n').length;
      throw new NestingTooDeepError(
        file,
        `${file}:${line}:1`,
        `${markers} block quotes or list items nested on one line; the codec accepts at most ${MAX_NESTING_DEPTH}`,
      );
    }
  }
  checkEmphasisNesting(markdown, file);
}

const WHITESPACE = /\s/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;

/**
 * micromark matches emphasis delimiters in time quadratic in their nesting: 2,000 `*a ` openers closed
 * by 2,000 `a*` (12 KB in one paragraph) take over 20 s before the walk could refuse them. This linear
 * pre-scan pairs the `*` and `_` delimiter runs of each paragraph the way CommonMark does (an opener is
 * left-flanking, a closer right-flanking, each kind with its own stack; a run is one level) and refuses
 * the document when matched pairs nest deeper than MAX_NESTING_DEPTH, naming the deepest opener. It
 * over-counts at worst (code spans are not skipped): real chapters nest emphasis 1–3 deep. Unmatched
 * openers do not nest and cost the parser little; they are left alone.
 * @throws NestingTooDeepError
 */
function checkEmphasisNesting(markdown: string, file: string): void {
  // Cheap exit: too few delimiter runs to nest that deep at all.
  let runs = 0;
  for (let i = 0; i < markdown.length; i++) {
    const c = markdown.charCodeAt(i);
    if ((c === 42 || c === 95) && markdown.charCodeAt(i - 1) !== c) runs++;
  }
  if (runs <= 2 * MAX_NESTING_DEPTH) return;
  const paragraphBreak = /\n[ \t]*(?:\r?\n|$)/g;
  let start = 0;
  for (;;) {
    paragraphBreak.lastIndex = start;
    const m = paragraphBreak.exec(markdown);
    const end = m ? m.index : markdown.length;
    const deepest = deepestEmphasis(markdown, start, end);
    if (deepest !== null) {
      const line = lineStartsOf(markdown.slice(0, deepest.at)).length;
      const column = deepest.at - markdown.lastIndexOf('\n', deepest.at - 1);
      throw new NestingTooDeepError(
        file,
        `${file}:${line}:${column}`,
        `emphasis (* or _) nested ${deepest.depth} deep in one paragraph; the codec accepts at most ${MAX_NESTING_DEPTH} (checked before parsing: the parser is quadratic in this nesting)`,
      );
    }
    if (!m) return;
    start = m.index + m[0].length;
  }
}

/** The deepest matched emphasis pair of `text[start, end)` when deeper than the limit, else null. */
function deepestEmphasis(text: string, start: number, end: number): { depth: number; at: number } | null {
  const stacks: Record<string, number[]> = { '*': [], _: [] };
  /** Offsets of the matched openers and closers (+1 at an opener, -1 at a closer). */
  const events: [number, number][] = [];
  for (let i = start; i < end; i++) {
    const ch = text[i] as string;
    if (ch !== '*' && ch !== '_') continue;
    let j = i;
    while (j < end && text[j] === ch) j++;
    const before = i > start ? (text[i - 1] as string) : ' ';
    const after = j < end ? (text[j] as string) : ' ';
    const left =
      !WHITESPACE.test(after) &&
      (!PUNCTUATION.test(after) || WHITESPACE.test(before) || PUNCTUATION.test(before));
    const right =
      !WHITESPACE.test(before) &&
      (!PUNCTUATION.test(before) || WHITESPACE.test(after) || PUNCTUATION.test(after));
    const stack = stacks[ch] as number[];
    if (right && stack.length > 0) {
      events.push([stack.pop() as number, 1], [i, -1]);
    } else if (left) {
      stack.push(i);
    }
    i = j - 1;
  }
  if (events.length <= 2 * MAX_NESTING_DEPTH) return null;
  events.sort((a, b) => a[0] - b[0]);
  let depth = 0;
  let deepest = { depth: 0, at: start };
  for (const [at, step] of events) {
    depth += step;
    if (depth > deepest.depth) deepest = { depth, at };
  }
  return deepest.depth > MAX_NESTING_DEPTH ? deepest : null;
}
