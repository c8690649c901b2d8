import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_DOCUMENTS, callsOf, copyExamples, listFiles, RCNN, runOnce, useHarness } from './helpers';

// One SDK attempt per call: every injected error reaches the handler, so the state machine's own Retry
// (not the SDK's) is what recovers. This is configuration the handlers read on AWS too.
process.env.AWS_MAX_ATTEMPTS = '1';
// Standard retries: the adaptive mode's client-side rate limiter would slow every later call down.
process.env.AWS_RETRY_MODE = 'standard';

const h = useHarness();
beforeEach(async () => {
  await h.env.reset();
});
afterEach(() => {
  h.env.translate?.setFaults({});
});

describe('amts run --local: injected Amazon Translate faults', () => {
  it('retries throttling and conflicts (ThrottlingException, TooManyRequests, ConcurrentModification) and succeeds', async () => {
    h.env.translate?.setFaults({
      errors: [
        { operation: 'CreateParallelData', type: 'ConcurrentModificationException', count: 2 },
        { operation: 'GetParallelData', type: 'TooManyRequestsException', count: 1 },
        { operation: 'StartTextTranslationJob', type: 'ThrottlingException', count: 3 },
        { operation: 'DescribeTextTranslationJob', type: 'ThrottlingException', count: 2 },
      ],
    });
    const book = copyExamples(h);
    const { outcome, lines } = await runOnce(h, book);

    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.report?.status).toBe('SUCCEEDED');
    const failed = (h.env.translate?.calls ?? [])
      .filter((c) => c.error?.message.startsWith('injected'))
      .map((c) => `${c.operation} ${c.error?.type}`);
    expect(failed.sort()).toEqual([
      'CreateParallelData ConcurrentModificationException',
      'CreateParallelData ConcurrentModificationException',
      'DescribeTextTranslationJob ThrottlingException',
      'DescribeTextTranslationJob ThrottlingException',
      'GetParallelData TooManyRequestsException',
      'StartTextTranslationJob ThrottlingException',
      'StartTextTranslationJob ThrottlingException',
      'StartTextTranslationJob ThrottlingException',
    ]);
    expect(lines.filter((l) => l.startsWith('↻ Start Translation Job'))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('↻ Create Or Update Parallel Data'))).toHaveLength(2);
    expect(callsOf(h, 'StartTextTranslationJob')).toBe(4);
    // The ClientToken makes the retried Start idempotent: exactly one job exists.
    expect(Object.keys(h.env.translate?.state().jobs ?? {})).toHaveLength(1);
    expect(listFiles(`${book}/translated/zh`)).toEqual(ALL_DOCUMENTS);
  });

  it('parallel data import FAILED: the run fails with ParallelDataFailedError and writes a failure report', async () => {
    h.env.translate?.setFaults({ parallelDataImportFails: 'line 7: injected import failure' });
    const book = copyExamples(h);
    const { outcome, lines, reportPath } = await runOnce(h, book);

    expect(outcome.status).toBe('FAILED');
    expect(outcome.error?.name).toBe('ParallelDataFailedError');
    expect(outcome.error?.cause).toMatch(/injected import failure/);
    expect(outcome.report).toMatchObject({ status: 'FAILED', job: null });
    expect(outcome.report?.error?.name).toBe('ParallelDataFailedError');
    expect(reportPath && existsSync(reportPath)).toBe(true);
    expect(lines.at(-1)).toBe(reportPath);
    expect(callsOf(h, 'StartTextTranslationJob')).toBe(0);
    expect(listFiles(`${book}/translated`)).toEqual([]);
  });

  it('job FAILED: the run fails with TranslationJobFailedError, nothing is written, the report says why', async () => {
    h.env.translate?.setFaults({ jobFails: 'injected: the service could not read the input' });
    const book = copyExamples(h);
    const { outcome, reportPath } = await runOnce(h, book);

    expect(outcome.status).toBe('FAILED');
    expect(outcome.error?.name).toBe('TranslationJobFailedError');
    expect(outcome.report).toMatchObject({ status: 'FAILED' });
    expect(JSON.stringify(outcome.report)).toMatch(/could not read the input/);
    expect(outcome.report?.job?.status).toBe('FAILED');
    expect(reportPath && existsSync(reportPath)).toBe(true);
    expect(listFiles(`${book}/translated`)).toEqual([]);
    // The failed run committed no sync state: the next run (fault gone) does the whole first sync.
    h.env.translate?.setFaults({});
    const retry = await runOnce(h, book);
    expect(retry.outcome.report?.status).toBe('SUCCEEDED');
    expect(retry.outcome.report?.job?.status).toBe('COMPLETED');
  });

  it('job STOPPED (someone pressed Stop): the run fails with TranslationJobFailedError, nothing is written', async () => {
    h.env.translate?.setFaults({ jobStops: true });
    const book = copyExamples(h);
    const { outcome } = await runOnce(h, book);

    expect(outcome.status).toBe('FAILED');
    expect(outcome.error?.name).toBe('TranslationJobFailedError');
    // What the polls saw in between depends on when they ran; the answers' order does not: the job was
    // never reported done, and the last answer the workflow acted on was STOPPED.
    const polled = (h.env.translate?.calls ?? [])
      .filter((c) => c.operation === 'DescribeTextTranslationJob' && c.response)
      .map(
        (c) => (c.response?.TextTranslationJobProperties as { JobStatus?: string } | undefined)?.JobStatus,
      );
    expect(polled.at(-1)).toBe('STOPPED');
    expect(polled.filter((s) => s?.startsWith('COMPLETED') || s === 'FAILED')).toEqual([]);
    expect(outcome.error?.cause).toMatch(/STOPPED/);
    expect(outcome.report?.status).toBe('FAILED');
    // The report shows the status the job ended in, not the last one polled (STOP_REQUESTED).
    expect(outcome.report?.job?.status).toBe('STOPPED');
    expect(listFiles(`${book}/translated`)).toEqual([]);
  });

  it('COMPLETED_WITH_ERROR: the run is PARTIAL, good documents are written, the failed one is reported and sent again next run', async () => {
    h.env.translate?.setFaults({ documentsFail: ['rcnn'] });
    const book = copyExamples(h);
    const { outcome, lines } = await runOnce(h, book);

    expect(outcome.status, lines.join('\n')).toBe('SUCCEEDED');
    const report = outcome.report;
    expect(report).toMatchObject({ status: 'PARTIAL', job: { status: 'COMPLETED_WITH_ERROR' } });
    const rcnn = report?.documents.find((d) => d.path === RCNN);
    expect(rcnn?.status).toBe('failed');
    expect(rcnn?.error).toMatch(/failed in the job|injected document failure/);
    // Nothing came back for it: no unit machine-translated, no character counted as sent.
    expect(rcnn?.units.machineTranslated).toBe(0);
    expect(rcnn?.charactersSent).toBe(0);
    expect(report?.charactersSent).toBe((report?.documents ?? []).reduce((n, d) => n + d.charactersSent, 0));
    expect(listFiles(`${book}/translated/zh`)).not.toContain(RCNN);
    for (const d of report?.documents ?? []) {
      if (d.path !== RCNN) {
        expect(d.status, d.path).toBe('translated');
        expect(d.warnings, d.path).toEqual([]);
        expect(existsSync(`${book}/translated/zh/${d.path}`), d.path).toBe(true);
      }
    }
    // The next run (fault gone) sends the failed document again and completes it.
    h.env.translate?.setFaults({});
    const next = await runOnce(h, book);
    expect(next.outcome.report?.status).toBe('SUCCEEDED');
    const again = next.outcome.report?.documents.find((d) => d.path === RCNN);
    expect(again?.charactersSent).toBeGreaterThan(0);
    expect(again?.warnings).toEqual([]);
    expect(readFileSync(`${book}/translated/zh/${RCNN}`, 'utf8')).toContain('## 小结');
  });
});
