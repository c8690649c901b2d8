/**
 * chrF and chrF++ exactly as sacrebleu 2.6.0 computes them (`sacrebleu.metrics.CHRF`): character
 * n-grams 1..6 over the text with all (Python) whitespace removed, optional word n-grams (chrF++,
 * `wordOrder: 2`) after sacrebleu's punctuation splitting, β = 2, the best reference per segment,
 * corpus statistics summed over segments, and the signature. No tokenizer: chrF needs none.
 */
import { InvalidInputError } from '../errors';
import { pyFixed, pyRemoveSpaces, pySplit } from './python-text';
import { type ReferenceStreams, segmentReferences } from './references';
import { formatSignature, type NRefs } from './signature';

export interface ChrfOptions {
  /** Character n-gram order, default 6. */
  charOrder?: number;
  /** Word n-gram order: 0 = chrF (default), 2 = chrF++. */
  wordOrder?: number;
  /** Recall weight, default 2. */
  beta?: number;
  /** Default false. */
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams. Default false. */
  whitespace?: boolean;
  /** chrF++.py-style epsilon smoothing instead of sacrebleu's effective order. Default false. */
  epsSmoothing?: boolean;
}

export interface ChrfScore {
  /** `chrF2`, `chrF2++` … */
  name: string;
  score: number;
  /** Summed `[hyp, ref, match]` per order: character orders 1..charOrder, then word orders. */
  stats: number[];
  signature: string;
  signature_short: string;
  /** sacrebleu's printed line, e.g. `chrF2|nrefs:1|… = 65.63`. */
  formatted: string;
}

type Required2 = Required<ChrfOptions>;

function checkOptions(opts: ChrfOptions): Required2 {
  const o: Required2 = {
    charOrder: opts.charOrder ?? 6,
    wordOrder: opts.wordOrder ?? 0,
    beta: opts.beta ?? 2,
    lowercase: opts.lowercase ?? false,
    whitespace: opts.whitespace ?? false,
    epsSmoothing: opts.epsSmoothing ?? false,
  };
  for (const [k, v, min] of [
    ['charOrder', o.charOrder, 0],
    ['wordOrder', o.wordOrder, 0],
    ['beta', o.beta, 0],
  ] as const) {
    if (!Number.isInteger(v) || v < min || v > 32) {
      throw new InvalidInputError(`chrF ${k} must be an integer 0–32, got ${v}`);
    }
  }
  if (o.charOrder + o.wordOrder === 0) throw new InvalidInputError('chrF needs charOrder + wordOrder ≥ 1');
  return o;
}

// string.punctuation
const PUNCTS = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/**
 * sacrebleu's `_remove_punctuation` for chrF++ words: a word of two or more characters loses one
 * trailing ASCII punctuation mark, or else one leading one, as a separate word (`(hi)` → `(hi`, `)`).
 */
export function chrfWords(sent: string): string[] {
  const out: string[] = [];
  for (const w of pySplit(sent)) {
    const chars = Array.from(w);
    if (chars.length === 1) {
      out.push(w);
      continue;
    }
    const last = chars[chars.length - 1] as string;
    const first = chars[0] as string;
    if (PUNCTS.has(last)) out.push(w.slice(0, w.length - last.length), last);
    else if (PUNCTS.has(first)) out.push(first, w.slice(first.length));
    else out.push(w);
  }
  return out;
}

type Counts = Map<string, number>;

