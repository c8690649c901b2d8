import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../lambdas/core/pool';

/** Lets every other pending task take a step (microtasks only: no timers, no timing). */
const steps = async (n: number) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

describe('mapBounded: at most `limit` tasks in flight, items pulled lazily, results in order', () => {
  it('keeps in flight and in memory (pulled, not finished) at most `limit`, for any sizes and delays', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(5), { maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        async (delays, limit) => {
          let pulled = 0;
          let finished = 0;
          let inFlight = 0;
          let widest = 0;
          let mostHeld = 0;
          function* items() {
            for (const d of delays) {
              pulled++;
              mostHeld = Math.max(mostHeld, pulled - finished);
              yield d;
            }
          }
          const out = await mapBounded(items(), limit, async (d, i) => {
            inFlight++;
            widest = Math.max(widest, inFlight);
            await steps(d);
            inFlight--;
            finished++;
            return i * 10 + d;
          });
          expect(out).toEqual(delays.map((d, i) => i * 10 + d));
          expect(widest).toBeLessThanOrEqual(limit);
          expect(mostHeld).toBeLessThanOrEqual(limit);
          if (delays.length >= limit && delays.every((d) => d > 0)) expect(widest).toBe(limit);
        },
      ),
    );
  });

  it('stops pulling after the first failure, waits for the tasks in flight, and throws that failure', async () => {
    const started: number[] = [];
    let settled = 0;
    const error = await mapBounded([0, 1, 2, 3, 4, 5, 6, 7], 2, async (n) => {
      started.push(n);
      await steps(n === 1 ? 1 : 3);
      settled++;
      if (n === 1) throw new Error('item 1 failed');
      return n;
    }).catch((e: Error) => e);
    expect((error as Error).message).toBe('item 1 failed');
    expect(started).toEqual([0, 1]); // 0 was in flight when 1 failed; 2 was never pulled
    expect(settled).toBe(started.length);
  });

  it('returns [] for no items and refuses a limit that is not a positive integer', async () => {
    expect(await mapBounded([], 3, async () => 1)).toEqual([]);
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await expect(mapBounded([1], limit, async () => 1)).rejects.toThrow(/limit must be a positive integer/);
    }
  });
});

describe('mapBounded with an iterable that throws', () => {
  it('waits for the tasks in flight and throws the iterable’s error', async () => {
    let settled = 0;
    function* items() {
      yield 1;
      yield 2;
      throw new Error('cannot render item 3');
    }
    await expect(
      mapBounded(items(), 4, async () => {
        await steps(2);
        settled++;
      }),
    ).rejects.toThrow('cannot render item 3');
    expect(settled).toBe(2);
  });
});
