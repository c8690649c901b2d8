import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lambdas/core/errors';
import {
  chrfSignature,
  chrfWords,
  computeChrf,
  corpusChrf,
  pySplit,
  sentenceChrf,
} from '../../../lambdas/core/score';

describe('corpusChrf() / sentenceChrf() — bad input', () => {
  it('rejects an empty corpus', () => {
    expect(() => corpusChrf([], [[]])).toThrow(InvalidInputError);
  });

  it('rejects an empty reference (sacrebleu: "Empty or `None` reference sentence found.")', () => {
    expect(() => sentenceChrf('a', [''])).toThrow(/no reference/);
  });

  it('rejects streams of different lengths', () => {
    expect(() => corpusChrf(['a', 'b'], [['a']])).toThrow(/expected 2/);
  });

  it.each([{ charOrder: -1 }, { wordOrder: 1.5 }, { beta: 100 }, { charOrder: 0, wordOrder: 0 }])(
    'rejects options %j',
    (o) => {
      expect(() => sentenceChrf('a', ['a'], o)).toThrow(InvalidInputError);
    },
  );

  it('rejects a single string where a list of references is expected', () => {
    expect(() => sentenceChrf('a', 'a' as unknown as string[])).toThrow(/list of strings/);
  });
});

describe('sentenceChrf()', () => {
  it('computes chrF2 of "ab" against "abc" by hand: effective orders 1–2 only', () => {
    const r = sentenceChrf('ab', ['abc']);
    // order 3: no hypothesis trigram; orders 4–6: no reference n-gram → hypothesis count reported 0
    expect(r.stats).toEqual([2, 3, 2, 1, 2, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const prec = 1;
    const rec = (2 / 3 + 1 / 2) / 2;
    expect(r.score).toBeCloseTo((100 * (5 * prec * rec)) / (4 * prec + rec), 10);
    expect(r.name).toBe('chrF2');
  });

  it('scores an empty hypothesis 0', () => {
    const r = sentenceChrf('', ['reference text']);
    expect(r.score).toBe(0);
    expect(r.stats[0]).toBe(0);
    expect(r.stats[1]).toBe(13);
  });

  it('ignores all (Python) whitespace by default, but not U+200B', () => {
    expect(sentenceChrf('a\u00a0b\u3000c d', ['abcd']).score).toBeCloseTo(100, 9);
    expect(sentenceChrf('ab\u200bcd', ['abcd']).score).toBeLessThan(100);
  });

  it('keeps whitespace in character n-grams with whitespace: true', () => {
    const r = sentenceChrf('a b', ['ab'], { whitespace: true });
    expect(r.stats.slice(0, 3)).toEqual([3, 2, 2]);
    expect(r.signature).toContain('space:yes');
  });

  it('compares case-sensitively unless lowercase', () => {
    expect(sentenceChrf('Hello', ['hello']).score).toBeLessThan(100);
    const lc = sentenceChrf('Hello', ['hello'], { lowercase: true });
    expect(lc.score).toBeCloseTo(100, 9);
    expect(lc.signature).toBe('nrefs:1|case:lc|eff:yes|nc:6|nw:0|space:no|version:2.6.0');
  });

  it('uses the reference with the best segment F-score', () => {
    const best = sentenceChrf('the cat', ['a dog', 'the cat!', 'the hat']);
    expect(best.score).toBe(sentenceChrf('the cat', ['the cat!']).score);
    expect(best.signature).toContain('nrefs:3');
  });

  it('adds word unigrams and bigrams for chrF++ (name chrF2++)', () => {
    const r = sentenceChrf('the cat sat', ['the cat sat'], { wordOrder: 2 });
    expect(r.name).toBe('chrF2++');
    expect(r.stats).toHaveLength(24);
    expect(r.stats.slice(18)).toEqual([3, 3, 3, 2, 2, 2]);
    expect(r.score).toBeCloseTo(100, 9);
  });

  it('counts astral characters as one character', () => {
    expect(sentenceChrf('😀', ['😀']).stats.slice(0, 6)).toEqual([1, 1, 1, 0, 0, 0]);
  });

  it('with eps smoothing averages per-order F-scores over all orders (eff:no)', () => {
    const r = sentenceChrf('ab', ['abc'], { epsSmoothing: true });
    expect(r.signature).toContain('eff:no');
    expect(r.score).toBeLessThan(sentenceChrf('ab', ['abc']).score);
  });
});

describe('chrfWords()', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['.', ['.']],
    ['..', ['.', '.']],
    ['(hi)', ['(hi', ')']],
    ['(hi', ['(', 'hi']],
    ['"friend"!', ['"friend"', '!']],
    ["don't", ["don't"]],
    ['word…', ['word…']],
    ['😀!', ['😀', '!']],
    ['a\u3000b,', ['a', 'b', ',']],
  ])('splits %j into %j', (input, expected) => {
    expect(chrfWords(input)).toEqual(expected);
  });
});

describe('corpusChrf()', () => {
  it('sums statistics over segments before computing the score', () => {
    const a = sentenceChrf('the cat', ['the cat sat']);
    const b = sentenceChrf('a dog', ['one dog']);
    const c = corpusChrf(['the cat', 'a dog'], [['the cat sat', 'one dog']]);
    expect(c.stats).toEqual(a.stats.map((v, i) => v + (b.stats[i] as number)));
    expect(c.score).toBe(computeChrf(c.stats));
  });
});

describe('counting beyond the integer-key range', () => {
  // N distinct characters, one substituted in the middle: order n has N-n+1 n-grams on each side,
  // of which the n touching the substitution do not match.
  it.each([100, 600])('counts %d distinct characters with one substitution exactly', (n) => {
    const ref = Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + i));
    const hyp = [...ref];
    hyp[Math.floor(n / 2)] = 'Z';
    const r = sentenceChrf(hyp.join(''), [ref.join('')]);
    const expected = [1, 2, 3, 4, 5, 6].flatMap((k) => [n - k + 1, n - k + 1, n - k + 1 - k]);
    expect(r.stats).toEqual(expected);
  });
});

describe('huge segments', () => {
  it('scores a 400,000-character segment (string-keyed path)', () => {
    const text = '深度学习 deep learning, '.repeat(20_000);
    const r = sentenceChrf(text, [`${text}!`], { wordOrder: 2 });
    expect(r.stats[0]).toBe(r.stats[2]);
    expect(r.score).toBeGreaterThan(99.9);
  });
});

describe('chrfSignature()', () => {
  it.each([
    [
      {},
      'nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0',
      '#:1|c:mixed|e:yes|nc:6|nw:0|s:no|v:2.6.0',
    ],
    [
      { wordOrder: 2 },
      'nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0',
      '#:1|c:mixed|e:yes|nc:6|nw:2|s:no|v:2.6.0',
    ],
  ])('formats %j', (o, full, short) => {
    expect(chrfSignature(o, 1)).toEqual({ full, short });
  });
});

describe('properties', () => {
  it('chrF and chrF++ of identical text with a visible character are 100', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
        fc.constantFrom(0, 2),
        (text, wordOrder) => {
          fc.pre(pySplit(text).length > 0);
          expect(Math.abs(sentenceChrf(text, [text], { wordOrder }).score - 100)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('chrF stays within [0, 100]', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ minLength: 1, maxLength: 30 }), (h, r) => {
        const s = sentenceChrf(h, [r], { wordOrder: 2 }).score;
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(100 + 1e-9);
      }),
      { numRuns: 300 },
    );
  });
});
