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
  'en-zh': {
    c: 0.322,
    s2: 1.08,
    source:
      'c: ratio of sums over the 196 translated 1-1 paragraph pairs of the gold (mean per-pair ratio 0.321, sd 0.056); s2: 90th percentile of (lt − c·ls)² / mean length (mean 0.43, median 0.17: heavy-tailed, so the mean under-prices real outliers)',
  },
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

/** Anchors of one text, with a cache of its overlaps with the texts it is compared to. */
export interface Anchors {
  /** Protected items: role `name:key` per key, inline math without spaces, inline code. */
  strong: string[];
  /** Numbers (2+ digits) outside protected items, commas dropped. */
  nums: string[];
  /** CJK text only: distinct lower-cased Latin words (4+ letters), e.g. terms kept in parentheses. */
  terms: string[];
  /** Non-CJK text only: its lower-cased Latin words (4+ letters), to look the other side's terms up. */
  words: Set<string> | null;
  /** Overlap with another text's anchors: [shared strong, shared numbers, own terms found there]. */
  overlap: Map<Anchors, readonly [number, number, number]>;
}

const ROLE = /:([a-z]+):`([^`]*)`/g;
const MATH = /(?<!\\)\$(?!\s)((?:\\.|[^$\\])+?)\$/g;
const CODE = /(`+)([\s\S]*?)\1/g;
const WORD = /[A-Za-z][A-Za-z-]{3,}/g;

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
  const nums = [...rest.matchAll(/\d[\d.,]*\d/g)].map((m) => m[0].replace(/,/g, ''));
  const cjk = isCjkLanguage(lang);
  const words = [...rest.matchAll(WORD)].map((m) => m[0].toLowerCase());
  return {
    strong: strong.sort(),
    nums: nums.sort(),
    terms: cjk ? [...new Set(words)] : [],
    words: cjk ? null : new Set(words),
    overlap: new Map(),
  };
}

/** Anchor weights (nats): a shared anchor lowers a bead's cost, an anchor on one side only raises it. */
const A = { strongMatch: -0.7, strongMiss: 0.7, weakMatch: -0.25, weakMiss: 0.25 } as const;

/** Size of the multiset intersection of two sorted arrays. */
function sortedOverlap(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as string;
    const y = b[j] as string;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}

function overlapOf(s: Anchors, t: Anchors): readonly [number, number, number] {
  let o = s.overlap.get(t);
  if (!o) {
    let found = 0;
    for (const term of t.terms) if (s.words?.has(term)) found++;
    for (const term of s.terms) if (t.words?.has(term)) found++;
    o = [sortedOverlap(s.strong, t.strong), sortedOverlap(s.nums, t.nums), found];
    s.overlap.set(t, o);
  }
  return o;
}

/**
 * Anchor cost of a bead: shared anchors lower it, anchors found on one side only raise it. Shared
 * counts of a multi-unit bead are the sums of the pairwise overlaps (cached), capped by the totals.
 */
export function anchorCost(
  source: readonly { anchors: Anchors }[],
  target: readonly { anchors: Anchors }[],
): number {
  let ss = 0;
  let sn = 0;
  let sterms = 0;
  for (const u of source) {
    ss += u.anchors.strong.length;
    sn += u.anchors.nums.length;
    sterms += u.anchors.terms.length;
  }
  let ts = 0;
  let tn = 0;
  let tterms = 0;
  for (const u of target) {
    ts += u.anchors.strong.length;
    tn += u.anchors.nums.length;
    tterms += u.anchors.terms.length;
  }
  let strong = 0;
  let nums = 0;
  let found = 0;
  if (ss + ts + sn + tn + sterms + tterms > 0) {
    for (const s of source) {
      for (const t of target) {
        const o = overlapOf(s.anchors, t.anchors);
        strong += o[0];
        nums += o[1];
        found += o[2];
      }
    }
  }
  strong = Math.min(strong, ss, ts);
  nums = Math.min(nums, sn, tn);
  const terms = sterms + tterms;
  found = Math.min(found, terms);
  return (
    A.strongMatch * strong +
    A.strongMiss * (ss + ts - 2 * strong) +
    A.weakMatch * nums +
    A.weakMiss * (sn + tn - 2 * nums) +
    // Latin terms kept in a CJK translation ("负采样（negative sampling）") should occur in the source.
    A.weakMatch * found +
    A.weakMiss * (terms - found)
  );
}
