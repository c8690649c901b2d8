import { WaitLimitExceededError } from '../errors';

/** How a polling loop (a Wait state followed by a check Task) spaces its checks. */
export interface BackoffPolicy {
  /** First wait, in seconds. */
  readonly initialSeconds: number;
  /** Each wait is the previous one times this. */
  readonly factor: number;
  /** No wait is longer than this. */
  readonly maxSeconds: number;
  /** Checks allowed before the loop gives up with WaitLimitExceededError. */
  readonly maxAttempts: number;
}

/**
 * Translation jobs take minutes to days. 30 s doubling to 10 min; 500 checks ≈ 80 h of waiting and
 * ≈ 500 × 9 = 4,500 history events, far below the 25,000-event limit of a standard execution.
 */
export const JOB_POLL: BackoffPolicy = { initialSeconds: 30, factor: 2, maxSeconds: 600, maxAttempts: 500 };

/** Parallel-data imports take minutes: 30 s doubling to 5 min, at most 100 checks (≈ 8 h). */
export const PARALLEL_DATA_POLL: BackoffPolicy = {
  initialSeconds: 30,
  factor: 2,
  maxSeconds: 300,
  maxAttempts: 100,
};

/** Waiting for an earlier execution of the same pair: 30 s doubling to 10 min, at most 200 tries (≈ 32 h). */
export const LOCK_WAIT: BackoffPolicy = { initialSeconds: 30, factor: 2, maxSeconds: 600, maxAttempts: 200 };

/** Seconds to wait before check number `attempt + 1` (`attempt` = checks already done, from 0). */
export function waitSeconds(attempt: number, policy: BackoffPolicy): number {
  if (!Number.isInteger(attempt) || attempt < 0)
    throw new RangeError(`attempt must be an integer ≥ 0, got ${attempt}`);
  // 2^attempt overflows to Infinity for big attempts; min() keeps the cap.
  return Math.min(policy.maxSeconds, Math.round(policy.initialSeconds * policy.factor ** attempt));
}

/**
 * After check number `attempt` found the resource still busy: the next attempt number and how long to
 * wait. Throws WaitLimitExceededError (naming `what`) when the bound is reached.
 */
export function nextPoll(
  attempt: number,
  policy: BackoffPolicy,
  what: string,
): { attempt: number; waitSeconds: number } {
  const next = attempt + 1;
  if (next >= policy.maxAttempts) {
    const total = totalWaitSeconds(policy.maxAttempts, policy);
    throw new WaitLimitExceededError(
      `${what}: still not finished after ${next} checks (≈ ${Math.round(total / 360) / 10} h of waiting); giving up`,
    );
  }
  return { attempt: next, waitSeconds: waitSeconds(next, policy) };
}

/** Sum of the first `checks` waits. */
export function totalWaitSeconds(checks: number, policy: BackoffPolicy): number {
  let total = 0;
  for (let i = 0; i < checks; i++) total += waitSeconds(i, policy);
  return total;
}

/** Number of checks until the waits add up to at least `seconds` (how many loops a job of that length costs). */
export function checksToCover(seconds: number, policy: BackoffPolicy): number {
  let checks = 0;
  let total = 0;
  while (total < seconds) {
    total += waitSeconds(checks, policy);
    checks++;
  }
  return checks;
}
