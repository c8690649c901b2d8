/**
 * BLEU exactly as sacrebleu 2.6.0 computes it (`sacrebleu.metrics.BLEU`): corpus and sentence level,
 * tokenizers `13a`/`zh`/`intl`/`char`/`none`, lowercase, smoothing `exp`/`floor`/`add-k`/`none`,
 * effective order, multiple references (clipped counts use the maximum count over references; the
 * reference length is the closest one, ties to the shorter), signatures and the printed score line.
 *
 * Result fields keep sacrebleu's names (`sys_len`, `ref_len`, …): they are what people compare.
 */
import { InvalidInputError } from '../errors';
import { exactKeys, LocalIds, MAX_TABLE_ENTRIES, MatchTable } from './ngram-keys';
import { pyFixed, pyRstrip } from './python-text';
import { type ReferenceStreams, segmentReferences } from './references';
import { formatSignature, type NRefs } from './signature';
import { getTokenizer, getTokenListTokenizer, type TokenizerName } from './tokenizers';

export type SmoothMethod = 'exp' | 'floor' | 'add-k' | 'none';
export const SMOOTH_METHODS: readonly SmoothMethod[] = ['exp', 'floor', 'add-k', 'none'];

/** sacrebleu's `BLEU.SMOOTH_DEFAULTS` (Chen & Cherry 2014): the value used when none is given. */
export const SMOOTH_DEFAULTS: Readonly<Record<SmoothMethod, number | null>> = {
  none: null,
  floor: 0.1,
  'add-k': 1,
  exp: null,
};

export const MAX_NGRAM_ORDER = 4;

export interface BleuOptions {
  /** Tokenizer, default `13a` (see `defaultTokenizerFor(lang)` to pick one for a target language). */
  tokenize?: TokenizerName;
  /** Lowercase hypotheses and references first (`case:lc`). Default false. */
  lowercase?: boolean;
  /** Default `exp` (mteval-v13a). */
  smoothMethod?: SmoothMethod;
  /** For `floor` (default 0.1) and `add-k` (default 1); `null`/absent = the default. */
  smoothValue?: number | null;
  /** Default 4. */
  maxNgramOrder?: number;
  /** Average only the n-gram orders the hypothesis has. Default false for corpus, true for sentence. */
  effectiveOrder?: boolean;
  /** Also return per-segment statistics `[sys_len, ref_len, correct_1..N, total_1..N]`. */
  keepSegmentStats?: boolean;
}

/** The sufficient statistics and score, with sacrebleu's field names. */
export interface BleuStatistics {
  score: number;
  /** Clipped n-gram matches per order (after add-k smoothing, as sacrebleu reports them). */
  counts: number[];
  /** Hypothesis n-grams per order (after add-k smoothing). */
  totals: number[];
  /** Precision per order in percent (smoothed). */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  sys_len: number;
  ref_len: number;
  /** sys_len / ref_len, 0 when ref_len is 0. */
  ratio: number;
}

export interface BleuScore extends BleuStatistics {
  name: 'BLEU';
  /** e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`. */
  signature: string;
  /** e.g. `#:1|c:mixed|e:no|tok:13a|s:exp|v:2.6.0`. */
  signature_short: string;
  /** sacrebleu's printed line: `BLEU|<signature> = 30.55 81.2/42.9/25.0/10.0 (BP = 1.000 …)`. */
  formatted: string;
  /** Per segment `[sys_len, ref_len, correct_1..N, total_1..N]`, when `keepSegmentStats`. */
  segment_stats?: number[][];
}

function checkOptions(opts: BleuOptions): Required<Omit<BleuOptions, 'keepSegmentStats' | 'smoothValue'>> & {
  smoothValue: number | null;
} {
  const smoothMethod = opts.smoothMethod ?? 'exp';
  if (!SMOOTH_METHODS.includes(smoothMethod)) {
    throw new InvalidInputError(
      `unknown BLEU smoothing '${String(smoothMethod)}': expected one of ${SMOOTH_METHODS.join(', ')}`,
    );
  }
  const maxNgramOrder = opts.maxNgramOrder ?? MAX_NGRAM_ORDER;
  if (!Number.isInteger(maxNgramOrder) || maxNgramOrder < 1 || maxNgramOrder > 16) {
    throw new InvalidInputError(`BLEU max n-gram order must be an integer 1–16, got ${maxNgramOrder}`);
  }
  const smoothValue = opts.smoothValue ?? null;
  if (smoothValue !== null && !(Number.isFinite(smoothValue) && smoothValue >= 0)) {
    throw new InvalidInputError(`BLEU smoothing value must be a finite number ≥ 0, got ${smoothValue}`);
  }
  const tokenize = opts.tokenize ?? '13a';
  getTokenizer(tokenize);
  return {
    tokenize,
    lowercase: opts.lowercase ?? false,
    smoothMethod,
    smoothValue,
    maxNgramOrder,
    effectiveOrder: opts.effectiveOrder ?? false,
  };
}

