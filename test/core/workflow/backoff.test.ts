import { describe, expect, it } from 'vitest';
import { WaitLimitExceededError } from '../../../lambdas/core/errors';
import {
  checksToCover,
  JOB_POLL,
  LOCK_WAIT,
  nextPoll,
  PARALLEL_DATA_POLL,
  totalWaitSeconds,
  waitSeconds,
} from '../../../lambdas/core/workflow/backoff';

describe('waitSeconds()', () => {
  it('rejects a negative or fractional attempt', () => {
    expect(() => waitSeconds(-1, JOB_POLL)).toThrow(RangeError);
    expect(() => waitSeconds(1.5, JOB_POLL)).toThrow(RangeError);
  });

  it('starts at 30 s and doubles up to the 10-minute cap for jobs', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((a) => waitSeconds(a, JOB_POLL))).toEqual([
      30, 60, 120, 240, 480, 600, 600, 600,
    ]);
  });

  it('stays at the cap for huge attempt numbers (no Infinity/NaN)', () => {
    expect(waitSeconds(10_000, JOB_POLL)).toBe(600);
  });
});

describe('nextPoll()', () => {
  it('returns the next attempt and its wait', () => {
    expect(nextPoll(0, JOB_POLL, 'job')).toEqual({ attempt: 1, waitSeconds: 60 });
  });

  it('throws WaitLimitExceededError naming what it waited for at the bound', () => {
    expect(() => nextPoll(JOB_POLL.maxAttempts - 1, JOB_POLL, 'translation job j-1')).toThrow(
      WaitLimitExceededError,
    );
    expect(() => nextPoll(JOB_POLL.maxAttempts - 1, JOB_POLL, 'translation job j-1')).toThrow(
      /translation job j-1/,
    );
  });

  it.each([
    ['jobs', JOB_POLL],
    ['parallel data', PARALLEL_DATA_POLL],
    ['the pair lock', LOCK_WAIT],
  ])('keeps the %s loop far below the 25,000-event history limit (≤ 9 events per loop)', (_n, policy) => {
    expect(policy.maxAttempts * 9).toBeLessThan(25_000 / 4);
  });

  it('lets a job run for days before giving up', () => {
    expect(totalWaitSeconds(JOB_POLL.maxAttempts, JOB_POLL)).toBeGreaterThan(3 * 24 * 3600);
  });
});

describe('checksToCover()', () => {
  it('needs 10 checks for a 1-hour job', () => {
    expect(checksToCover(3600, JOB_POLL)).toBe(10);
    expect(checksToCover(0, JOB_POLL)).toBe(0);
  });
});
