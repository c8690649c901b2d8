/**
 * Issue 17, end to end: a run over Amazon Translate's per-job quotas becomes several jobs, never more
 * than the concurrent quota running, and writes what one job would have written. The quotas are lowered
 * alike for the workflow (AMTS_TRANSLATE_JOB_MAX_DOCUMENTS / AMTS_TRANSLATE_MAX_CONCURRENT_JOBS) and for
 * the emulator, which fails a job over them and refuses a Start over the concurrent quota
 * (LimitExceededException, which no Retry covers: the run would fail).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resetServices } from '../../lambdas/aws/services';
import { ALL_DOCUMENTS, copyExamples, readTranslated, runOnce, useHarness } from './helpers';

const h = useHarness();
const LOWERED = { AMTS_TRANSLATE_JOB_MAX_DOCUMENTS: '1', AMTS_TRANSLATE_MAX_CONCURRENT_JOBS: '2' };

afterEach(() => {
  for (const name of Object.keys(LOWERED)) delete process.env[name];
  resetServices();
  h.env.translate?.setLimits({});
});

/** Runs a fresh copy of the example book; returns the run, its job starts and its translated documents. */
async function syncExampleBook() {
  await h.env.reset();
  const from = h.env.translate?.calls.length ?? 0;
  const book = copyExamples(h);
  const run = await runOnce(h, book);
  const starts = (h.env.translate?.calls ?? [])
    .slice(from)
    .filter((c) => c.operation === 'StartTextTranslationJob');
  const written = Object.fromEntries(ALL_DOCUMENTS.map((doc) => [doc, readTranslated(book, doc)]));
  return { run, starts, written };
}

describe('a run over Translate’s per-job quotas', () => {
  it('splits into one job per document at 1 document per job, at most 2 running, and writes what one job writes', async () => {
    const whole = await syncExampleBook();
    expect(whole.run.outcome.status).toBe('SUCCEEDED');
    expect(whole.starts).toHaveLength(1);

    Object.assign(process.env, LOWERED);
    resetServices();
    h.env.translate?.setLimits({ documents: 1, concurrent: 2 });
    const split = await syncExampleBook();
    const { outcome } = split.run;
    expect(outcome.status).toBe('SUCCEEDED');
    const sent = outcome.report?.documents.filter((d) => d.charactersSent > 0) ?? [];
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(split.starts.filter((c) => !c.error)).toHaveLength(sent.length); // one job per document sent
    expect(split.starts.filter((c) => c.error)).toEqual([]); // never over the concurrent quota
    const jobs = Object.values(h.env.translate?.state().jobs ?? {});
    expect(jobs.map((j) => j.status)).toEqual(sent.map(() => 'COMPLETED'));
    expect(jobs.every((j) => /\/input\/\d+\/$/.test(j.input.S3Uri))).toBe(true);
    expect(outcome.report?.job?.status).toBe('COMPLETED');
    expect(outcome.report?.charactersSent).toBe(whole.run.outcome.report?.charactersSent);
    expect(split.written).toEqual(whole.written);
  });
});
