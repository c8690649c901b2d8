import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetServices } from '../../lambdas/aws/services';
import { InvalidInputError } from '../../lambdas/core/errors';
import { endedRun } from '../../lambdas/core/workflow/execution-event';
import { handler as releaseLock } from '../../lambdas/release-lock/handler';
import { execution, freshEnvironment, pair, RUN_ID } from './helpers';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT'; // the handlers' logger is created at import
});

/** The event EventBridge delivers when an execution of `machine` changes status. */
function statusChange(status: string, machine = 'amts-en-zh', name = execution.name) {
  return {
    version: '0',
    id: 'e1',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: '2026-11-27T12:00:00Z',
    region: 'us-east-1',
    resources: [`arn:aws:states:us-east-1:123456789012:execution:${machine}:${name}`],
    detail: {
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:${machine}:${name}`,
      stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${machine}`,
      name,
      status,
      startDate: Date.parse(execution.startTime),
      stopDate: Date.parse(execution.startTime) + 1000,
      input: '{}',
    },
  };
}

describe('endedRun()', () => {
  it.each(['FAILED', 'TIMED_OUT', 'ABORTED'])(
    'names the run Plan locked for an execution that ended %s',
    (status) => {
      expect(endedRun(statusChange(status), pair)).toMatchObject({ runId: RUN_ID, status });
    },
  );

  it.each(['RUNNING', 'SUCCEEDED'])('ignores %s (the execution holds or has released its lock)', (status) => {
    expect(endedRun(statusChange(status), pair)).toBeNull();
  });

  it('refuses an event of another pair’s state machine and a malformed event', () => {
    expect(() => endedRun(statusChange('ABORTED', 'amts-en-es'), pair)).toThrow(
      /not the en-zh state machine/,
    );
    expect(() => endedRun({ detail: {} }, pair)).toThrow(InvalidInputError);
    const bad = statusChange('ABORTED');
    expect(() => endedRun({ ...bad, detail: { ...bad.detail, startDate: 'yesterday' } }, pair)).toThrow(
      /event\.detail\.startDate/,
    );
  });
});

describe('Release Lock handler (target of the "execution ended" rule)', () => {
  let objects: Map<string, string>;
  beforeEach(() => {
    objects = freshEnvironment();
    vi.stubEnv('AMTS_PAIR', 'en-zh');
  });

  it.each(['TIMED_OUT', 'ABORTED', 'FAILED'])('releases the lock the %s execution holds', async (status) => {
    objects.set('state/en-zh/run.lock', JSON.stringify({ runId: RUN_ID, acquiredAt: execution.startTime }));
    await expect(releaseLock(statusChange(status))).resolves.toEqual({ runId: RUN_ID, released: true });
    expect(objects.has('state/en-zh/run.lock')).toBe(false);
  });

  it('leaves a lock another run holds alone', async () => {
    const other = JSON.stringify({ runId: '20261121T130000Z-exec-2', acquiredAt: execution.startTime });
    objects.set('state/en-zh/run.lock', other);
    await expect(releaseLock(statusChange('ABORTED'))).resolves.toEqual({ runId: RUN_ID, released: false });
    expect(objects.get('state/en-zh/run.lock')).toBe(other);
  });

  it('does nothing for a succeeded execution, and refuses a bad event or a missing AMTS_PAIR', async () => {
    objects.set('state/en-zh/run.lock', JSON.stringify({ runId: RUN_ID, acquiredAt: execution.startTime }));
    await expect(releaseLock(statusChange('SUCCEEDED'))).resolves.toEqual({ runId: null, released: false });
    expect(objects.has('state/en-zh/run.lock')).toBe(true);
    await expect(releaseLock({ not: 'an event' })).rejects.toBeInstanceOf(InvalidInputError);
    vi.stubEnv('AMTS_PAIR', '');
    resetServices(); // a new container reads the environment again
    await expect(releaseLock(statusChange('ABORTED'))).rejects.toThrow(/AMTS_PAIR/);
  });
});