/** sacrebleu's `my_log`: log, with log(0) floored to -9999999999. */
function myLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/**
 * BLEU from its sufficient statistics (sacrebleu `BLEU.compute_bleu`), with every quirk: no match
 * at all gives 0 before smoothing; `add-k` adds k to orders ≥ 2 of both counts and totals; `exp`
 * halves the pseudo-precision for each successive zero order; with effective order, orders with
 * no hypothesis n-gram are left out of the geometric mean. `correct` and `total` are not modified.
 */
export function computeBleu(
  correct: readonly number[],
  total: readonly number[],
  sysLen: number,
  refLen: number,
  opts: Pick<BleuOptions, 'smoothMethod' | 'smoothValue' | 'effectiveOrder' | 'maxNgramOrder'> = {},
): BleuStatistics {
  const smoothMethod = opts.smoothMethod ?? 'none';
  const maxOrder = opts.maxNgramOrder ?? MAX_NGRAM_ORDER;
  const smoothValue = opts.smoothValue ?? SMOOTH_DEFAULTS[smoothMethod] ?? 0;
  const counts = correct.slice(0, maxOrder);
  const totals = total.slice(0, maxOrder);
  while (counts.length < maxOrder) counts.push(0);
  while (totals.length < maxOrder) totals.push(0);

  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
  const ratio = refLen ? sysLen / refLen : 0;
  const precisions = new Array<number>(maxOrder).fill(0);
  const base = { counts, totals, precisions, bp, sys_len: sysLen, ref_len: refLen, ratio };

  if (!counts.some((c) => c !== 0)) return { score: 0.0, ...base };

  let smoothMteval = 1.0;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (smoothMethod === 'add-k' && n > 1) {
      counts[n - 1] = (counts[n - 1] as number) + smoothValue;
      totals[n - 1] = (totals[n - 1] as number) + smoothValue;
    }
    const t = totals[n - 1] as number;
    const c = counts[n - 1] as number;
    if (t === 0) break;
    if (opts.effectiveOrder) effOrder = n;
    if (c === 0) {
      if (smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * t);
      } else if (smoothMethod === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / t;
      }
    } else {
      precisions[n - 1] = (100 * c) / t;
    }
  }
  let sum = 0;
  for (let i = 0; i < effOrder; i++) sum += myLog(precisions[i] as number);
  return { score: bp * Math.exp(sum / effOrder), ...base };
}

/** sacrebleu's `_get_closest_ref_len`: the reference length closest to the hypothesis, ties to the shorter. */
export function closestRefLength(hypLen: number, refLens: readonly number[]): number {
  let closestDiff = -1;
  let closestLen = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLen = len;
    } else if (diff === closestDiff && len < closestLen) {
      closestLen = len;
    }
  }
  return closestLen;
}

/** The `smooth:` value of the signature: `exp`, `none`, `floor[0.10]`, `add-k[1.00]`. */
function smoothLabel(method: SmoothMethod, value: number | null): string {
  const def = SMOOTH_DEFAULTS[method];
  if (def === null) return method;
  return `${method}[${pyFixed(value ?? def, 2)}]`;
}

/** sacrebleu's BLEU signature for these options and reference count (full and short forms). */
export function bleuSignature(opts: BleuOptions, nrefs: NRefs): { full: string; short: string } {
  const o = checkOptions(opts);
  const items = [
    { key: 'case', short: 'c', value: o.lowercase ? 'lc' : 'mixed' },
    { key: 'eff', short: 'e', value: o.effectiveOrder ? 'yes' : 'no' },
    { key: 'tok', short: 'tok', value: o.tokenize },
    { key: 'smooth', short: 's', value: smoothLabel(o.smoothMethod, o.smoothValue) },
  ];
  return { full: formatSignature(nrefs, items), short: formatSignature(nrefs, items, true) };
}

