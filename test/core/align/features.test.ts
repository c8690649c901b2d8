import { describe, expect, it } from 'vitest';
import {
  anchorCost,
  anchorsOf,
  LENGTH_MODELS,
  lengthModel,
  textLength,
} from '../../../lambdas/core/align/features';

describe('textLength()', () => {
  it.each([
    ['', 0],
    ['   ', 0],
    ['Hello, world!', 10],
    ['你好，世界。', 4],
    ['x = $\\sum_i x_i$ and :numref:`sec_a` and `code()`', 7],
  ])('measures %j as %d length units (protected items and punctuation count 0)', (text, length) => {
    expect(textLength(text)).toBe(length);
  });

  it('weighs Latin letters inside Chinese text by the given weight', () => {
    expect(textLength('使用softmax运算', 0.5)).toBe(4 + 3.5);
  });
});

describe('lengthModel()', () => {
  it('uses the measured en-zh model for zh variants and its inverse for zh→en', () => {
    const enZh = LENGTH_MODELS['en-zh'] as { c: number; s2: number };
    expect(lengthModel('en', 'zh-TW')).toMatchObject({ c: enZh.c, s2: enZh.s2 });
    expect(lengthModel('zh', 'en').c).toBeCloseTo(1 / enZh.c, 10);
  });

  it("falls back to Gale & Church's values for unmeasured pairs", () => {
    expect(lengthModel('en', 'pt')).toMatchObject({ c: 1, s2: 6.8 });
  });
});

describe('anchorsOf() and anchorCost()', () => {
  it('finds role keys (each key of a multi-key :cite:), inline math, inline code and numbers', () => {
    const a = anchorsOf(
      'See :numref:`sec_a` and :cite:`A.2020,B.2021`, $x + y$, `f(x)`, 1,000 and 3.5.',
      'en',
    );
    expect(a.strong).toEqual(['cite:A.2020', 'cite:B.2021', 'code:f(x)', 'math:x+y', 'numref:sec_a']);
    expect(a.nums).toEqual(['1000', '3.5']);
  });

  it('keeps the Latin terms of Chinese text to look them up in the English', () => {
    const zh = anchorsOf('*负采样*（negative sampling）和softmax', 'zh');
    expect(zh.terms.sort()).toEqual(['negative', 'sampling', 'softmax']);
    expect(zh.words).toBeNull();
  });

  it('prices shared anchors below missing ones', () => {
    const en = {
      anchors: anchorsOf('As in :numref:`sec_a`, with $x$ and 10 epochs of negative sampling.', 'en'),
    };
    const same = {
      anchors: anchorsOf('如 :numref:`sec_a`所示，用$x$和10个周期的负采样（negative sampling）。', 'zh'),
    };
    const other = { anchors: anchorsOf('见 :numref:`sec_b`，用$y$训练20个周期（dropout）。', 'zh') };
    expect(anchorCost([en], [same])).toBeLessThan(0);
    expect(anchorCost([en], [other])).toBeGreaterThan(0);
    expect(anchorCost([], [])).toBe(0);
  });
});
