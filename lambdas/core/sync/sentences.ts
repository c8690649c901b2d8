/**
 * Sentence pieces of a unit, for sending only the changed sentences of an edited paragraph.
 *
 * Boundaries are never placed inside code spans, math, link destinations or escapes; whatever the splitter
 * does, a split is only used when every piece parses on its own as one paragraph whose text is the unit's
 * text (see `validSourcePieces`), so a wrong guess costs characters, never a broken document.
 */

import { isAbbreviation, splitMarkdownSentences } from '../align/sentences';
import { sha256 } from '../hash';
import { extractSegments } from '../markdown';
import { normalizeForCompare } from './match';

/** Index just after a protected construct starting at `i` (code span, math, escape, link destination), or `i`. */
function skipProtected(md: string, i: number): number {
  const c = md[i];
  if (c === '\\') return Math.min(i + 2, md.length);
  if (c === '`') {
    const run = /^`+/.exec(md.slice(i))?.[0] ?? '`';
    const end = md.indexOf(run, i + run.length);
    return end < 0 ? md.length : end + run.length;
  }
  if (c === '$') {
    const fence = md.startsWith('$$', i) ? '$$' : '$';
    const end = md.indexOf(fence, i + fence.length);
    return end < 0 ? md.length : end + fence.length;
  }
  if (c === '[' || (c === '!' && md[i + 1] === '[')) {
    const link = /^!?\[[^\]\n]*\]\([^)\n]*\)/.exec(md.slice(i, i + 2000));
    if (link) return i + link[0].length;
  }
  if (c === ']' && md[i + 1] === '(') {
    const end = md.indexOf(')', i + 2);
    return end < 0 ? md.length : end + 1;
  }
  return i;
}

function slices(md: string, cuts: number[]): string[] {
  const out: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    if (cut > from && cut < md.length) {
      out.push(md.slice(from, cut));
      from = cut;
    }
  }
  out.push(md.slice(from));
  return out;
}

/**
 * Splits English unit Markdown into sentences: the aligner's splitter (`splitMarkdownSentences`, one
 * rule and one abbreviation list for align and sync). Every piece keeps its trailing whitespace: the
 * pieces concatenate to the input. States written before this splitter are migrated (see state.ts).
 */
export function splitSourceSentences(md: string): string[] {
  return splitMarkdownSentences(md, 'en');
}

/** The abbreviations of the version-1 source splitter (frozen: see `splitSourceSentencesV1`). */
const V1_ABBREVIATION =
  /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf|al|approx|resp|Fig|Figs|Eq|Eqs|Sec|Ch|No|Dr|Mr|Ms|Prof|St)\.$/i;

/**
 * The source splitter that wrote the `sentenceHashes` of version-1 sync states, kept unchanged so that
 * the state migration can tell which stored hashes the current splitter would cut the same way. Not for
 * new splits: use `splitSourceSentences`.
 */
export function splitSourceSentencesV1(md: string): string[] {
  const cuts: number[] = [];
  let i = 0;
  while (i < md.length) {
    const skipped = skipProtected(md, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = md[i] as string;
    if (c === '.' || c === '!' || c === '?') {
      let j = i + 1;
      while (j < md.length && /["')\]*_”’]/.test(md[j] as string)) j++;
      let k = j;
      while (k < md.length && /\s/.test(md[k] as string)) k++;
      if (k > j && k < md.length && /[A-Z0-9"'(“‘[$`*_:]/.test(md[k] as string)) {
        if (!(c === '.' && V1_ABBREVIATION.test(md.slice(Math.max(0, i - 12), i + 1)))) {
          cuts.push(k);
          i = k;
          continue;
        }
      }
    }
    i++;
  }
  return slices(md, cuts);
}

/**
 * Splits translated unit Markdown into sentences: after CJK full stops (`。！？`, then closing marks and any
 * whitespace) and after `.`, `!`, `?` followed by whitespace. Pieces concatenate to the input.
 */
export function splitTargetSentences(md: string): string[] {
  const cuts: number[] = [];
  let i = 0;
  while (i < md.length) {
    const skipped = skipProtected(md, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = md[i] as string;
    const cjk = c === '。' || c === '！' || c === '？';
    if (cjk || c === '.' || c === '!' || c === '?') {
      let j = i + 1;
      while (j < md.length && /["')\]*_”’」』）]/.test(md[j] as string)) j++;
      let k = j;
      while (k < md.length && /\s/.test(md[k] as string)) k++;
      if (k < md.length && (cjk || k > j) && !(c === '.' && isAbbreviation(md, i))) {
        cuts.push(k);
        i = k;
        continue;
      }
    }
    i++;
  }
  return slices(md, cuts);
}

/** Identity of a sentence (whitespace-insensitive). */
export function sentenceHash(piece: string): string {
  return sha256(normalizeForCompare(piece)).slice(0, 24);
}

/**
 * Whether pieces of a unit can be translated on their own: each parses as exactly one paragraph, and
 * their texts joined are the unit's text. Returns each piece's plain text (what Translate is sent), or
 * `null` when the split cannot be used.
 */
export function validSourcePieces(pieces: readonly string[], unitText: string): string[] | null {
  if (pieces.length < 2) return null;
  const texts: string[] = [];
  for (const piece of pieces) {
    const trimmed = piece.trim();
    if (trimmed.length === 0) return null;
    const segs = extractSegments(trimmed);
    if (segs.length !== 1 || segs[0]?.kind !== 'paragraph' || segs[0].markdown !== trimmed) return null;
    texts.push(segs[0].text);
  }
  return normalizeForCompare(texts.join(' ')) === normalizeForCompare(unitText) ? texts : null;
}

/**
 * Characters after which a following sentence is glued without a space: CJK ideographs, kana,
 * CJK and full-width punctuation (`。！？，；：」』）》`…). Korean (Hangul) is written with spaces.
 */
const WIDE_END =
  /[\u2E80-\u2FDF\u3000-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFEF]$|[\u{20000}-\u{3134F}]$/u;

/**
 * Joins the sentences of a unit (kept and newly translated) as the text on each side needs it, not as
 * the target language code says: no space after a sentence ending in a CJK character or full-width
 * punctuation (`序列。为了`), one space otherwise (`sequence. To quantify`, also when a Chinese unit
 * still holds an English sentence).
 */
export function joinSentences(parts: readonly string[]): string {
  let out = '';
  for (const part of parts) {
    const p = part.trim();
    if (p === '') continue;
    out = out === '' ? p : WIDE_END.test(out) ? out + p : `${out} ${p}`;
  }
  return out;
}