/** sacrebleu's printed BLEU line (`BLEUScore.format()` with the signature). */
export function formatBleu(s: BleuStatistics, signature: string): string {
  const precs = s.precisions.map((p) => pyFixed(p, 1)).join('/');
  const len = (n: number) => (Number.isInteger(n) ? String(n) : pyFixed(n, 0));
  return (
    `BLEU|${signature} = ${pyFixed(s.score, 2)} ${precs} (BP = ${pyFixed(s.bp, 3)} ` +
    `ratio = ${pyFixed(s.ratio, 3)} hyp_len = ${len(s.sys_len)} ref_len = ${len(s.ref_len)})`
  );
}

/**
 * Counts clipped n-gram matches segment by segment with exact integer keys (see ngram-keys.ts).
 * With one reference the keys go through a reusable typed-array hash table (no allocation per
 * segment); several references use maps (clip by the maximum count over references, sacrebleu's
 * merge); segments with too many distinct tokens for exact integer keys use string keys.
 */
class NgramCounter {
  private readonly ids = new LocalIds();
  private readonly table = new MatchTable();

  constructor(private readonly maxOrder: number) {}

  /** `[sys_len, ref_len, correct_1..N, total_1..N]` for one tokenized segment. */
  statistics(hyp: readonly string[], refs: readonly (readonly string[])[]): number[] {
    const maxOrder = this.maxOrder;
    const refLen = closestRefLength(
      hyp.length,
      refs.map((r) => r.length),
    );
    const correct = new Array<number>(maxOrder).fill(0);
    const total = new Array<number>(maxOrder).fill(0);
    for (let n = 1; n <= maxOrder; n++) total[n - 1] = Math.max(0, hyp.length - n + 1);

    this.ids.begin();
    const toIds = (tokens: readonly string[]): Int32Array => {
      const out = new Int32Array(tokens.length);
      for (let i = 0; i < tokens.length; i++) out[i] = this.ids.token(tokens[i] as string);
      return out;
    };
    const hypIds = toIds(hyp);
    const refIds = refs.map(toIds);
    const base = this.ids.distinct + 1;

    if (!exactKeys(this.ids.distinct, maxOrder)) {
      stringKeyMatches(hyp, refs, maxOrder, correct);
    } else if (
      refIds.length === 1 &&
      (hypIds.length + (refIds[0] as Int32Array).length) * maxOrder <= MAX_TABLE_ENTRIES
    ) {
      this.tableMatches(hypIds, refIds[0] as Int32Array, base, correct);
    } else {
      mapMatches(hypIds, refIds, base, maxOrder, correct);
    }
    return [hyp.length, refLen, ...correct, ...total];
  }

  private tableMatches(hypIds: Int32Array, refIds: Int32Array, base: number, correct: number[]): void {
    const maxOrder = this.maxOrder;
    const table = this.table;
    table.begin((hypIds.length + refIds.length) * maxOrder);
    for (let i = 0; i < refIds.length; i++) {
      let key = 0;
      const end = Math.min(refIds.length, i + maxOrder);
      for (let j = i; j < end; j++) {
        key = key * base + (refIds[j] as number);
        table.addRef(key);
      }
    }
    for (let i = 0; i < hypIds.length; i++) {
      let key = 0;
      const end = Math.min(hypIds.length, i + maxOrder);
      for (let j = i; j < end; j++) {
        key = key * base + (hypIds[j] as number);
        if (table.hit(key)) correct[j - i] = (correct[j - i] as number) + 1;
      }
    }
  }
}