function countAll(items: readonly string[], n: number, sep: string): Counts {
  const m: Counts = new Map();
  for (let i = 0; i + n <= items.length; i++) {
    const key = n === 1 ? (items[i] as string) : items.slice(i, i + n).join(sep);
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

/** Every n-gram table of one (preprocessed) segment: char orders 1..charOrder, then word orders. */
function extractNgrams(sent: string, o: Required2): Counts[] {
  const chars = Array.from(o.whitespace ? sent : pyRemoveSpaces(sent));
  const tables: Counts[] = [];
  for (let n = 1; n <= o.charOrder; n++) tables.push(countAll(chars, n, ''));
  if (o.wordOrder > 0) {
    const words = chrfWords(sent);
    for (let n = 1; n <= o.wordOrder; n++) tables.push(countAll(words, n, ' '));
  }
  return tables;
}

function matchStatistics(hyp: Counts, ref: Counts): [number, number, number] {
  let match = 0;
  let hypCount = 0;
  for (const [ng, c] of hyp) {
    hypCount += c;
    const r = ref.get(ng);
    if (r !== undefined) match += Math.min(c, r);
  }
  let refCount = 0;
  for (const c of ref.values()) refCount += c;
  // sacrebleu: "Don't count hits if no reference exists for that n-gram" (empty reference table).
  return [ref.size > 0 ? hypCount : 0, refCount, match];
}

/** The chrF score (0–100) from summed statistics (sacrebleu `CHRF._compute_f_score`). */
export function computeChrf(stats: readonly number[], opts: ChrfOptions = {}): number {
  const o = checkOptions(opts);
  const order = o.charOrder + o.wordOrder;
  const eps = 1e-16;
  const factor = o.beta ** 2;
  let score = 0;
  let effectiveOrder = 0;
  let avgPrec = 0;
  let avgRec = 0;
  for (let i = 0; i < order; i++) {
    const nHyp = stats[3 * i] ?? 0;
    const nRef = stats[3 * i + 1] ?? 0;
    const nMatch = stats[3 * i + 2] ?? 0;
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder += 1;
    }
  }
  if (o.epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) {
    avgPrec = 0;
    avgRec = 0;
  } else {
    avgPrec /= effectiveOrder;
    avgRec /= effectiveOrder;
  }
  if (avgPrec + avgRec) {
    let s = (1 + factor) * avgPrec * avgRec;
    s /= factor * avgPrec + avgRec;
    return 100 * s;
  }
  return 0.0;
}

/** sacrebleu's chrF signature (full and short). */
export function chrfSignature(opts: ChrfOptions, nrefs: NRefs): { full: string; short: string } {
  const o = checkOptions(opts);
  const items = [
    { key: 'case', short: 'c', value: o.lowercase ? 'lc' : 'mixed' },
    { key: 'eff', short: 'e', value: o.epsSmoothing ? 'no' : 'yes' },
    { key: 'nc', short: 'nc', value: o.charOrder },
    { key: 'nw', short: 'nw', value: o.wordOrder },
    { key: 'space', short: 's', value: o.whitespace ? 'yes' : 'no' },
  ];
  return { full: formatSignature(nrefs, items), short: formatSignature(nrefs, items, true) };
}

/**
 * Corpus chrF, like `CHRF(...).corpus_score(hypotheses, references)`; `references[k][i]` is the
 * k-th reference of segment i. Each segment uses the reference with the best segment F-score.
 */
export function corpusChrf(
  hypotheses: readonly string[],
  references: ReferenceStreams,
  opts: ChrfOptions = {},
): ChrfScore {
  const o = checkOptions(opts);
  const { perSegment, nrefs } = segmentReferences(hypotheses, references, 'chrF');
  const order = o.charOrder + o.wordOrder;
  const sums = new Array<number>(3 * order).fill(0);
  const pre = (s: string) => (o.lowercase ? s.toLowerCase() : s);
  for (let i = 0; i < hypotheses.length; i++) {
    const hypNgrams = extractNgrams(pre(hypotheses[i] as string), o);
    let best: number[] = [];
    let bestF = -1;
    for (const ref of perSegment[i] as string[]) {
      const refNgrams = extractNgrams(pre(ref), o);
      const stats: number[] = [];
      for (let k = 0; k < order; k++)
        stats.push(...matchStatistics(hypNgrams[k] as Counts, refNgrams[k] as Counts));
      const f = computeChrf(stats, o);
      if (f > bestF) {
        bestF = f;
        best = stats;
      }
    }
    for (let k = 0; k < best.length; k++) sums[k] = (sums[k] as number) + (best[k] as number);
  }
  const score = computeChrf(sums, o);
  const name = `chrF${o.beta}${'+'.repeat(o.wordOrder)}`;
  const sig = chrfSignature(o, nrefs);
  return {
    name,
    score,
    stats: sums,
    signature: sig.full,
    signature_short: sig.short,
    formatted: `${name}|${sig.full} = ${pyFixed(score, 2)}`,
  };
}

/** Sentence chrF, like `CHRF(...).sentence_score(hypothesis, references)`. */
export function sentenceChrf(
  hypothesis: string,
  references: readonly string[],
  opts: ChrfOptions = {},
): ChrfScore {
  if (typeof references === 'string') {
    throw new InvalidInputError('chrF: references must be a list of strings, not a single string');
  }
  return corpusChrf(
    [hypothesis],
    references.map((r) => [r]),
    opts,
  );
}
