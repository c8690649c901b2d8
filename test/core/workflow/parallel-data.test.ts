import { describe, expect, it } from 'vitest';
import {
  isUpToDate,
  parallelDataDescription,
  parallelDataRequest,
  parallelDataSubmitted,
  requestedUpdate,
} from '../../../lambdas/core/workflow/parallel-data';
import type { ParallelDataState } from '../../../lambdas/core/workflow/payload';

const pd: ParallelDataState = {
  action: 'update',
  name: 'amts-en-zh',
  pairs: 12,
  csvKey: 'parallel-data/en-zh/parallel-data.csv',
  csvHash: 'abc',
  updated: false,
};

describe('isUpToDate()', () => {
  it.each([
    ['ACTIVE with this CSV', { Status: 'ACTIVE', Description: parallelDataDescription('abc') }, true],
    [
      'ACTIVE, last update ACTIVE',
      { Status: 'ACTIVE', LatestUpdateAttemptStatus: 'ACTIVE', Description: parallelDataDescription('abc') },
      true,
    ],
    ['ACTIVE with another CSV', { Status: 'ACTIVE', Description: parallelDataDescription('old') }, false],
    [
      'ACTIVE after a FAILED update',
      { Status: 'ACTIVE', LatestUpdateAttemptStatus: 'FAILED', Description: parallelDataDescription('abc') },
      false,
    ],
    ['still CREATING', { Status: 'CREATING', Description: parallelDataDescription('abc') }, false],
    ['missing', undefined, false],
  ])('%s → %s', (_what, props, expected) => {
    expect(isUpToDate(props, 'abc')).toBe(expected);
  });
});

describe('requestedUpdate()', () => {
  it.each(['name', 'csvKey', 'csvHash'] as const)(
    'refuses an update without %s (InvalidInputError)',
    (field) => {
      expect(() => requestedUpdate({ ...pd, [field]: null })).toThrow(
        expect.objectContaining({
          name: 'InvalidInputError',
          message: expect.stringMatching(/are required/),
        }),
      );
    },
  );
});

describe('parallelDataRequest()', () => {
  const update = requestedUpdate(pd);

  it('sends the CSV and a description carrying its hash', () => {
    expect(parallelDataRequest(update, 's3://book/x.csv', 'r1', 'create')).toMatchObject({
      Name: 'amts-en-zh',
      ParallelDataConfig: { S3Uri: 's3://book/x.csv', Format: 'CSV' },
      Description: 'AMTS parallel data sha256=abc',
    });
  });

  it('derives the ClientToken from run, operation and CSV: the same request repeats it, any change does not', () => {
    const token = (runId: string, op: 'create' | 'update', csvHash = 'abc') =>
      parallelDataRequest({ ...update, csvHash }, 's3://b/x.csv', runId, op).ClientToken;
    expect(token('r1', 'create')).toBe(token('r1', 'create'));
    expect(
      new Set([
        token('r1', 'create'),
        token('r1', 'update'),
        token('r2', 'create'),
        token('r1', 'create', 'def'),
      ]).size,
    ).toBe(4);
  });
});

describe('parallelDataSubmitted()', () => {
  it('marks the resource updated, not ready, at the first wait', () => {
    expect(parallelDataSubmitted(pd, 'update', 'UPDATING')).toMatchObject({
      ...pd,
      operation: 'update',
      updated: true,
      ready: false,
      status: 'UPDATING',
      attempt: 0,
    });
    expect(parallelDataSubmitted(pd, 'create', undefined).status).toBe('UNKNOWN');
  });
});