function mapMatches(
  hypIds: Int32Array,
  refIds: readonly Int32Array[],
  base: number,
  maxOrder: number,
  correct: number[],
): void {
  const refCounts = new Map<number, number>();
  for (const ids of refIds) {
    const counts = new Map<number, number>();
    for (let i = 0; i < ids.length; i++) {
      let key = 0;
      const end = Math.min(ids.length, i + maxOrder);
      for (let j = i; j < end; j++) {
        key = key * base + (ids[j] as number);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    for (const [key, c] of counts) if (c > (refCounts.get(key) ?? 0)) refCounts.set(key, c);
  }
  const seen = new Map<number, number>();
  for (let i = 0; i < hypIds.length; i++) {
    let key = 0;
    const end = Math.min(hypIds.length, i + maxOrder);
    for (let j = i; j < end; j++) {
      key = key * base + (hypIds[j] as number);
      const c = (seen.get(key) ?? 0) + 1;
      seen.set(key, c);
      if (c <= (refCounts.get(key) ?? 0)) correct[j - i] = (correct[j - i] as number) + 1;
    }
  }
}

function stringKeyMatches(
  hyp: readonly string[],
  refs: readonly (readonly string[])[],
  maxOrder: number,
  correct: number[],
): void {
  // Tokens contain no whitespace, so joining with a space keeps n-grams distinct (as sacrebleu's tuples).
  const refCounts = new Map<string, number>();
  for (const tokens of refs) {
    const counts = new Map<string, number>();
    for (let i = 0; i < tokens.length; i++) {
      const end = Math.min(tokens.length, i + maxOrder);
      for (let j = i; j < end; j++) {
        const key = tokens.slice(i, j + 1).join(' ');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    for (const [key, c] of counts) if (c > (refCounts.get(key) ?? 0)) refCounts.set(key, c);
  }
  const seen = new Map<string, number>();
  for (let i = 0; i < hyp.length; i++) {
    const end = Math.min(hyp.length, i + maxOrder);
    for (let j = i; j < end; j++) {
      const key = hyp.slice(i, j + 1).join(' ');
      const c = (seen.get(key) ?? 0) + 1;
      seen.set(key, c);
      if (c <= (refCounts.get(key) ?? 0)) correct[j - i] = (correct[j - i] as number) + 1;
    }
  }
}

/** Lowercases (optionally), strips trailing whitespace, tokenizes and splits, as sacrebleu's BLEU. */
export function bleuTokens(line: string, opts: Pick<BleuOptions, 'tokenize' | 'lowercase'> = {}): string[] {
  const tok = getTokenListTokenizer(opts.tokenize ?? '13a');
  return tok(pyRstrip(opts.lowercase ? line.toLowerCase() : line));
}

/**
 * Corpus BLEU, like `sacrebleu.corpus_bleu(hypotheses, references)` / `BLEU(...).corpus_score`.
 * `references[k][i]` is the k-th reference of segment i; `null`/`''` marks a missing one.
 * Throws InvalidInputError for an empty corpus, streams of different lengths, or a segment
 * without any reference (sacrebleu raises too).
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: ReferenceStreams,
  opts: BleuOptions = {},
): BleuScore {
  const o = checkOptions(opts);
  const { perSegment, nrefs } = segmentReferences(hypotheses, references, 'BLEU');
  const size = 2 + 2 * o.maxNgramOrder;
  const sums = new Array<number>(size).fill(0);
  const segmentStats: number[][] = [];
  const counter = new NgramCounter(o.maxNgramOrder);
  for (let i = 0; i < hypotheses.length; i++) {
    const refs = (perSegment[i] as string[]).map((r) => bleuTokens(r, o));
    const stats = counter.statistics(bleuTokens(hypotheses[i] as string, o), refs);
    for (let k = 0; k < size; k++) sums[k] = (sums[k] as number) + (stats[k] as number);
    if (opts.keepSegmentStats) segmentStats.push(stats);
  }
  const n = o.maxNgramOrder;
  const stats = computeBleu(sums.slice(2, 2 + n), sums.slice(2 + n), sums[0] as number, sums[1] as number, o);
  const sig = bleuSignature(o, nrefs);
  const result: BleuScore = {
    name: 'BLEU',
    ...stats,
    signature: sig.full,
    signature_short: sig.short,
    formatted: formatBleu(stats, sig.full),
  };
  if (opts.keepSegmentStats) result.segment_stats = segmentStats;
  return result;
}

/**
 * Sentence BLEU, like `sacrebleu.sentence_bleu(hypothesis, references)`: the same as a one-segment
 * corpus, with `effectiveOrder` defaulting to true (sacrebleu's `sentence_bleu` default).
 */
export function sentenceBleu(
  hypothesis: string,
  references: readonly string[],
  opts: BleuOptions = {},
): BleuScore {
  if (typeof references === 'string') {
    throw new InvalidInputError('BLEU: references must be a list of strings, not a single string');
  }
  return corpusBleu(
    [hypothesis],
    references.map((r) => [r]),
    { ...opts, effectiveOrder: opts.effectiveOrder ?? true },
  );
}
