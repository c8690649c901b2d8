/**
 * chrF and chrF++ exactly as sacrebleu 2.6.0 computes them (`sacrebleu.metrics.CHRF`): character
 * n-grams 1..6 over the text with all (Python) whitespace removed, optional word n-grams (chrF++,
 * `wordOrder: 2`) after sacrebleu's punctuation splitting, β = 2, the best reference per segment,
 * corpus statistics summed over segments, and the signature. No tokenizer: chrF needs none.
 */
import { InvalidInputError } from '../errors';
import { exactKeys, LocalIds, MAX_TABLE_ENTRIES, MatchTable } from './ngram-keys';
import { isPythonWhitespace, pyFixed, pyRemoveSpaces, pySplit } from './python-text';
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
  return fScore(stats, checkOptions(opts));
}

function fScore(stats: readonly number[], o: Required2): number {
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

/** `[hyp, ref, match]` per order for one hypothesis/reference pair of item id sequences. */
function tableStats(
  table: MatchTable,
  hyp: Int32Array,
  ref: Int32Array,
  base: number,
  order: number,
  out: number[],
): void {
  const match = new Array<number>(order).fill(0);
  table.begin((hyp.length + ref.length) * order);
  for (let i = 0; i < ref.length; i++) {
    let key = 0;
    const end = Math.min(ref.length, i + order);
    for (let j = i; j < end; j++) {
      key = key * base + (ref[j] as number);
      table.addRef(key);
    }
  }
  for (let i = 0; i < hyp.length; i++) {
    let key = 0;
    const end = Math.min(hyp.length, i + order);
    for (let j = i; j < end; j++) {
      key = key * base + (hyp[j] as number);
      if (table.hit(key)) match[j - i] = (match[j - i] as number) + 1;
    }
  }
  for (let n = 1; n <= order; n++) {
    const nHyp = Math.max(0, hyp.length - n + 1);
    const nRef = Math.max(0, ref.length - n + 1);
    // sacrebleu reports no hypothesis n-grams when the reference has none of that order
    out.push(nRef > 0 ? nHyp : 0, nRef, match[n - 1] as number);
  }
}

/**
 * Per-segment chrF statistics with exact integer n-gram keys over characters and words (see
 * ngram-keys.ts); a segment with too many distinct characters for exact keys uses string keys.
 */
class ChrfCounter {
  private readonly chars = new LocalIds();
  private readonly words = new LocalIds();
  private readonly table = new MatchTable();

  constructor(private readonly o: Required2) {}

  /** The statistics of the reference with the best segment F-score (first one on ties). */
  statistics(hyp: string, refs: readonly string[]): number[] {
    const o = this.o;
    this.chars.begin();
    const hypChars = this.charIds(hyp);
    const refChars = refs.map((r) => this.charIds(r));
    const charBase = this.chars.distinct + 1;
    let hypWords: Int32Array | undefined;
    let refWords: Int32Array[] = [];
    let wordBase = 0;
    if (o.wordOrder > 0) {
      this.words.begin();
      hypWords = this.wordIds(hyp);
      refWords = refs.map((r) => this.wordIds(r));
      wordBase = this.words.distinct + 1;
    }
    const exact =
      o.charOrder === 0 || exactKeys(this.chars.distinct, o.charOrder)
        ? o.wordOrder === 0 || exactKeys(this.words.distinct, o.wordOrder)
        : false;
    const longest = Math.max(hypChars.length, ...refChars.map((r) => r.length));
    if (!exact || 2 * longest * Math.max(o.charOrder, o.wordOrder) > MAX_TABLE_ENTRIES) {
      return slowStatistics(hyp, refs, o);
    }

    let best: number[] = [];
    let bestF = -1;
    for (let k = 0; k < refs.length; k++) {
      const stats: number[] = [];
      if (o.charOrder > 0)
        tableStats(this.table, hypChars, refChars[k] as Int32Array, charBase, o.charOrder, stats);
      if (hypWords) tableStats(this.table, hypWords, refWords[k] as Int32Array, wordBase, o.wordOrder, stats);
      const f = fScore(stats, o);
      if (f > bestF) {
        bestF = f;
        best = stats;
      }
    }
    return best;
  }

  /** Code point ids, without (Python) whitespace unless `whitespace`. */
  private charIds(s: string): Int32Array {
    const out = new Int32Array(s.length);
    let m = 0;
    for (let i = 0; i < s.length; i++) {
      let cp = s.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
        const lo = s.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
          i++;
        }
      }
      if (!this.o.whitespace && isPythonWhitespace(cp)) continue;
      out[m++] = this.chars.codePoint(cp);
    }
    return out.subarray(0, m);
  }

  private wordIds(s: string): Int32Array {
    const words = chrfWords(s);
    const out = new Int32Array(words.length);
    for (let i = 0; i < words.length; i++) out[i] = this.words.token(words[i] as string);
    return out;
  }
}

/** String-keyed statistics (sacrebleu's Counter approach), for segments beyond exact integer keys. */
function slowStatistics(hyp: string, refs: readonly string[], o: Required2): number[] {
  const order = o.charOrder + o.wordOrder;
  const hypNgrams = extractNgrams(hyp, o);
  let best: number[] = [];
  let bestF = -1;
  for (const ref of refs) {
    const refNgrams = extractNgrams(ref, o);
    const stats: number[] = [];
    for (let k = 0; k < order; k++)
      stats.push(...matchStatistics(hypNgrams[k] as Counts, refNgrams[k] as Counts));
    const f = fScore(stats, o);
    if (f > bestF) {
      bestF = f;
      best = stats;
    }
  }
  return best;
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
  const pre = (x: string) => (o.lowercase ? x.toLowerCase() : x);
  const counter = new ChrfCounter(o);
  for (let i = 0; i < hypotheses.length; i++) {
    const best = counter.statistics(pre(hypotheses[i] as string), (perSegment[i] as string[]).map(pre));
    for (let k = 0; k < best.length; k++) sums[k] = (sums[k] as number) + (best[k] as number);
  }
  const score = fScore(sums, o);
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
