/**
 * Pairs a document with its human translation: codec segments → paragraph alignment → (by default)
 * sentence alignment inside each aligned paragraph group, with fallback to the paragraph pair when
 * the sentences cannot be aligned with confidence.
 */
import { extractSegments } from '../markdown';
import type { Segment } from '../markdown/types';
import { alignSequences, type Bead, lengthCost, type Move } from './dp';
import { type Anchors, anchorCost, anchorsOf, lengthIn, lengthModel } from './features';
import { type AlignedGroup, alignParagraphs } from './paragraphs';
import { isCjkLanguage, splitSentences } from './sentences';

export type PairLevel = 'sentence' | 'paragraph';

export interface PairOptions {
  from: string;
  to: string;
  /** `sentence` (default; the better ACT data) or `paragraph`. */
  level?: PairLevel;
  /** File names for messages. */
  sourceFile?: string;
  targetFile?: string;
}

/** Counts for one document pair; every unit is accounted for. */
export interface PairCounts {
  sourceUnits: number;
  targetUnits: number;
  /** Paragraph groups with units on both sides, by shape (`1-1`, `2-1`, …). */
  groups: Record<string, number>;
  /** Source units without a counterpart in the translation (left out). */
  unmatchedSource: number;
  /** Target units without a counterpart in the source (left out; e.g. paddle-only prose). */
  unmatchedTarget: number;
  /** Paragraph groups paired sentence by sentence. */
  sentenceAligned: number;
  /** Paragraph groups written as one paragraph pair because their sentences did not align with confidence. */
  paragraphFallbacks: number;
  /** Sentences without a counterpart inside a sentence-aligned group (left out). */
  unmatchedSentences: number;
  /**
   * Units the paragraph DP paired, but below the confidence threshold, so left out (precision over
   * recall); already counted in `unmatchedSource`/`unmatchedTarget`.
   */
  untrustedUnits: number;
  /** Sentence pairs whose order in the translation differs from the source's (crossed or reordered). */
  crossedSentencePairs: number;
  /** Pairs returned. */
  pairs: number;
}

export interface PairResult {
  pairs: { source: string; target: string }[];
  counts: PairCounts;
  /** The paragraph alignment the pairs come from. */
  groups: AlignedGroup[];
}

interface SentenceItem {
  text: string;
  length: number;
  anchors: Anchors;
}

/** Costs (nats) for sentence beads inside one aligned paragraph group. */
const S = {
  oneOne: -Math.log(0.85),
  deletion: -Math.log(0.01),
  twoOne: -Math.log(0.06),
  twoTwo: -Math.log(0.005),
  threeOne: -Math.log(0.005),
  /** A bead costing more than this is not trusted (the group falls back to its paragraph pair). */
  maxBeadCost: 6,
  /** Extra cost of two adjacent sentences translated in the opposite order (a crossed 2-2). */
  swap: 3,
  /**
   * Reordered sentences: a 1-1 pairing that is not monotone replaces the DP's path only when it is
   * cheaper by this margin plus `inversion` per pair of crossing pairs (the anchors and lengths must
   * say so clearly); tried for paragraphs of 3 to `maxPermuted` sentences on each side.
   */
  inversion: 1.5,
  permutationMargin: 2,
  maxPermuted: 8,
} as const;

const SENTENCE_MOVES: readonly Move[] = [
  [1, 1],
  [1, 0],
  [0, 1],
  [2, 1],
  [1, 2],
  [2, 2],
  [3, 1],
  [1, 3],
  'swap',
];

/** Joins the texts of several units of one side, as one paragraph of that language. */
export function joinTexts(texts: readonly string[], lang: string): string {
  return texts.join(isCjkLanguage(lang) ? '' : ' ');
}

function sentenceBeadCost(
  s: readonly SentenceItem[],
  t: readonly SentenceItem[],
  model: { c: number; s2: number },
) {
  const n = s.length;
  const m = t.length;
  let cost: number =
    n === 0 || m === 0
      ? S.deletion
      : n === 1 && m === 1
        ? S.oneOne
        : n + m === 3
          ? S.twoOne
          : n === 2 && m === 2
            ? S.twoTwo
            : S.threeOne;
  cost += lengthCost(
    s.reduce((a, x) => a + x.length, 0),
    t.reduce((a, x) => a + x.length, 0),
    model,
  );
  cost += anchorCost(s, t);
  return cost;
}

/** Sentences of one side of a group: a unit boundary is always a sentence boundary. */
export function splitUnits(texts: string | readonly string[], lang: string): string[] {
  return (typeof texts === 'string' ? [texts] : texts).flatMap((text) => splitSentences(text, lang));
}

