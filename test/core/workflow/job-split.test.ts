/**
 * Issue 17: a run over Amazon Translate's per-job quotas becomes several jobs, never more than the
 * concurrent quota running at once. The policy is pure (core/workflow/{batch,translation-job,
 * start-translation-job}.ts); the end-to-end proof is test/workflow/job-split.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchSummary, jobSplitter } from '../../../lambdas/core/workflow/batch';
import type { BatchState, JobPart, JobState } from '../../../lambdas/core/workflow/payload';
import { batchParts, startJobRequest, startPlan } from '../../../lambdas/core/workflow/start-translation-job';
import {
  jobOfPart,
  jobParts,
  jobState,
  nextJobsState,
  partsToStart,
  TRANSLATE_JOB_LIMITS,
} from '../../../lambdas/core/workflow/translation-job';

const part = (n: number, over: Partial<JobPart> = {}): JobPart => ({
  part: n,
  jobId: `j${n}`,
  status: 'IN_PROGRESS',
  done: false,
  ...over,
});
const ended = (n: number, over: Partial<JobPart> = {}) =>
  part(n, {
    status: 'COMPLETED',
    done: true,
    partial: false,
    outputUri: `s3://b/o/1-TranslateText-j${n}/`,
    ...over,
  });

describe('Translate’s per-job quotas', () => {
  it('are the documented ones: 1,000,000 documents, 5 GB, 10 concurrent jobs', () => {
    expect(TRANSLATE_JOB_LIMITS).toEqual({ documents: 1_000_000, bytes: 5_000_000_000, concurrent: 10 });
  });
});

describe('jobSplitter(): which job each document goes to, in plan order', () => {
  it.each([
    ['all in one job under both quotas', { documents: 3, bytes: 100 }, [10, 10, 10], [0, 0, 0]],
    ['a new job at the documents quota', { documents: 2, bytes: 100 }, [1, 1, 1, 1, 1], [0, 0, 1, 1, 2]],
    [
      'a new job when the bytes would pass the quota',
      { documents: 9, bytes: 25 },
      [10, 10, 10, 5],
      [0, 0, 1, 1],
    ],
    ['exactly at the bytes quota: same job', { documents: 9, bytes: 20 }, [10, 10], [0, 0]],
    [
      'a document alone over the bytes gets a job of its own',
      { documents: 9, bytes: 5 },
      [3, 9, 1],
      [0, 1, 2],
    ],
  ])('%s', (_, limits, sizes, jobs) => {
    const jobOf = jobSplitter(limits);
    expect(sizes.map(jobOf)).toEqual(jobs);
  });

  it('never puts more documents or (but for a lone document) bytes in a job than the quotas, and numbers jobs 0, 1, 2… in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 120 }),
        (sizes, documents, bytes) => {
          const jobOf = jobSplitter({ documents, bytes });
          const jobs = sizes.map(jobOf);
          const per = new Map<number, number[]>();
          for (const [i, j] of jobs.entries()) per.set(j, [...(per.get(j) ?? []), sizes[i] as number]);
          for (const [j, members] of per) {
            expect(members.length).toBeLessThanOrEqual(documents);
            if (members.length > 1) expect(members.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(bytes);
            expect(j === 0 || per.has(j - 1)).toBe(true);
          }
          for (let i = 1; i < jobs.length; i++)
            expect((jobs[i] as number) - (jobs[i - 1] as number)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('batchSummary(): each job’s hash and counts', () => {
  const input = (file: string, job: number, characters = 10) => ({
    entry: { path: `${file}.md`, file, units: 1, characters, job },
    hash: `h-${file}`,
  });

  it('gives a batch of one job that job’s hash = the batch hash (ClientTokens of unsplit runs unchanged)', () => {
    const s = batchSummary('r1', [input('a', 0), input('b', 0)], []);
    expect(s.jobs).toEqual([{ hash: s.batchHash, documents: 2, characters: 20 }]);
  });

  it('gives each job of a split batch its own hash and counts', () => {
    const s = batchSummary('r1', [input('a', 0, 5), input('b', 0, 6), input('c', 1, 7)], []);
    expect(s.jobs.map((j) => [j.documents, j.characters])).toEqual([
      [2, 11],
      [1, 7],
    ]);
    expect(new Set([s.batchHash, ...s.jobs.map((j) => j.hash)]).size).toBe(3);
  });
});

describe('partsToStart(): never more running jobs than the concurrent quota', () => {
  it.each([
    ['the first start of 25 parts: 10', [], 25, 10, false, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['with a baseline each part runs two jobs: 5', [], 25, 10, true, [0, 1, 2, 3, 4]],
    [
      'two of ten ended: the next two',
      [...Array.from({ length: 8 }, (_, i) => part(i)), ended(8), ended(9)],
      25,
      10,
      false,
      [10, 11],
    ],
    ['all running: none', Array.from({ length: 10 }, (_, i) => part(i)), 25, 10, false, []],
    [
      'a baseline still running holds its slot',
      [
        ended(0, { baseline: { jobId: 'b0', status: 'IN_PROGRESS', done: false } }),
        part(1, { baseline: { jobId: 'b1', status: 'IN_PROGRESS', done: false } }),
      ],
      3,
      4,
      true,
      [],
    ],
    ['all started: none', [ended(0), ended(1)], 2, 10, false, []],
    ['one part: it', [], 1, 10, false, [0]],
  ])('%s', (_, started, parts, concurrent, baseline, expected) => {
    expect(partsToStart(started as JobPart[], parts, concurrent, baseline)).toEqual(expected);
  });

  it('keeps every state of a run within the quota, whatever order the jobs end in', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 2, max: 10 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 200 }),
        (parts, concurrent, baseline, picks) => {
          let started: JobPart[] = [];
          const running = () =>
            started.reduce((n, p) => n + (p.done ? 0 : 1) + (p.baseline && !p.baseline.done ? 1 : 0), 0);
          const start = () => {
            for (const n of partsToStart(started, parts, concurrent, baseline)) {
              started.push(
                part(n, baseline ? { baseline: { jobId: `b${n}`, status: 'IN_PROGRESS', done: false } } : {}),
              );
            }
            expect(running()).toBeLessThanOrEqual(concurrent);
          };
          start();
          for (const pick of picks) {
            const live = started.filter((p) => !p.done);
            const p = live[pick % Math.max(live.length, 1)];
            if (!p) break;
            started = started.map((q) =>
              q === p
                ? { ...q, done: true, ...(q.baseline ? { baseline: { ...q.baseline, done: true } } : {}) }
                : q,
            );
            start();
          }
          while (started.some((p) => !p.done)) {
            started = started.map((q) => ({
              ...q,
              done: true,
              ...(q.baseline ? { baseline: { ...q.baseline, done: true } } : {}),
            }));
            start();
          }
          expect(started.map((p) => p.part).sort((a, b) => a - b)).toEqual(
            Array.from({ length: parts }, (_, i) => i),
          );
        },
      ),
    );
  });
});

describe('$.job of a split batch', () => {
  it('of one job is that job’s state as it always was (no parts, no jobs)', () => {
    const state = jobState([part(0)], 1, { attempt: 0, waitSeconds: 30 });
    expect(state).toEqual({ jobId: 'j0', status: 'IN_PROGRESS', done: false, attempt: 0, waitSeconds: 30 });
    expect(jobParts(state)).toEqual([part(0)]);
  });

  it('of one job is not done while its baseline runs', () => {
    const state = jobState([ended(0, { baseline: { jobId: 'b0', status: 'IN_PROGRESS', done: false } })], 1, {
      attempt: 1,
      waitSeconds: 60,
    });
    expect(state.done).toBe(false);
  });

  it('of several sums them up: first job id, IN_PROGRESS until every part ended, counts added', () => {
    const running = jobState([ended(0, { inputDocuments: 2 }), part(1)], 3, { attempt: 2, waitSeconds: 60 });
    expect(running).toMatchObject({
      jobId: 'j0',
      status: 'IN_PROGRESS',
      done: false,
      parts: 3,
      inputDocuments: 2,
    });
    expect(running.jobs).toHaveLength(2);
    const all = jobState([ended(2), ended(0, { partial: true, documentsWithErrors: 1 }), ended(1)], 3, {
      attempt: 2,
      waitSeconds: 0,
    });
    expect(all).toMatchObject({
      status: 'COMPLETED_WITH_ERROR',
      done: true,
      partial: true,
      documentsWithErrors: 1,
    });
    expect(all.jobs?.map((p) => p.part)).toEqual([0, 1, 2]);
    expect(jobOfPart(all, 2)?.outputUri).toBe('s3://b/o/1-TranslateText-j2/');
    expect(jobOfPart(null, 0)).toBeNull();
  });

  it('is not done while a part is still to start, even when every started job ended', () => {
    expect(jobState([ended(0), ended(1)], 3, { attempt: 0, waitSeconds: 0 }).done).toBe(false);
  });
});

describe('nextJobsState(): after Check described the running jobs', () => {
  const job = (parts: number, jobs: JobPart[]): JobState => ({
    ...jobState(jobs, parts, { attempt: 3, waitSeconds: 120 }),
  });

  it('asks for Start again (startMore, no wait) when jobs ended and parts wait', () => {
    const next = nextJobsState(job(3, [part(0), part(1)]), [ended(0), part(1)], 2);
    expect(next).toMatchObject({ startMore: true, waitSeconds: 0, done: false, attempt: 3 });
  });

  it('waits with backoff when no slot is free', () => {
    const next = nextJobsState(job(3, [part(0), part(1)]), [part(0), part(1)], 2);
    expect(next.startMore).toBeUndefined();
    expect(next).toMatchObject({ done: false, attempt: 4 });
    expect(next.waitSeconds).toBeGreaterThan(0);
  });

  it('is done when every part ended', () => {
    const next = nextJobsState(job(2, [part(0), part(1)]), [ended(0), ended(1)], 2);
    expect(next).toMatchObject({ done: true, status: 'COMPLETED', waitSeconds: 0 });
    expect(next.startMore).toBeUndefined();
  });
});

describe('Start Translation Job’s requests', () => {
  const batch = (jobs?: BatchState['jobs']): BatchState => ({
    needsJob: true,
    documents: 3,
    characters: 30,
    inputUri: 's3://b/work/en-zh/r1/input/',
    outputUri: 's3://b/work/en-zh/r1/output/',
    manifestKey: 'work/en-zh/r1/batch.json',
    batchHash: 'H',
    ...(jobs ? { jobs } : {}),
  });
  const base = { pair: { source: 'en', target: 'zh' }, runId: 'r1', roleArn: 'arn:aws:iam::1:role/t' };

  it('reads part n from input/<n>/, and a batch written before the split from input/', () => {
    const split = batchParts(
      batch([
        { hash: 'A', documents: 2, characters: 20 },
        { hash: 'B', documents: 1, characters: 10 },
      ]),
    );
    expect(split).toEqual([
      { part: 0, inputUri: 's3://b/work/en-zh/r1/input/0/', hash: 'A' },
      { part: 1, inputUri: 's3://b/work/en-zh/r1/input/1/', hash: 'B' },
    ]);
    expect(batchParts(batch())).toEqual([{ part: 0, inputUri: 's3://b/work/en-zh/r1/input/', hash: 'H' }]);
    expect(() => batchParts({ ...batch(), needsJob: false })).toThrow(
      /needs inputUri, outputUri and batchHash/,
    );
  });

  it('names part 0 as an unsplit run’s job, part n with -n, each with its own ClientToken; the baseline writes under output/plain/', () => {
    const [p0, p1] = batchParts(
      batch([
        { hash: 'A', documents: 2, characters: 20 },
        { hash: 'B', documents: 1, characters: 10 },
      ]),
    );
    const request = (p: typeof p0, variant: 'act' | 'plain') =>
      startJobRequest({
        ...base,
        part: p as NonNullable<typeof p0>,
        outputUri: 's3://b/work/en-zh/r1/output/',
        variant,
        parallelDataName: 'pd',
      });
    const a0 = request(p0, 'act');
    const a1 = request(p1, 'act');
    const b1 = request(p1, 'plain');
    expect([a0.JobName, a1.JobName, b1.JobName]).toEqual([
      'amts-en-zh-r1',
      'amts-en-zh-r1-1',
      'amts-en-zh-r1-1-plain',
    ]);
    expect(new Set([a0.ClientToken, a1.ClientToken, b1.ClientToken]).size).toBe(3);
    expect(a1).toMatchObject({
      InputDataConfig: { S3Uri: 's3://b/work/en-zh/r1/input/1/' },
      ParallelDataNames: ['pd'],
    });
    expect(b1.OutputDataConfig.S3Uri).toBe('s3://b/work/en-zh/r1/output/plain/');
    expect(b1.ParallelDataNames).toBeUndefined();
  });

  it('starts what the quota leaves room for, after the jobs already started', () => {
    const jobs = Array.from({ length: 4 }, (_, i) => ({ hash: `h${i}`, documents: 1, characters: 1 }));
    const first = startPlan({ batch: batch(jobs), job: null, concurrent: 2, baseline: false });
    expect(first.start.map((p) => p.part)).toEqual([0, 1]);
    const later = startPlan({
      batch: batch(jobs),
      job: jobState([ended(0), part(1)], 4, { attempt: 1, waitSeconds: 0, startMore: true }),
      concurrent: 2,
      baseline: false,
    });
    expect(later.start.map((p) => p.part)).toEqual([2]);
    expect(later.started.map((p) => p.part)).toEqual([0, 1]);
  });
});
