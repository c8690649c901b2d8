/**
 * The source text around the parser: line positions, line endings, whitespace as the HTML shows it,
 * and the text handed to the parser (front matter and d2lbook display math blanked, offsets kept).
 */
import type { Point } from './types';

const ASCII_WS = /[ \t\r\n]+/g;
const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/** Offsets of the first character of every line. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  let i = text.indexOf('\n');
  while (i !== -1) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return starts;
}

/** 1-based line/column of an offset. */
export function pointAt(lineStarts: readonly number[], offset: number): Point {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lineStarts[lo] as number) + 1, offset };
}

/**
 * Collapses whitespace the way the HTML shows it: runs of ASCII whitespace (with the container
 * prefixes `>` of continuation lines inside block quotes) become one space; a line break between
 * two CJK characters disappears (Chinese prose is wrapped without spaces).
 */
export function normalizeWhitespace(raw: string, quoteDepth = 0): string {
  let s = raw;
  if (quoteDepth > 0) s = s.replace(/\n[ \t]*(?:>[ \t]?)*/g, '\n');
  if (!s.includes('\n')) return s.replace(ASCII_WS, ' ');
  return s.replace(ASCII_WS, (ws, at: number, whole: string) => {
    if (ws.includes('\n')) {
      const before = whole[at - 1];
      const after = whole[at + ws.length];
      if (before && after && CJK.test(before) && CJK.test(after)) return '';
    }
    return ' ';
  });
}

/** Replaces a front-matter block (`---` … `---` or `+++` … `+++` at the very start) with blanks. */
function blankFrontMatter(text: string): { parseText: string; end: number } {
  const m = /^(---|\+\+\+)[ \t]*\r?\n[\s\S]*?\r?\n(?:\1|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return { parseText: text, end: 0 };
  const blank = m[0].replace(/[^\r\n]/g, ' ');
  return { parseText: blank + text.slice(m[0].length), end: m[0].length };
}

/**
 * Blanks display-math blocks the way d2lbook writes them, which CommonMark math does not parse: a
 * line starting with `$$` (content may follow on the same line, `$$\begin{aligned}`) up to the first
 * line ending in `$$` (`\end{aligned}$$`). Blanked blocks are never units and stay verbatim.
 * Lines inside fenced code are left alone.
 */
function blankDisplayMath(text: string): string {
  const lines = text.split('\n');
  let fence: string | null = null;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      if (
        fenceMatch &&
        fenceMatch[1]?.[0] === fence[0] &&
        (fenceMatch[1]?.length ?? 0) >= fence.length &&
        /^ {0,3}[`~]+[ \t\r]*$/.test(line)
      )
        fence = null;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1] as string;
      continue;
    }
    const open = /^( {0,3})\$\$/.exec(line);
    if (!open) continue;
    const rest = line.slice(open[0].length);
    let last = -1;
    const close = rest.indexOf('$$');
    if (close !== -1) {
      if (/^[ \t\r]*$/.test(rest.slice(close + 2))) last = i;
    } else {
      for (let j = i + 1; j < lines.length && j < i + 400; j++) {
        const l = lines[j] as string;
        if (/^ {0,3}(`{3,}|~{3,})/.test(l)) break;
        if (/\$\$[ \t\r]*$/.test(l)) {
          last = j;
          break;
        }
      }
    }
    if (last === -1) continue;
    for (let j = i; j <= last; j++) lines[j] = (lines[j] as string).replace(/[^\r]/g, ' ');
    changed = true;
    i = last;
  }
  return changed ? lines.join('\n') : text;
}

/**
 * The text handed to the parser: same length and offsets as the source, with front matter and
 * d2lbook display math blanked.
 */
export function textForParser(text: string): string {
  return blankDisplayMath(blankFrontMatter(text).parseText);
}

/**
 * A document's line-ending convention: CRLF when it has any CRLF (a file converted to CRLF in place),
 * else LF. Text the workflow writes for a document follows its source's convention throughout
 * (withLineEnding): translations, human text and kept English may come with either.
 */
export function lineEndingOf(text: string): '\n' | '\r\n' {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** `text` with every line ending (`\r\n` or `\n`; a lone `\r` is not one) as `eol`. */
export function withLineEnding(text: string, eol: '\n' | '\r\n'): string {
  return eol === '\n' ? text.replace(/\r\n/g, '\n') : text.replace(/\r?\n/g, '\r\n');
}
