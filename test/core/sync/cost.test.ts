import { describe, expect, it } from 'vitest';
import { estimateCost, TRANSLATE_PRICES_USD_PER_MILLION } from '../../../lambdas/core/sync/api';
import { billedCharacters } from '../../../lambdas/core/sync/cost';

describe('estimateCost()', () => {
  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s characters', (n) => {
    expect(() => estimateCost(n, { act: false })).toThrow(RangeError);
  });

  it('costs nothing for 0 characters', () => {
    expect(estimateCost(0, { act: true }).usd).toBe(0);
  });

  it.each([
    [1_000_000, false, 15],
    [1_000_000, true, 60],
    [123_456, true, 7.41],
    [1, false, 0.01],
  ])('prices %i characters (ACT %s) at $%s', (characters, act, usd) => {
    expect(estimateCost(characters, { act })).toEqual({
      characters,
      act,
      usdPerMillionCharacters: act
        ? TRANSLATE_PRICES_USD_PER_MILLION.act
        : TRANSLATE_PRICES_USD_PER_MILLION.standard,
      usd,
    });
  });
});

describe('billedCharacters()', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(billedCharacters('a😀中')).toBe(3);
    expect(billedCharacters('')).toBe(0);
  });
});