/**
 * Aligns two lists of sentences (one paragraph group) with the sentence-level DP. Returns all beads,
 * including 1-0/0-1 and their costs; `alignSentences` decides which to trust. A crossed pair of
 * adjacent sentences is a `swapped` bead; a paragraph whose sentences were reordered further (the
 * translation opens with the last sentence) comes back as crossing 1-1 beads when the anchors and
 * lengths of a 1-1 pairing clearly beat the monotone path (see `S.inversion`).
 */
export function sentenceBeads(
  source: readonly string[],
  target: readonly string[],
  opts: { from: string; to: string },
): Bead[] {
  const model = lengthModel(opts.from, opts.to);
  const toItems = (sentences: readonly string[], lang: string): SentenceItem[] =>
    sentences.map((sentence) => ({
      text: sentence,
      length: lengthIn(sentence, lang, model),
      anchors: anchorsOf(sentence, lang),
    }));
  const s = toItems(source, opts.from);
  const t = toItems(target, opts.to);
  const cost = (a: readonly SentenceItem[], b: readonly SentenceItem[]) => sentenceBeadCost(a, b, model);
  // Anchors decide crossings: two sentences are paired crosswise only when both crossed pairs share
  // anchors and the anchors of the crossed pairs fit better than those of the straight ones.
  const swapCost = (a: readonly [SentenceItem, SentenceItem], b: readonly [SentenceItem, SentenceItem]) => {
    const crossed = [anchorCost([a[0]], [b[1]]), anchorCost([a[1]], [b[0]])];
    const straight = anchorCost([a[0]], [b[0]]) + anchorCost([a[1]], [b[1]]);
    if (crossed.some((x) => x >= 0) || (crossed[0] as number) + (crossed[1] as number) >= straight)
      return Number.POSITIVE_INFINITY;
    return S.swap;
  };
  const beads = alignSequences(s, t, { moves: SENTENCE_MOVES, cost, swapCost });
  const n = s.length;
  if (n !== t.length || n < 3 || n > S.maxPermuted) return beads;
  const permuted = bestPermutation(s, t, cost);
  const monotone = beads.reduce((a, b) => a + b.cost, 0);
  if (
    permuted.inversions < 2 ||
    permuted.cost + S.inversion * permuted.inversions + S.permutationMargin >= monotone
  )
    return beads;
  // The anchors alone must prefer the reordering to the straight pairing.
  const anchorsOfPairing = (order: readonly number[]) =>
    order.reduce((a, j, i) => a + anchorCost([s[i] as SentenceItem], [t[j] as SentenceItem]), 0);
  if (anchorsOfPairing(permuted.order) + S.permutationMargin > anchorsOfPairing(s.map((_, i) => i)))
    return beads;
  return permuted.order.map((j, i) => ({
    sourceStart: i,
    sourceCount: 1,
    targetStart: j,
    targetCount: 1,
    swapped: false,
    cost: permuted.costs[i] as number,
  }));
}

/** The cheapest 1-1 pairing of `s` with `t` (equal lengths ≤ 8): DP over subsets of `t`. */
function bestPermutation<T>(
  s: readonly T[],
  t: readonly T[],
  cost: (a: readonly T[], b: readonly T[]) => number,
): { order: number[]; costs: number[]; cost: number; inversions: number } {
  const n = s.length;
  const c = s.map((a) => t.map((b) => cost([a], [b])));
  const size = 1 << n;
  const best = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
  const from = new Int8Array(size).fill(-1);
  best[0] = 0;
  for (let mask = 0; mask < size; mask++) {
    const here = best[mask] as number;
    if (here === Number.POSITIVE_INFINITY) continue;
    let i = 0;
    for (let m = mask; m; m &= m - 1) i++;
    if (i >= n) continue;
    for (let j = 0; j < n; j++) {
      if (mask & (1 << j)) continue;
      const next = mask | (1 << j);
      const value = here + ((c[i] as number[])[j] as number);
      if (value < (best[next] as number)) {
        best[next] = value;
        from[next] = j;
      }
    }
  }
  const order: number[] = [];
  for (let mask = size - 1; mask; mask &= ~(1 << (from[mask] as number))) order.unshift(from[mask] as number);
  let inversions = 0;
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) if ((order[a] as number) > (order[b] as number)) inversions++;
  const costs = order.map((j, i) => (c[i] as number[])[j] as number);
  return { order, costs, cost: best[size - 1] as number, inversions };
}

/**
 * Aligns the sentences of one paragraph pair. Returns the sentence pairs, or `null` when the
 * alignment is not confident: a bead costs more than `S.maxBeadCost`, or no pair is left.
 * Sentences without a counterpart (1-0, 0-1 beads) are left out and counted in `unmatched`.
 */
