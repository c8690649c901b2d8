import { describe, expect, it } from 'vitest';
import type { JobState } from '../../../lambdas/core/workflow/payload';
import {
  describedJob,
  jobOutputUri,
  nextBaseline,
  nextJobState,
} from '../../../lambdas/core/workflow/translation-job';

const ROLE = 'arn:aws:iam::123456789012:role/translate';
const done = (status: string, details = {}) => ({
  JobStatus: status,
  DataAccessRoleArn: ROLE,
  OutputDataConfig: { S3Uri: 's3://book/work/en-zh/r1/output/' },
  JobDetails: {
    InputDocumentsCount: 2,
    TranslatedDocumentsCount: 2,
    DocumentsWithErrorsCount: 0,
    ...details,
  },
});
const job: JobState = { jobId: 'j1', status: 'SUBMITTED', done: false, attempt: 3, waitSeconds: 30 };

describe('jobOutputUri()', () => {
  it.each([
    [
      'a prefix that already names the job',
      's3://b/o/1-TranslateText-j/',
      undefined,
      's3://b/o/1-TranslateText-j/',
    ],
    [
      'the configured URI without a slash',
      's3://b/o',
      'arn:aws:iam::42:role/r',
      's3://b/o/42-TranslateText-j/',
    ],
    [
      'the configured URI with a slash',
      's3://b/o/',
      'arn:aws:iam::42:role/r',
      's3://b/o/42-TranslateText-j/',
    ],
  ])('keeps or derives the real prefix from %s', (_what, configured, role, expected) => {
    expect(jobOutputUri(configured, 'j', role)).toBe(expected);
  });

  it('refuses to guess the prefix when the role ARN names no account', () => {
    expect(() => jobOutputUri('s3://b/o/', 'j', 'not-an-arn')).toThrow(/output prefix/);
  });
});

describe('describedJob()', () => {
  it('reads a finished job: done, counts, and the real output prefix', () => {
    expect(describedJob('j1', done('COMPLETED'))).toEqual({
      progress: expect.objectContaining({ done: true, status: 'COMPLETED', partial: false }),
      counts: { documentsWithErrors: 0, inputDocuments: 2 },
      outputUri: 's3://book/work/en-zh/r1/output/123456789012-TranslateText-j1/',
    });
  });

  it('reads a running job: not done, no output prefix yet', () => {
    expect(describedJob('j1', { JobStatus: 'IN_PROGRESS' })).toMatchObject({
      progress: { done: false, status: 'IN_PROGRESS' },
      counts: {},
      outputUri: undefined,
    });
  });

  it.each([
    ['no properties', undefined, /returned no job properties/],
    ['a FAILED job', { JobStatus: 'FAILED', Message: 'boom' }, /FAILED: boom/],
    ['a finished job without an output URI', { JobStatus: 'COMPLETED' }, /has no output URI/],
  ])('fails with TranslationJobFailedError on %s', (_what, props, message) => {
    expect(() => describedJob('j1', props)).toThrow(message);
    expect(() => describedJob('j1', props)).toThrow(
      expect.objectContaining({ name: 'TranslationJobFailedError' }),
    );
  });
});

describe('nextJobState()', () => {
  it('asks for another wait, with backoff, while the job runs', () => {
    const next = nextJobState(job, describedJob('j1', { JobStatus: 'IN_PROGRESS' }), undefined);
    expect(next).toMatchObject({ jobId: 'j1', status: 'IN_PROGRESS', done: false, attempt: 4 });
    expect(next.waitSeconds).toBeGreaterThan(job.waitSeconds);
  });

  it('is done with the output prefix once the job ended, partial when documents failed', () => {
    const next = nextJobState(
      job,
      describedJob('j1', done('COMPLETED_WITH_ERROR', { DocumentsWithErrorsCount: 1 })),
      undefined,
    );
    expect(next).toEqual({
      jobId: 'j1',
      status: 'COMPLETED_WITH_ERROR',
      documentsWithErrors: 1,
      inputDocuments: 2,
      done: true,
      partial: true,
      attempt: 3,
      waitSeconds: 0,
      outputUri: 's3://book/work/en-zh/r1/output/123456789012-TranslateText-j1/',
    });
  });

  it('keeps polling while the evaluation baseline still runs, then carries its state', () => {
    const running = nextBaseline(
      { jobId: 'b1', status: 'SUBMITTED', done: false },
      describedJob('b1', { JobStatus: 'IN_PROGRESS' }),
    );
    expect(nextJobState(job, describedJob('j1', done('COMPLETED')), running)).toMatchObject({
      done: false,
      baseline: running,
    });
    const finished = nextBaseline(running, describedJob('b1', done('COMPLETED')));
    expect(finished).toEqual({
      jobId: 'b1',
      status: 'COMPLETED',
      done: true,
      partial: false,
      outputUri: 's3://book/work/en-zh/r1/output/123456789012-TranslateText-b1/',
    });
    expect(nextJobState(job, describedJob('j1', done('COMPLETED')), finished)).toMatchObject({
      done: true,
      baseline: finished,
    });
  });
});
