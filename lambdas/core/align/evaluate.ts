/**
 * Scoring an alignment against a gold alignment: precision, recall and F1 over pairs (groups with
 * something on both sides; unaligned units are not pairs), and over sentence boundaries.
 */

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  /** Pairs predicted, pairs in the gold, pairs in both. */
  predicted: number;
  gold: number;
  correct: number;
}

/** P/R/F1 of `predicted` against `gold`, both given as pair keys (any string identifying a pair exactly). */
export function pairScores(predicted: Iterable<string>, gold: Iterable<string>): Scores {
  const g = new Map<string, number>();
  let goldCount = 0;
  for (const key of gold) {
    g.set(key, (g.get(key) ?? 0) + 1);
    goldCount++;
  }
  let predictedCount = 0;
  let correct = 0;
  for (const key of predicted) {
    predictedCount++;
    const left = g.get(key) ?? 0;
    if (left > 0) {
      correct++;
      g.set(key, left - 1);
    }
  }
  return scores(predictedCount, goldCount, correct);
}

function scores(predicted: number, gold: number, correct: number): Scores {
  const precision = predicted === 0 ? (gold === 0 ? 1 : 0) : correct / predicted;
  const recall = gold === 0 ? 1 : correct / gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, predicted, gold, correct };
}

/** Sums several score records (micro average). */
export function addScores(all: readonly Scores[]): Scores {
  const p = all.reduce((a, s) => a + s.predicted, 0);
  const g = all.reduce((a, s) => a + s.gold, 0);
  const c = all.reduce((a, s) => a + s.correct, 0);
  return scores(p, g, c);
}

/** Sentence-end positions of a split, counted in non-space characters (so spacing does not matter). */
function boundaries(sentences: readonly string[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const s of sentences.slice(0, -1)) {
    at += s.replace(/\s+/g, '').length;
    out.push(at);
  }
  return out;
}

/** P/R/F1 of the sentence boundaries of `predicted` against `gold` (two splits of the same text). */
export function boundaryScores(predicted: readonly string[], gold: readonly string[]): Scores {
  return pairScores(boundaries(predicted).map(String), boundaries(gold).map(String));
}
