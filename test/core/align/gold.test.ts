import { describe, expect, it } from 'vitest';
import { addScores } from '../../../lambdas/core/align/evaluate';
import {
  HELD_OUT_GOLD,
  intlSplit,
  loadGold,
  PARAGRAPH_GOLD,
  paragraphScores,
  SENTENCE_GOLD,
  sentenceScores,
  splitSentences,
  splitterScores,
  TUNING_GOLD,
} from './gold';
import { type PerturbationKind, perturb, perturbedScores } from './perturb';

/** Targets from the issue: paragraph F1 ≥ 0.97, sentence F1 ≥ 0.93 on hand-checked gold. */
const PARAGRAPH_F1_FLOOR = 0.97;
const SENTENCE_F1_FLOOR = 0.93;

describe('alignment quality on the hand-checked D2L gold (en→zh)', () => {
  const docs = new Map([...PARAGRAPH_GOLD].map((name) => [name, loadGold(name)]));

  it.each([...PARAGRAPH_GOLD])('aligns the paragraphs of %s with F1 ≥ 0.97', (name) => {
    const { all, translated } = paragraphScores(docs.get(name) as ReturnType<typeof loadGold>);
    expect(all.f1).toBeGreaterThanOrEqual(PARAGRAPH_F1_FLOOR);
    expect(translated.f1).toBeGreaterThanOrEqual(PARAGRAPH_F1_FLOOR);
  });

  it.each([...SENTENCE_GOLD])('pairs the sentences of %s with F1 ≥ 0.93', (name) => {
    const scores = sentenceScores(docs.get(name) as ReturnType<typeof loadGold>);
    expect(scores.f1).toBeGreaterThanOrEqual(SENTENCE_F1_FLOOR);
  });

  it('splits the gold sentences at least as well as Intl.Segmenter (which splits after "e.g.")', () => {
    const mine = addScores(SENTENCE_GOLD.map((n) => splitterScores(docs.get(n) as never, splitSentences)));
    const intl = addScores(SENTENCE_GOLD.map((n) => splitterScores(docs.get(n) as never, intlSplit)));
    expect(mine.f1).toBeGreaterThanOrEqual(0.98);
    expect(mine.f1).toBeGreaterThanOrEqual(intl.f1);
  });

  describe('on the held-out gold (never tuned on; issue 15 targets)', () => {
    const held = HELD_OUT_GOLD.map((name) => docs.get(name) as ReturnType<typeof loadGold>);

    it('pairs paragraphs with precision ≥ 0.99 and F1 ≥ 0.98 in total', () => {
      const total = addScores(held.map((doc) => paragraphScores(doc).all));
      expect(total.gold).toBeGreaterThan(150);
      expect(total.precision).toBeGreaterThanOrEqual(0.99);
      expect(total.f1).toBeGreaterThanOrEqual(0.98);
    });

    it('pairs sentences with precision ≥ 0.98 and F1 ≥ 0.97 in total', () => {
      const total = addScores(held.map((doc) => sentenceScores(doc)));
      expect(total.gold).toBeGreaterThan(300);
      expect(total.precision).toBeGreaterThanOrEqual(0.98);
      expect(total.f1).toBeGreaterThanOrEqual(0.97);
    });
  });

  it.each<PerturbationKind>(['swap', 'merge', 'split', 'delete', 'add', 'paddle', 'heading'])(
    'keeps paragraph precision ≥ 0.98 and F1 ≥ 0.97 when the translation is perturbed by %s',
    (kind) => {
      const scores = [];
      let applied = 0;
      for (const name of TUNING_GOLD) {
        const doc = docs.get(name) as ReturnType<typeof loadGold>;
        for (let seed = 1; seed <= 3; seed++) {
          const perturbed = perturb(doc, { seed: seed * 7919 + name.length, count: 2, kinds: [kind] });
          applied += perturbed.applied.length;
          const s = perturbedScores(doc, perturbed);
          expect(s, `${name} seed ${seed}: the codec gave a different number of units`).toBeDefined();
          if (s) scores.push(s);
        }
      }
      expect(applied).toBeGreaterThanOrEqual(12);
      expect(addScores(scores).precision).toBeGreaterThanOrEqual(0.98);
      expect(addScores(scores).f1).toBeGreaterThanOrEqual(PARAGRAPH_F1_FLOOR);
    },
  );
});
