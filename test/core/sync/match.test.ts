import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lcsPairs, matchSequences, normalizeForCompare } from '../../../lambdas/core/sync/match';

function checkMatching(previous: string[], next: string[], result: Array<number | undefined>): void {
  const used = new Set<number>();
  result.forEach((i, j) => {
    if (i === undefined) return;
    expect(used.has(i)).toBe(false);
    used.add(i);
    expect(previous[i]).toBe(next[j]);
  });
}

describe('lcsPairs()', () => {
  it.each([
    [[], [], []],
    [['a'], [], []],
    [[], ['a'], []],
    [
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
    ],
    [
      ['a', 'b', 'c'],
      ['a', 'x', 'c'],
      [
        [0, 0],
        [2, 2],
      ],
    ],
    [['a', 'b', 'c'], ['c', 'b', 'a'], [[2, 0]]],
  ])('pairs %j with %j', (a, b, pairs) => {
    const got = lcsPairs(a, b);
    expect(got).toHaveLength(pairs.length);
    if (a.join() === b.join()) expect(got).toEqual(pairs);
  });

  it('returns increasing index pairs of equal keys, as long as a brute-force LCS', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 9 }),
        fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 9 }),
        (a, b) => {
          const pairs = lcsPairs(a, b);
          for (let k = 0; k < pairs.length; k++) {
            const [i, j] = pairs[k] as [number, number];
            expect(a[i]).toBe(b[j]);
            if (k > 0) {
              const [pi, pj] = pairs[k - 1] as [number, number];
              expect(i > pi && j > pj).toBe(true);
            }
          }
          const dp: number[][] = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
          for (let i = a.length - 1; i >= 0; i--)
            for (let j = b.length - 1; j >= 0; j--)
              (dp[i] as number[])[j] =
                a[i] === b[j]
                  ? (dp[i + 1]?.[j + 1] ?? 0) + 1
                  : Math.max(dp[i + 1]?.[j] ?? 0, dp[i]?.[j + 1] ?? 0);
          expect(pairs).toHaveLength(dp[0]?.[0] ?? 0);
        },
      ),
    );
  });
});

describe('matchSequences()', () => {
  it('matches moved keys after the LCS, each previous key at most once (multiset)', () => {
    const previous = ['a', 'b', 'c', 'a'];
    const next = ['c', 'a', 'b', 'a', 'a'];
    const result = matchSequences(previous, next);
    checkMatching(previous, next, result);
    expect(result.filter((i) => i !== undefined)).toHaveLength(4);
  });

  it('matches every unit of a huge reversed input (5000 units: the bounded greedy path, not the n×m table)', () => {
    const previous = Array.from({ length: 5000 }, (_, i) => `k${i % 2500}`);
    const next = [...previous].reverse();
    const result = matchSequences(previous, next);
    checkMatching(previous, next, result);
    expect(result.every((i) => i !== undefined)).toBe(true);
  });
});

describe('normalizeForCompare()', () => {
  it('ignores wrapping and surrounding whitespace only', () => {
    expect(normalizeForCompare('  a\n b\t\tc  ')).toBe('a b c');
    expect(normalizeForCompare('ab')).not.toBe(normalizeForCompare('a b'));
  });
});
