import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lambdas/core/errors';
import {
  bleuSignature,
  bleuTokens,
  closestRefLength,
  computeBleu,
  corpusBleu,
  type SmoothMethod,
  sentenceBleu,
  TOKENIZER_NAMES,
} from '../../../lambdas/core/score';

describe('corpusBleu() — bad input', () => {
  it('rejects an empty corpus (sacrebleu raises too)', () => {
    expect(() => corpusBleu([], [[]])).toThrow(InvalidInputError);
  });

  it('rejects no reference stream at all', () => {
    expect(() => corpusBleu(['a'], [])).toThrow(/no reference stream/);
  });

  it('rejects a reference stream of another length instead of truncating silently', () => {
    expect(() => corpusBleu(['a', 'b'], [['a']])).toThrow(/stream 1 has 1 segments, expected 2/);
  });

  it.each([[''], [null]])('rejects a segment whose only reference is %j', (ref) => {
    expect(() => corpusBleu(['a b'], [[ref]])).toThrow(/segment 1 has no reference/);
  });

  it('accepts a whitespace-only reference (non-empty for sacrebleu) as zero tokens', () => {
    const r = corpusBleu(['a b c d'], [['   ']]);
    expect(r.ref_len).toBe(0);
    expect(r.score).toBe(0);
  });

  it.each([
    [{ smoothMethod: 'laplace' as SmoothMethod }, /unknown BLEU smoothing 'laplace'/],
    [{ smoothValue: -1 }, /smoothing value/],
    [{ smoothValue: Number.NaN }, /smoothing value/],
    [{ maxNgramOrder: 0 }, /max n-gram order/],
    [{ maxNgramOrder: 2.5 }, /max n-gram order/],
    [{ tokenize: 'moses' as never }, /unknown BLEU tokenizer/],
  ])('rejects options %j', (opts, message) => {
    expect(() => corpusBleu(['a'], [['a']], opts)).toThrow(message);
  });

  it('rejects a non-string hypothesis', () => {
    expect(() => corpusBleu([42 as unknown as string], [['a']])).toThrow(/hypothesis 1 is not a string/);
  });
});

