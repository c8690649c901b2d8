import { describe, expect, it } from 'vitest';
import { ParallelDataFailedError, TranslationJobFailedError } from '../../../lambdas/core/errors';
import {
  classifyJob,
  classifyParallelData,
  JOB_STATUSES,
  terminalJobStatus,
} from '../../../lambdas/core/workflow/status';

describe('classifyJob()', () => {
  it('rejects an unknown or missing status', () => {
    expect(() => classifyJob({ jobId: 'j', status: 'PAUSED' })).toThrow(/unexpected status "PAUSED"/);
    expect(() => classifyJob({ jobId: 'j', status: undefined })).toThrow(TranslationJobFailedError);
  });

  it('handles all seven statuses', () => {
    const outcomes = JOB_STATUSES.map((status) => {
      try {
        const p = classifyJob({
          jobId: 'j',
          status,
          inputDocuments: 3,
          documentsWithErrors: status === 'COMPLETED_WITH_ERROR' ? 1 : 0,
        });
        return p.done ? (p.partial ? 'partial' : 'done') : 'wait';
      } catch (e) {
        return (e as Error).name;
      }
    });
    expect(Object.fromEntries(JOB_STATUSES.map((s, i) => [s, outcomes[i]]))).toEqual({
      SUBMITTED: 'wait',
      IN_PROGRESS: 'wait',
      COMPLETED: 'done',
      COMPLETED_WITH_ERROR: 'partial',
      FAILED: 'TranslationJobFailedError',
      STOP_REQUESTED: 'wait',
      STOPPED: 'TranslationJobFailedError',
    });
  });

  it('treats COMPLETED with DocumentsWithErrorsCount > 0 as partial', () => {
    expect(
      classifyJob({ jobId: 'j', status: 'COMPLETED', inputDocuments: 4, documentsWithErrors: 1 }),
    ).toEqual({
      done: true,
      status: 'COMPLETED',
      partial: true,
    });
  });

  it('fails a completed job in which every document failed, with the job message', () => {
    expect(() =>
      classifyJob({
        jobId: 'j',
        status: 'COMPLETED_WITH_ERROR',
        inputDocuments: 2,
        documentsWithErrors: 2,
        message: 'bad html',
      }),
    ).toThrow(/all 2 document\(s\) failed: bad html/);
  });

  it('puts the job message into FAILED errors', () => {
    expect(() =>
      classifyJob({ jobId: 'j-9', status: 'FAILED', message: 'Access denied to s3://b/in' }),
    ).toThrow(/j-9 FAILED: Access denied/);
  });
});

describe('classifyParallelData()', () => {
  it('waits while CREATING, and while an update is in progress on an ACTIVE resource', () => {
    expect(classifyParallelData({ name: 'p', status: 'CREATING' }, false)).toEqual({ ready: false });
    expect(
      classifyParallelData({ name: 'p', status: 'ACTIVE', latestUpdateAttemptStatus: 'UPDATING' }, true),
    ).toEqual({
      ready: false,
    });
  });

  it('is ready when ACTIVE (after a create, or when the update attempt is ACTIVE)', () => {
    expect(classifyParallelData({ name: 'p', status: 'ACTIVE' }, false)).toEqual({ ready: true });
    expect(
      classifyParallelData({ name: 'p', status: 'ACTIVE', latestUpdateAttemptStatus: 'ACTIVE' }, true),
    ).toEqual({
      ready: true,
    });
  });

  it('fails with the import error summary when FAILED (resource or latest update)', () => {
    expect(() =>
      classifyParallelData(
        { name: 'p', status: 'FAILED', message: 'Invalid CSV', failedRecordCount: 3 },
        false,
      ),
    ).toThrow(/p import FAILED: Invalid CSV; 3 record\(s\) failed/);
    expect(() =>
      classifyParallelData({ name: 'p', status: 'ACTIVE', latestUpdateAttemptStatus: 'FAILED' }, true),
    ).toThrow(ParallelDataFailedError);
  });

  it('fails on DELETING or an unknown status', () => {
    expect(() => classifyParallelData({ name: 'p', status: 'DELETING' }, false)).toThrow(/"DELETING"/);
    expect(() => classifyParallelData({ name: 'p', status: undefined }, false)).toThrow(
      ParallelDataFailedError,
    );
  });
});

describe('terminalJobStatus(): failure reports show the status the job ended in', () => {
  const thrownBy = (snapshot: Parameters<typeof classifyJob>[0]) => {
    try {
      classifyJob(snapshot);
    } catch (error) {
      return error as Error;
    }
    throw new Error('classifyJob did not throw');
  };

  it.each([
    [
      'SUBMITTED',
      { jobId: 'j-1', status: 'FAILED', message: 'the service could not read the input' },
      'FAILED',
    ],
    ['STOP_REQUESTED', { jobId: 'j-1', status: 'STOPPED' }, 'STOPPED'],
    ['IN_PROGRESS', { jobId: 'j-1', status: 'STOPPED', message: 'FAILED to finish' }, 'STOPPED'],
    [
      'IN_PROGRESS',
      { jobId: 'j-1', status: 'COMPLETED_WITH_ERROR', inputDocuments: 2, documentsWithErrors: 2 },
      'COMPLETED_WITH_ERROR',
    ],
  ])('last seen %s, the check that threw saw %j: the report says %s', (lastSeen, snapshot, expected) => {
    const error = thrownBy(snapshot);
    expect(terminalJobStatus(lastSeen, { name: error.name, message: error.message })).toBe(expected);
  });

  it('keeps the last status seen for any other error, and says UNKNOWN when there is none', () => {
    expect(terminalJobStatus('IN_PROGRESS', { name: 'States.Timeout', message: 'FAILED' })).toBe(
      'IN_PROGRESS',
    );
    expect(terminalJobStatus(undefined, { name: 'InvalidInputError', message: 'x' })).toBe('UNKNOWN');
  });
});
