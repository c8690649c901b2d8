/**
 * Monotone sequence alignment by dynamic programming (Gale & Church 1993, "A program for aligning
 * sentences in bilingual corpora", Computational Linguistics 19(1)), generalised: the caller gives
 * the cost of a bead (a run of source items against a run of target items), the moves allowed, and
 * optionally a band. A crossed 2-2 move ("swap") pairs s1↔t2 and s2↔t1.
 */

/** One step of the alignment: `[source items, target items]`, or `'swap'` for a crossed 2-2. */
export type Move = readonly [number, number] | 'swap';

/** Where a bead starts and how many items it takes on each side. */
export interface Bead {
  sourceStart: number;
  sourceCount: number;
  targetStart: number;
  targetCount: number;
  /** True for the crossed 2-2 move: source[s] ↔ target[t+1] and source[s+1] ↔ target[t]. */
  swapped: boolean;
  /** The bead's cost (nats) as given by the cost function. */
  cost: number;
}

export interface DpOptions<T> {
  moves: readonly Move[];
  /** Cost in nats (−log probability) of aligning `source` with `target`; `Infinity` forbids it. */
  cost(source: readonly T[], target: readonly T[]): number;
  /**
   * Extra cost of a crossed 2-2 (on top of the two 1-1 costs), or a function of the two source and
   * the two target items giving it (`Infinity` forbids that crossing).
   */
  swapCost?: number | ((source: readonly [T, T], target: readonly [T, T]) => number);
  /**
   * Half-width of the band around the diagonal (in items); cells further away are not explored.
   * Default: unlimited when n·m ≤ 2 500, else `max(32, 2·|n−m| + 16)` — wide enough for any run of
   * insertions and deletions that the two lengths allow, plus 16 items of local disorder.
   */
  band?: number;
}

const NO_PATH = -1;

/**
 * Aligns `source` with `target` and returns the beads of the cheapest monotone path in order.
 * Always returns a complete alignment when the moves include 1-0 and 0-1 with finite costs.
 */
export function alignSequences<T>(source: readonly T[], target: readonly T[], opts: DpOptions<T>): Bead[] {
  const n = source.length;
  const m = target.length;
  const width = m + 1;
  const band =
    opts.band ?? (n * m > 2_500 ? Math.max(32, 2 * Math.abs(n - m) + 16) : Number.POSITIVE_INFINITY);
  /** Columns explored in row i: the band around the diagonal j = i·m/n. */
  const columns = (i: number): [number, number] => {
    if (!Number.isFinite(band)) return [0, m];
    const diagonal = n === 0 ? 0 : (i * m) / n;
    return [Math.max(0, Math.ceil(diagonal - band)), Math.min(m, Math.floor(diagonal + band))];
  };
  const total = new Float64Array((n + 1) * width).fill(Number.POSITIVE_INFINITY);
  const back = new Int16Array((n + 1) * width).fill(NO_PATH);
  const stepCost = new Float64Array((n + 1) * width);
  total[0] = 0;
  const moves = opts.moves;
  const swapCost = opts.swapCost ?? 3;
  for (let i = 0; i <= n; i++) {
    const [from, to] = columns(i);
    for (let j = from; j <= to; j++) {
      if ((i | j) === 0) continue;
      let best = Number.POSITIVE_INFINITY;
      let bestMove = NO_PATH;
      let bestStep = 0;
      for (let k = 0; k < moves.length; k++) {
        const move = moves[k] as Move;
        const [di, dj] = move === 'swap' ? [2, 2] : move;
        if (di > i || dj > j) continue;
        const before = total[(i - di) * width + (j - dj)] as number;
        if (before === Number.POSITIVE_INFINITY) continue;
        let step: number;
        if (move === 'swap') {
          const extra =
            typeof swapCost === 'number'
              ? swapCost
              : swapCost([source[i - 2] as T, source[i - 1] as T], [target[j - 2] as T, target[j - 1] as T]);
          if (extra === Number.POSITIVE_INFINITY) continue;
          step =
            opts.cost([source[i - 2] as T], [target[j - 1] as T]) +
            opts.cost([source[i - 1] as T], [target[j - 2] as T]) +
            extra;
        } else {
          step = opts.cost(source.slice(i - di, i), target.slice(j - dj, j));
        }
        const value = before + step;
        if (value < best) {
          best = value;
          bestMove = k;
          bestStep = step;
        }
      }
      total[i * width + j] = best;
      back[i * width + j] = bestMove;
      stepCost[i * width + j] = bestStep;
    }
  }
  if (total[n * width + m] === Number.POSITIVE_INFINITY) {
    throw new RangeError(`alignSequences: no alignment of ${n}×${m} items with the given moves and band`);
  }
  const beads: Bead[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const k = back[i * width + j] as number;
    const move = moves[k] as Move;
    const [di, dj] = move === 'swap' ? [2, 2] : move;
    beads.push({
      sourceStart: i - di,
      sourceCount: di,
      targetStart: j - dj,
      targetCount: dj,
      swapped: move === 'swap',
      cost: stepCost[i * width + j] as number,
    });
    i -= di;
    j -= dj;
  }
  return beads.reverse();
}

/** Standard normal cumulative distribution (Abramowitz & Stegun 26.2.17, |error| < 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = 0.3989423 * Math.exp((-z * z) / 2);
  const p = d * t * (0.3193815 + t * (-0.3565638 + t * (1.781478 + t * (-1.821256 + t * 1.330274))));
  return z > 0 ? 1 - p : p;
}

/** Gale–Church length parameters for a language pair: target length ≈ `c` · source length. */
export interface LengthModel {
  /** Expected target/source length ratio. */
  c: number;
  /** Variance of (lt − c·ls) per unit of source length. */
  s2: number;
}

/**
 * Gale–Church length cost in nats: −ln(2·(1 − Φ(|δ|))) with δ = (lt − c·ls) / √(s2 · mean length),
 * mean length = (ls + lt/c) / 2. Zero-length beads on both sides cost 0.
 */
export function lengthCost(ls: number, lt: number, model: LengthModel): number {
  if (ls === 0 && lt === 0) return 0;
  const mean = (ls + lt / model.c) / 2;
  const delta = (lt - ls * model.c) / Math.sqrt(model.s2 * Math.max(mean, 1));
  const tail = 2 * (1 - normalCdf(Math.abs(delta)));
  return -Math.log(Math.max(tail, 1e-12));
}