describe('sentenceBleu()', () => {
  it('rejects a single string where a list of references is expected', () => {
    expect(() => sentenceBleu('a', 'a' as unknown as string[])).toThrow(/list of strings/);
  });

  it('scores an empty hypothesis 0 with brevity penalty 0', () => {
    const r = sentenceBleu('', ['Something is here.']);
    expect(r).toMatchObject({ score: 0, bp: 0, sys_len: 0, ref_len: 4, ratio: 0, totals: [0, 0, 0, 0] });
  });

  it('uses effective order by default, so a one-word exact match is 100', () => {
    const r = sentenceBleu('Hello', ['Hello']);
    expect(r.score).toBeCloseTo(100, 9);
    expect(r.signature).toBe('nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0');
  });

  it('gives 0 to a one-word exact match without effective order (missing orders count as log 0)', () => {
    expect(sentenceBleu('Hello', ['Hello'], { effectiveOrder: false }).score).toBe(0);
  });

  it('gives 0 whatever the smoothing when nothing matches (sacrebleu #141)', () => {
    for (const smoothMethod of ['exp', 'floor', 'add-k', 'none'] as const) {
      const r = sentenceBleu('x y z w', ['a b c d'], { smoothMethod });
      expect(r.score).toBe(0);
      expect(r.counts).toEqual([0, 0, 0, 0]);
      expect(r.precisions).toEqual([0, 0, 0, 0]);
    }
  });

  // hyp "a b c d" vs ref "a b c e": matches 3/4, 2/3, 1/2, 0/1
  it.each([
    ['exp', [75, 200 / 3, 50, 50], 12_500_000 ** 0.25],
    ['floor', [75, 200 / 3, 50, 10], 2_500_000 ** 0.25],
    ['none', [75, 200 / 3, 50, 0], 0],
  ] as const)('applies %s smoothing to a missing 4-gram', (smoothMethod, precisions, score) => {
    const r = sentenceBleu('a b c d', ['a b c e'], { smoothMethod });
    expect(r.counts).toEqual([3, 2, 1, 0]);
    expect(r.totals).toEqual([4, 3, 2, 1]);
    r.precisions.forEach((p, i) => {
      expect(p).toBeCloseTo(precisions[i] as number, 10);
    });
    expect(r.score).toBeCloseTo(score, 9);
  });

  it('add-k adds k to counts and totals of orders ≥ 2 and reports them smoothed (as sacrebleu)', () => {
    const r = sentenceBleu('a b c d', ['a b c e'], { smoothMethod: 'add-k' });
    expect(r.counts).toEqual([3, 3, 2, 1]);
    expect(r.totals).toEqual([4, 4, 3, 2]);
    expect(r.score).toBeCloseTo(18_750_000 ** 0.25, 9);
    expect(r.signature).toContain('smooth:add-k[1.00]');
  });

  it('exp smoothing halves the pseudo-precision at each successive zero order', () => {
    const r = sentenceBleu('a b c d e', ['a x b y c'], { smoothMethod: 'exp' });
    expect(r.counts).toEqual([3, 0, 0, 0]);
    expect(r.precisions[1]).toBeCloseTo(100 / (2 * 4), 12);
    expect(r.precisions[2]).toBeCloseTo(100 / (4 * 3), 12);
    expect(r.precisions[3]).toBeCloseTo(100 / (8 * 2), 12);
  });

  it('picks the closest reference length, ties to the shorter one', () => {
    expect(sentenceBleu('a b c d e', ['a b c', 'a b c d e f g']).ref_len).toBe(3);
    expect(sentenceBleu('a b c d e', ['a b c d', 'a b c d e f g']).ref_len).toBe(4);
    expect(sentenceBleu('a b c d e', ['a b', 'a b c d e f']).ref_len).toBe(6);
  });

  it('clips each n-gram by its maximum count over the references', () => {
    const r = sentenceBleu('the the the', ['the cat', 'the the dog']);
    expect(r.counts[0]).toBe(2);
    expect(r.counts[1]).toBe(1);
    expect(r.signature).toContain('nrefs:2');
  });

  it('ignores case only with lowercase', () => {
    expect(sentenceBleu('THE CAT SAT DOWN', ['the cat sat down']).score).toBe(0);
    const lc = sentenceBleu('THE CAT SAT DOWN', ['the cat sat down'], { lowercase: true });
    expect(lc.score).toBeCloseTo(100, 9);
    expect(lc.signature).toContain('case:lc');
  });

  it('strips trailing (Python) whitespace and splits on Unicode whitespace', () => {
    const r = sentenceBleu('a\u00a0b\u3000c d\t\u3000 ', ['a b c d']);
    expect(r.sys_len).toBe(4);
    expect(r.score).toBeCloseTo(100, 9);
  });

  it('treats numbers and punctuation as 13a tokens', () => {
    expect(bleuTokens('It costs $1,000.50 (3-4%).')).toEqual([
      'It',
      'costs',
      '$',
      '1,000.50',
      '(',
      '3',
      '-',
      '4',
      '%',
      ')',
      '.',
    ]);
  });

  it('scores mixed Chinese and Latin text with the zh tokenizer', () => {
    const r = sentenceBleu('使用PyTorch训练模型。', ['用PyTorch训练模型。'], { tokenize: 'zh' });
    expect(r.sys_len).toBe(8);
    expect(r.ref_len).toBe(7);
    expect(r.counts[0]).toBe(7);
    expect(r.signature).toContain('tok:zh');
  });
});