export function alignSentences(
  source: string | readonly string[],
  target: string | readonly string[],
  opts: { from: string; to: string },
): { pairs: { source: string; target: string }[]; unmatched: number; crossed: number } | null {
  const src = splitUnits(source, opts.from);
  const tgt = splitUnits(target, opts.to);
  if (src.length === 0 || tgt.length === 0) return null;
  if (src.length === 1 && tgt.length === 1) {
    return { pairs: [{ source: src[0] as string, target: tgt[0] as string }], unmatched: 0, crossed: 0 };
  }
  const pairs: { source: string; target: string }[] = [];
  let unmatched = 0;
  let crossed = 0;
  let lastTarget = -1;
  for (const bead of sentenceBeads(src, tgt, opts)) {
    if (bead.swapped) {
      // Crossed: source[s] ↔ target[t+1], source[s+1] ↔ target[t]; its cost is the two pairs' (+ swap).
      if (bead.cost > 2 * S.maxBeadCost) return null;
      const [s1, s2] = src.slice(bead.sourceStart, bead.sourceStart + 2) as [string, string];
      const [t1, t2] = tgt.slice(bead.targetStart, bead.targetStart + 2) as [string, string];
      pairs.push({ source: s1, target: t2 }, { source: s2, target: t1 });
      crossed += 2;
      lastTarget = bead.targetStart + 1;
      continue;
    }
    if (bead.cost > S.maxBeadCost) return null;
    if (bead.targetCount > 0) {
      if (bead.targetStart < lastTarget) crossed++;
      lastTarget = Math.max(lastTarget, bead.targetStart);
    }
    if (bead.sourceCount === 0 || bead.targetCount === 0) {
      unmatched += bead.sourceCount + bead.targetCount;
      continue;
    }
    const s = src.slice(bead.sourceStart, bead.sourceStart + bead.sourceCount);
    const t = tgt.slice(bead.targetStart, bead.targetStart + bead.targetCount);
    pairs.push({ source: joinTexts(s, opts.from), target: joinTexts(t, opts.to) });
  }
  if (pairs.length === 0) return null;
  return { pairs, unmatched, crossed };
}

/**
 * Pairs the prose of `sourceMarkdown` with its translation `targetMarkdown`.
 * Paragraph level: one pair per aligned group with units on both sides (texts of a multi-unit side
 * joined). Sentence level: the sentences inside each group, or the group's paragraph pair when the
 * sentences do not align with confidence. Headings are always paired whole.
 */
export function pairDocuments(sourceMarkdown: string, targetMarkdown: string, opts: PairOptions): PairResult {
  const level = opts.level ?? 'sentence';
  const source = extractSegments(sourceMarkdown, { file: opts.sourceFile });
  const target = extractSegments(targetMarkdown, { file: opts.targetFile });
  return pairSegments(source, target, { ...opts, level, sourceMarkdown, targetMarkdown });
}

/** `pairDocuments` for already extracted segments (the Markdown, when given, supplies anchors). */
export function pairSegments(
  source: readonly Segment[],
  target: readonly Segment[],
  opts: PairOptions & { sourceMarkdown?: string; targetMarkdown?: string },
): PairResult {
  const level = opts.level ?? 'sentence';
  const groups = alignParagraphs(source, target, opts);
  const counts: PairCounts = {
    sourceUnits: source.length,
    targetUnits: target.length,
    groups: {},
    unmatchedSource: 0,
    unmatchedTarget: 0,
    sentenceAligned: 0,
    paragraphFallbacks: 0,
    unmatchedSentences: 0,
    untrustedUnits: 0,
    crossedSentencePairs: 0,
    pairs: 0,
  };
  const pairs: { source: string; target: string }[] = [];
  for (const group of groups) {
    if (group.untrusted) counts.untrustedUnits += group.source.length + group.target.length;
    if (group.target.length === 0) {
      counts.unmatchedSource += group.source.length;
      continue;
    }
    if (group.source.length === 0) {
      counts.unmatchedTarget += group.target.length;
      continue;
    }
    const shape = `${group.source.length}-${group.target.length}`;
    counts.groups[shape] = (counts.groups[shape] ?? 0) + 1;
    const sourceText = joinTexts(
      group.source.map((u) => u.text),
      opts.from,
    );
    const targetText = joinTexts(
      group.target.map((u) => u.text),
      opts.to,
    );
    const heading = group.source.some((u) => u.kind === 'heading');
    if (level === 'sentence' && !heading) {
      const sentences = alignSentences(
        group.source.map((u) => u.text),
        group.target.map((u) => u.text),
        opts,
      );
      if (sentences) {
        counts.sentenceAligned++;
        counts.unmatchedSentences += sentences.unmatched;
        counts.crossedSentencePairs += sentences.crossed;
        pairs.push(...sentences.pairs);
        continue;
      }
      counts.paragraphFallbacks++;
    }
    pairs.push({ source: sourceText, target: targetText });
  }
  counts.pairs = pairs.length;
  return { pairs, counts, groups };
}
