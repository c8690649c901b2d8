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
 * including 1-0/0-1 and their costs; `alignSentences` decides which to trust.
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
  return alignSequences(toItems(source, opts.from), toItems(target, opts.to), {
    moves: SENTENCE_MOVES,
    cost: (s, t) => sentenceBeadCost(s, t, model),
  });
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
): { pairs: { source: string; target: string }[]; unmatched: number } | null {
  const src = splitUnits(source, opts.from);
  const tgt = splitUnits(target, opts.to);
  if (src.length === 0 || tgt.length === 0) return null;
  if (src.length === 1 && tgt.length === 1) {
    return { pairs: [{ source: src[0] as string, target: tgt[0] as string }], unmatched: 0 };
  }
  const pairs: { source: string; target: string }[] = [];
  let unmatched = 0;
  for (const bead of sentenceBeads(src, tgt, opts)) {
    if (bead.cost > S.maxBeadCost) return null;
    if (bead.sourceCount === 0 || bead.targetCount === 0) {
      unmatched += bead.sourceCount + bead.targetCount;
      continue;
    }
    const s = src.slice(bead.sourceStart, bead.sourceStart + bead.sourceCount);
    const t = tgt.slice(bead.targetStart, bead.targetStart + bead.targetCount);
    pairs.push({ source: joinTexts(s, opts.from), target: joinTexts(t, opts.to) });
  }
  if (pairs.length === 0) return null;
  return { pairs, unmatched };
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
    pairs: 0,
  };
  const pairs: { source: string; target: string }[] = [];
  for (const group of groups) {
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