describe('counting beyond the integer-key range', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`);

  it.each([100, 10_000])('counts a %d-token segment with one substituted word exactly', (n) => {
    const ref = words(n);
    const hyp = [...ref];
    hyp[Math.floor(n / 2)] = 'zz';
    const r = corpusBleu([hyp.join(' ')], [[ref.join(' ')]], { tokenize: 'none' });
    expect(r.counts).toEqual([n - 1, n - 3, n - 5, n - 7]);
    expect(r.totals).toEqual([n, n - 1, n - 2, n - 3]);
  });
});

describe('huge segments', () => {
  it('scores a 300,000-token segment of few distinct words (map path, bounded memory)', () => {
    const text = 'the cat sat on the mat . '.repeat(300_000 / 7).trim();
    const r = sentenceBleu(text, [text]);
    expect(r.sys_len).toBe(r.ref_len);
    expect(r.counts).toEqual(r.totals);
    expect(r.score).toBeCloseTo(100, 9);
  });
});

/** Naive clipped n-gram counting with string keys, as the BLEU definition states it. */
function naiveCounts(hyp: string[], refs: string[][], order: number): { correct: number[]; total: number[] } {
  const grams = (t: string[], n: number) => {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= t.length; i++) {
      const k = t.slice(i, i + n).join('\u0001');
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const correct: number[] = [];
  const total: number[] = [];
  for (let n = 1; n <= order; n++) {
    const h = grams(hyp, n);
    const maxRef = new Map<string, number>();
    for (const r of refs) for (const [k, c] of grams(r, n)) maxRef.set(k, Math.max(maxRef.get(k) ?? 0, c));
    let c = 0;
    let t = 0;
    for (const [k, v] of h) {
      t += v;
      c += Math.min(v, maxRef.get(k) ?? 0);
    }
    correct.push(c);
    total.push(t);
  }
  return { correct, total };
}

describe('properties', () => {
  const word = fc.constantFrom('a', 'b', 'c', 'the', 'cat', '.', 'a b');
  const sentence = fc.array(word, { minLength: 0, maxLength: 12 }).map((w) => w.join(' '));

  it('clipped counts equal a naive string-keyed count for any hypothesis and references', () => {
    fc.assert(
      fc.property(
        sentence,
        fc.array(
          sentence.filter((s) => s !== ''),
          { minLength: 1, maxLength: 3 },
        ),
        (h, refs) => {
          const r = sentenceBleu(h, refs, { tokenize: 'none', smoothMethod: 'none' });
          const expected = naiveCounts(
            bleuTokens(h, { tokenize: 'none' }),
            refs.map((x) => bleuTokens(x, { tokenize: 'none' })),
            4,
          );
          expect(r.totals).toEqual(expected.total);
          if (expected.correct.some((c) => c > 0)) expect(r.counts).toEqual(expected.correct);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('BLEU of identical non-empty text is 100 under every tokenizer', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
        fc.constantFrom(...TOKENIZER_NAMES),
        (text, tokenize) => {
          fc.pre(bleuTokens(text, { tokenize }).length > 0);
          expect(Math.abs(sentenceBleu(text, [text], { tokenize }).score - 100)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('BLEU stays within [0, 100]', () => {
    fc.assert(
      fc.property(
        sentence,
        sentence.filter((s) => s !== ''),
        fc.constantFrom('exp', 'floor', 'add-k', 'none' as const),
        (h, ref, smoothMethod) => {
          const s = sentenceBleu(h, [ref], { smoothMethod }).score;
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(100 + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('computeBleu()', () => {
  it('does not modify the statistics it is given', () => {
    const correct = [3, 2, 1, 0];
    const total = [4, 3, 2, 1];
    computeBleu(correct, total, 4, 4, { smoothMethod: 'add-k' });
    expect(correct).toEqual([3, 2, 1, 0]);
    expect(total).toEqual([4, 3, 2, 1]);
  });

  it('computes the brevity penalty exp(1 - r/c) for a short hypothesis', () => {
    expect(computeBleu([4, 3, 2, 1], [4, 3, 2, 1], 4, 8).bp).toBeCloseTo(Math.exp(-1), 15);
    expect(computeBleu([4, 3, 2, 1], [4, 3, 2, 1], 8, 4).bp).toBe(1);
  });
});

describe('closestRefLength()', () => {
  it.each([
    [5, [3, 7], 3],
    [5, [7, 3], 3],
    [5, [4, 7], 4],
    [0, [2, 1], 1],
    [10, [10], 10],
  ])('hyp %d, refs %j → %d', (hyp, refs, expected) => {
    expect(closestRefLength(hyp, refs)).toBe(expected);
  });
});

describe('bleuSignature()', () => {
  it.each([
    [
      {},
      1,
      'nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0',
      '#:1|c:mixed|e:no|tok:13a|s:exp|v:2.6.0',
    ],
    [
      { tokenize: 'zh' as const },
      1,
      'nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0',
      '#:1|c:mixed|e:no|tok:zh|s:exp|v:2.6.0',
    ],
    [
      { smoothMethod: 'floor' as const },
      2,
      'nrefs:2|case:mixed|eff:no|tok:13a|smooth:floor[0.10]|version:2.6.0',
      '#:2|c:mixed|e:no|tok:13a|s:floor[0.10]|v:2.6.0',
    ],
    [
      { smoothMethod: 'floor' as const, smoothValue: 0.125, lowercase: true, effectiveOrder: true },
      'var' as const,
      'nrefs:var|case:lc|eff:yes|tok:13a|smooth:floor[0.12]|version:2.6.0',
      '#:var|c:lc|e:yes|tok:13a|s:floor[0.12]|v:2.6.0',
    ],
    [
      { smoothMethod: 'none' as const, tokenize: 'char' as const },
      1,
      'nrefs:1|case:mixed|eff:no|tok:char|smooth:none|version:2.6.0',
      '#:1|c:mixed|e:no|tok:char|s:none|v:2.6.0',
    ],
  ])('formats %j with %s refs', (opts, nrefs, full, short) => {
    expect(bleuSignature(opts, nrefs)).toEqual({ full, short });
  });

  it('reports nrefs:var when segments have different numbers of references', () => {
    expect(
      corpusBleu(
        ['a', 'b'],
        [
          ['a', 'b'],
          ['a', null],
        ],
      ).signature,
    ).toMatch(/^nrefs:var\|/);
  });
});
