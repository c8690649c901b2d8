// Issue 13 (and the lock part of 12): an execution that is stopped or times out never reaches Record
// Failure. The local runner does what the pair's "execution ended" rule does on AWS — it invokes
// lambdas/release-lock — so the lock is released; a lock left by a runner that was killed is recognised
// as stale; Ctrl-C / SIGTERM stop the execution cleanly.
import { EventEmitter } from 'node:events';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { LOCAL_BUCKET } from '../../local/run/environment';
import { runBook } from '../../local/run/run-book';
import { copyExamples, PAIR, RCNN, useHarness } from './helpers';

const LOCK = 'state/en-zh/run.lock';
// The job stays SUBMITTED for an hour: the execution is certainly still waiting for it when stopped.
const h = useHarness({ delays: { jobQueuedMs: 3_600_000 }, jobWaitMs: 100 });

async function lockBody(): Promise<string | null> {
  try {
    const out = await h.env.s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: LOCK }));
    return (await out.Body?.transformToString()) ?? '';
  } catch {
    return null;
  }
}

describe('an execution that never reaches Record Failure', () => {
  it('stopped while it waits for the job: ABORTED, and its lock is released', async () => {
    await h.env.reset();
    const book = copyExamples(h);
    await h.env.uploadBook(PAIR, { book });
    const stop = new AbortController();
    let lockWhileRunning: string | null = null;
    const outcome = await h.env.execute(
      PAIR,
      { documents: [RCNN] },
      {
        signal: stop.signal,
        log: (line) => {
          if (line === '▶ Wait For Translation Job' && !stop.signal.aborted) {
            void lockBody().then((b) => {
              lockWhileRunning = b;
              stop.abort();
            });
          }
        },
      },
    );
    expect(outcome.status).toBe('ABORTED');
    expect(lockWhileRunning).toContain(outcome.runId); // it held the lock…
    expect(outcome.lockReleased).toBe(true); // …and the "execution ended" handler released it
    expect(await lockBody()).toBeNull();
    expect(outcome.states).not.toContain('Record Failure');
  });

  it('timed out (state machine TimeoutSeconds): TIMED_OUT, and its lock is released', async () => {
    await h.env.reset();
    const book = copyExamples(h);
    await h.env.uploadBook(PAIR, { book });
    const outcome = await h.env.execute(PAIR, { documents: [RCNN] }, { timeoutSeconds: 1 });
    expect(outcome.status).toBe('TIMED_OUT');
    expect(outcome.lockReleased).toBe(true);
    expect(await lockBody()).toBeNull();
  });

  it('leaves a lock another run holds alone when an execution without the lock ends', async () => {
    await h.env.reset();
    const other = JSON.stringify({
      runId: '20260101T000000Z-someone-else',
      acquiredAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await h.env.s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: LOCK, Body: other }));
    const book = copyExamples(h);
    await h.env.uploadBook(PAIR, { book });
    // It waits for the earlier run, then times out without ever holding the lock.
    const outcome = await h.env.execute(PAIR, { documents: [RCNN] }, { timeoutSeconds: 1 });
    expect(outcome.status).toBe('TIMED_OUT');
    expect(outcome.lockReleased).toBe(false);
    expect(await lockBody()).toBe(other);
  });
});

describe('amts run --local and its lock', () => {
  it('Ctrl-C (SIGINT) stops the execution, releases the lock and exits 130', async () => {
    const book = copyExamples(h);
    const signals = new EventEmitter();
    const lines: string[] = [];
    const result = await runBook({
      pair: PAIR,
      book,
      data: `${book}-data`,
      delays: { jobQueuedMs: 3_600_000 },
      timing: { waitMs: { 'Wait For Translation Job': 100 } },
      input: { documents: [RCNN] },
      signals,
      log: (line) => {
        lines.push(line);
        if (line === '▶ Wait For Translation Job' && signals.listenerCount('SIGINT') > 0)
          signals.emit('SIGINT', 'SIGINT');
      },
    });
    expect(result.exitCode).toBe(130);
    expect(result.outcome?.status).toBe('ABORTED');
    expect(result.outcome?.lockReleased).toBe(true);
    expect(lines.join('\n')).toMatch(/SIGINT: stopping the execution/);
    expect(signals.listenerCount('SIGINT')).toBe(0); // no handler left behind
  });

  it('recognises a lock left by a killed runner as stale: the next run does not wait for it', async () => {
    const book = copyExamples(h);
    const data = `${book}-data`;
    // A first runner was killed (SIGKILL) while it held the lock: simulate what it left in the bucket.
    const first = await runBook({ pair: PAIR, book, data, input: { dryRun: true }, log: () => undefined });
    expect(first.exitCode).toBe(0);
    const { LocalEnvironment } = await import('../../local/run/environment');
    const env = await LocalEnvironment.start({ data });
    const dead = JSON.stringify({
      runId: '20260101T000000Z-killed',
      acquiredAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await env.s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: LOCK, Body: dead }));
    await env.stop();
    const lines: string[] = [];
    const next = await runBook({
      pair: PAIR,
      book,
      data,
      input: { dryRun: true },
      log: (l) => lines.push(l),
    });
    expect(next.exitCode).toBe(0);
    expect(lines.join('\n')).toContain(`removed the stale run lock ${LOCK}`);
    expect(next.outcome?.states).not.toContain('Wait For Earlier Run');
  });
});
