import { describe, expect, it } from 'vitest';
import { pyFixed, pyRstrip, pySplit, pyStrip } from '../../../lambdas/core/score';

describe('pyFixed()', () => {
  it.each([
    [81.25, 1, '81.2'],
    [0.125, 2, '0.12'],
    [0.375, 2, '0.38'],
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [30.545458485922637, 2, '30.55'],
    [100.00000000000004, 2, '100.00'],
    [0.1, 20, '0.10000000000000000555'],
    [1e21, 2, '1000000000000000000000.00'],
    [5e-324, 3, '0.000'],
    [-0, 2, '-0.00'],
    [-1.005, 2, '-1.00'],
    [0, 3, '0.000'],
    [Number.NaN, 2, 'nan'],
    [Number.POSITIVE_INFINITY, 2, 'inf'],
  ])('formats %d with %d digits as Python does: %s', (x, digits, expected) => {
    expect(pyFixed(x, digits)).toBe(expected);
  });

  it('differs from toFixed exactly on binary ties', () => {
    expect((81.25).toFixed(1)).toBe('81.3');
    expect(pyFixed(81.25, 1)).toBe('81.2');
  });

  it.each([-1, 101, 1.5])('rejects %d digits', (d) => {
    expect(() => pyFixed(1, d)).toThrow(RangeError);
  });
});

describe('pySplit() / pyStrip() / pyRstrip()', () => {
  it.each([
    ['', []],
    [' \t\n ', []],
    ['a b', ['a', 'b']],
    ['  a  b  ', ['a', 'b']],
    ['a\x1cb\x1dc\x1ed\x1fe', ['a', 'b', 'c', 'd', 'e']],
    ['a\x85b', ['a', 'b']],
    ['a\u00a0b\u2007c\u202fd', ['a', 'b', 'c', 'd']],
    ['a\u200bb', ['a\u200bb']],
    ['a\ufeffb', ['a\ufeffb']],
    ['a\u180eb', ['a\u180eb']],
  ])('splits %j as Python str.split()', (input, expected) => {
    expect(pySplit(input)).toEqual(expected);
  });

  it('strips Python whitespace only', () => {
    expect(pyStrip('\u3000 a b \x85')).toBe('a b');
    expect(pyStrip('\ufeffa\ufeff')).toBe('\ufeffa\ufeff');
    expect(pyRstrip(' a \t')).toBe(' a');
    expect(pyRstrip('')).toBe('');
  });
});
