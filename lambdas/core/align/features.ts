/**
 * What the aligner measures in a piece of text: its length in a language-neutral unit, and the
 * anchors it shares with its translation (d2lbook role keys, inline math, inline code, numbers,
 * Latin-script terms that Chinese text keeps in parentheses).
 */
import { isCjkLanguage, stripProtected } from './sentences';

/**
 * Gale–Church parameters per language pair, in "length units": Latin-script letters and digits
 * count 1, CJK characters count 1, protected items (code, math, roles) count 0 on both sides.
 * Latin letters inside CJK text are scaled by `c` (an English term kept in Chinese text weighs what
 * its translation would).
 *
 * en→zh: estimated on the hand-aligned 1-1 paragraph pairs of test/fixtures/align/gold (see
 * bench/align.bench.ts, "length model"): mean ratio zh/en and the variance of (lt − c·ls)/√ls.
 * Gale & Church's own English–French/German values are c = 1, s2 = 6.8 (the default).
 */
export const LENGTH_MODELS: Record<string, { c: number; s2: number; source: string }> = {
  'en-zh': { c: 0.305, s2: 1.6, source: 'paragraph 1-1 pairs of the en-zh gold (bench/align.bench.ts)' },
  'en-ja': { c: 0.305 * 1.5, s2: 2.4, source: 'en-zh value scaled for kana (unmeasured guess)' },
  default: { c: 1, s2: 6.8, source: 'Gale & Church 1993' },
};

/** The length model for a pair of language codes (base subtags, order-insensitive). */
export function lengthModel(from: string, to: string): { c: number; s2: number } {
  const a = from.toLowerCase().split(/[-_]/)[0] ?? from;
  const b = to.toLowerCase().split(/[-_]/)[0] ?? to;
  const direct = LENGTH_MODELS[`${a}-${b}`];
  if (direct) return direct;
  const reverse = LENGTH_MODELS[`${b}-${a}`];
  if (reverse) return { c: 1 / reverse.c, s2: reverse.s2 / reverse.c };
  return LENGTH_MODELS.default as { c: number; s2: number };
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}]/u;

/** Length of `text` in length units (see LENGTH_MODELS); `latinWeight` scales Latin letters. */
export function textLength(text: string, latinWeight = 1): number {
  const plain = stripProtected(text);
  let cjk = 0;
  let latin = 0;
  for (let i = 0; i < plain.length; i++) {
    const code = plain.charCodeAt(i);
    if (code < 0x80) {
      if ((code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a)) latin++;
    } else {
      const ch = plain[i] as string;
      if (CJK.test(ch)) cjk++;
      else if (LATIN_OR_DIGIT.test(ch)) latin++;
    }
  }
  return cjk + latin * latinWeight;
}

/** Language-aware length: Latin letters in CJK text weigh `c` of the pair's model. */
export function lengthIn(text: string, lang: string, model: { c: number }): number {
  return textLength(text, isCjkLanguage(lang) ? model.c : 1);
}

/** Anchors of one text: protected items (normalised) and loose tokens (numbers, Latin terms). */
export interface Anchors {
  /** Protected items: role `name:key` per key, inline math without spaces, inline code. */
  strong: string[];
  /** Numbers (2+ digits) and lower-cased Latin words (4+ letters) outside protected items. */
  weak: string[];
}

const ROLE = /:([a-z]+):`([^`]*)`/g;
const MATH = /(?<!\\)\$(?!\s)((?:\\.|[^$\\])+?)\$/g;
const CODE = /(`+)([\s\S]*?)\1/g;

/** Anchors found in `text` (segment text: protected items kept as their literal source). */
export function anchorsOf(text: string, lang: string): Anchors {
  const strong: string[] = [];
  let rest = text.replace(ROLE, (_m, role: string, arg: string) => {
    const kind = role === 'citet' ? 'cite' : role;
    for (const key of arg.split(',')) if (key.trim()) strong.push(`${kind}:${key.trim()}`);
    return ' ';
  });
  rest = rest.replace(CODE, (_m, _ticks: string, body: string) => {
    strong.push(`code:${body.trim()}`);
    return ' ';
  });
  rest = rest.replace(MATH, (_m, body: string) => {
    strong.push(`math:${body.replace(/\s+/g, '')}`);
    return ' ';
  });
  const weak: string[] = [];
  for (const m of rest.matchAll(/\d[\d.,]*\d|\d{2,}/g)) weak.push(`num:${m[0].replace(/,/g, '')}`);
  if (isCjkLanguage(lang)) {
    for (const m of rest.matchAll(/[A-Za-z][A-Za-z-]{3,}/g)) weak.push(`word:${m[0].toLowerCase()}`);
  }
  return { strong, weak };
}

/** Lower-cased Latin words (4+ letters) of a non-CJK text, to look up target-side terms. */
export function latinWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z][A-Za-z-]{3,}/g)) words.add(m[0].toLowerCase());
  return words;
}

/** Anchor weights (nats): a shared anchor lowers a bead's cost, an anchor on one side only raises it. */
const A = { strongMatch: -0.7, strongMiss: 0.7, weakMatch: -0.25, weakMiss: 0.25 } as const;

function multisetOverlap(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const x of a) counts.set(x, (counts.get(x) ?? 0) + 1);
  let shared = 0;
  for (const x of b) {
    const c = counts.get(x) ?? 0;
    if (c > 0) {
      shared++;
      counts.set(x, c - 1);
    }
  }
  return shared;
}

/** Anchor cost of a bead: shared anchors lower it, anchors found on one side only raise it. */
export function anchorCost(
  source: readonly { anchors: Anchors; words: Set<string> | null }[],
  target: readonly { anchors: Anchors; words: Set<string> | null }[],
): number {
  const ss = source.flatMap((u) => u.anchors.strong);
  const ts = target.flatMap((u) => u.anchors.strong);
  const strong = multisetOverlap(ss, ts);
  let cost = A.strongMatch * strong + A.strongMiss * (ss.length + ts.length - 2 * strong);
  const sn = source.flatMap((u) => u.anchors.weak.filter((w) => w.startsWith('num:')));
  const tw = target.flatMap((u) => u.anchors.weak);
  const tn = tw.filter((w) => w.startsWith('num:'));
  const nums = multisetOverlap(sn, tn);
  cost += A.weakMatch * nums + A.weakMiss * (sn.length + tn.length - 2 * nums);
  // Latin terms kept in the translation ("负采样（negative sampling）") should occur in the source.
  const terms = new Set(tw.filter((w) => w.startsWith('word:')).map((w) => w.slice(5)));
  if (terms.size > 0) {
    for (const term of terms) {
      const found = source.some((u) => u.words?.has(term));
      cost += found ? A.weakMatch : A.weakMiss;
    }
  }
  return cost;
}
