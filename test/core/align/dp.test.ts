import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignSequences, lengthCost, type Move, normalCdf } from '../../../lambdas/core/align/dp';

const ALL: Move[] = [[1, 1], [1, 0], [0, 1], [2, 1], [1, 2], [2, 2], 'swap'];
/** Items are numbers; a bead costs the difference of its sums (deletions cost 5). */
const cost = (s: readonly number[], t: readonly number[]) =>
  s.length === 0 || t.length === 0
    ? 5
    : Math.abs(s.reduce((a, b) => a + b, 0) - t.reduce((a, b) => a + b, 0));

describe('alignSequences()', () => {
  it('returns no beads for two empty sequences', () => {
    expect(alignSequences([], [], { moves: ALL, cost })).toEqual([]);
  });

  it('deletes everything when one side is empty', () => {
    const beads = alignSequences([1, 2], [], { moves: ALL, cost });
    expect(beads.map((b) => [b.sourceCount, b.targetCount])).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it('throws RangeError when the moves cannot reach the end', () => {
    expect(() => alignSequences([1, 2], [1], { moves: [[1, 1]], cost })).toThrow(RangeError);
  });

  it('finds a 2-1 merge and a crossed swap', () => {
    const moves: Move[] = [[1, 1], [1, 0], [0, 1], [2, 1], [1, 2], 'swap'];
    const beads = alignSequences([3, 4, 10, 20], [7, 20, 10], { moves, cost, swapCost: 0.5 });
    expect(beads.map((b) => [b.sourceStart, b.sourceCount, b.targetStart, b.targetCount, b.swapped])).toEqual(
      [
        [0, 2, 0, 1, false],
        [2, 2, 1, 2, true],
      ],
    );
  });

  it('covers both sequences exactly once, in order, with or without a band', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 60 }),
        fc.boolean(),
        (s, t, banded) => {
          const band = banded ? Math.abs(s.length - t.length) + 2 : undefined;
          const beads = alignSequences(s, t, { moves: ALL, cost, band });
          let i = 0;
          let j = 0;
          for (const b of beads) {
            expect(b.sourceStart).toBe(i);
            expect(b.targetStart).toBe(j);
            i += b.sourceCount;
            j += b.targetCount;
          }
          expect([i, j]).toEqual([s.length, t.length]);
        },
      ),
    );
  });
});

describe('lengthCost()', () => {
  it('is 0 for two empty beads and smallest when the lengths fit the ratio', () => {
    const model = { c: 0.5, s2: 1 };
    expect(lengthCost(0, 0, model)).toBe(0);
    expect(lengthCost(100, 50, model)).toBeLessThan(lengthCost(100, 40, model));
    expect(lengthCost(100, 50, model)).toBeLessThan(lengthCost(100, 60, model));
    expect(Number.isFinite(lengthCost(1e6, 0, model))).toBe(true);
  });

  it('uses a normal CDF accurate to 1e-6', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975002, 5);
    expect(normalCdf(-1.96)).toBeCloseTo(0.024998, 5);
  });
});
