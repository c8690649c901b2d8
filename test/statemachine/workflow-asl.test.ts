import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_TASKS, WORKFLOW_WAITS } from '../../infra/workflow-placeholders';
import { ASSEMBLY_BATCH_SIZE } from '../../lambdas/core/workflow/assembly-files';
import {
  JOB_POLL,
  LOCK_WAIT,
  PARALLEL_DATA_POLL,
  totalWaitSeconds,
} from '../../lambdas/core/workflow/backoff';
import { EXECUTION_TIMEOUT_SECONDS } from '../../lambdas/core/workflow/execution-event';
import { PLAN_BATCH_SIZE } from '../../lambdas/core/workflow/planning';
import { ASL_TEXT, allStates, definition } from './helpers';

const TRANSIENT = [
  'ThrottlingException',
  'TooManyRequestsException',
  'ConcurrentModificationException',
  'ConflictException',
  'ServiceUnavailable',
  'Lambda.ServiceException',
  'Lambda.TooManyRequestsException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
];

describe('statemachine/workflow.asl.json', () => {
  const def = definition();
  const states = Object.entries(def.States);

  it('is valid Amazon States Language (asl-validator, paths and ARNs checked)', () => {
    const { isValid, errorsText } = aslValidator(def, { checkPaths: true, checkArn: true });
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('has a substitution for every placeholder, and only those are used', () => {
    const used = new Set([...ASL_TEXT.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));
    const known = new Set([
      'SourceLanguage',
      'TargetLanguage',
      'BucketName',
      ...WORKFLOW_TASKS.map((t) => t.placeholder),
    ]);
    expect([...used].sort()).toEqual([...known].sort());
    expect(JSON.stringify(def)).not.toMatch(/\$\{/);
  });

  it('names a state that exists in every Next, Default, Choice and Catch, and StartAt', () => {
    const names = new Set(Object.keys(def.States));
    expect(names.has(def.StartAt)).toBe(true);
    for (const [name, s] of states) {
      const targets = [
        s.Next,
        s.Default,
        ...(s.Choices ?? []).map((c) => c.Next),
        ...(s.Catch ?? []).map((c) => c.Next),
      ];
      for (const t of targets.filter((x): x is string => x !== undefined)) {
        expect(names.has(t), `${name} → ${t}`).toBe(true);
      }
    }
  });

  it('reaches every state from StartAt (no dead states)', () => {
    const seen = new Set<string>();
    const todo = [def.StartAt];
    while (todo.length) {
      const n = todo.pop() as string;
      if (seen.has(n)) continue;
      seen.add(n);
      const s = def.States[n];
      if (!s) continue;
      todo.push(
        ...[
          s.Next,
          s.Default,
          ...(s.Choices ?? []).map((c) => c.Next),
          ...(s.Catch ?? []).map((c) => c.Next),
        ].filter((x): x is string => x !== undefined),
      );
    }
    expect([...seen].sort()).toEqual(Object.keys(def.States).sort());
  });

  it('has exactly the Task states of the placeholder map, each calling its own function', () => {
    const tasks = Object.entries(allStates(def)).filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([n]) => n).sort()).toEqual(WORKFLOW_TASKS.map((t) => t.state).sort());
    for (const t of WORKFLOW_TASKS) {
      expect(allStates(def)[t.state]?.Resource).toBe(
        `arn:aws:lambda:us-east-1:123456789012:function:amts-${t.dir}`,
      );
    }
  });

  it.each(WORKFLOW_TASKS.map((t) => t.state))(
    'retries every transient error with backoff in Task "%s"',
    (name) => {
      const retry = allStates(def)[name]?.Retry ?? [];
      const retried = new Set(retry.flatMap((r) => r.ErrorEquals));
      for (const e of TRANSIENT) expect(retried.has(e), `${name} retries ${e}`).toBe(true);
      for (const r of retry) {
        expect(r).toMatchObject({ BackoffRate: 2 });
        expect(r.MaxAttempts).toBeGreaterThan(1);
      }
      expect(retried.has('States.ALL')).toBe(false); // data errors go to the Catch, not into a retry loop
    },
  );

  it.each([
    ...WORKFLOW_TASKS.map((t) => t.state).filter((s) => s !== 'Record Failure' && def.States[s]),
    'Plan Documents',
    'Assemble Documents',
  ])('catches States.ALL in "%s" into Record Failure, keeping the error under $.error', (name) => {
    expect(def.States[name]?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Record Failure' },
    ]);
  });

  it('fails with the original error name after Record Failure, even when recording fails', () => {
    const rf = def.States['Record Failure'];
    expect(rf?.Next).toBe('Run Failed');
    expect(rf?.Catch?.[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'Run Failed' });
    expect(rf?.Catch?.[0]?.ResultPath).not.toBe('$.error');
    expect(def.States['Run Failed']).toMatchObject({
      Type: 'Fail',
      ErrorPath: '$.error.Error',
      CausePath: '$.error.Cause',
    });
  });

  it('times out exactly when its pair lock expires, after every bounded loop could have ended', () => {
    const timeout = (def as unknown as { TimeoutSeconds: number }).TimeoutSeconds;
    // The lock lives no longer than the execution that holds it (lockExpiry = start + this timeout).
    expect(timeout).toBe(EXECUTION_TIMEOUT_SECONDS);
    const loops =
      totalWaitSeconds(JOB_POLL.maxAttempts, JOB_POLL) + totalWaitSeconds(LOCK_WAIT.maxAttempts, LOCK_WAIT);
    expect(timeout).toBeGreaterThan(
      loops + totalWaitSeconds(PARALLEL_DATA_POLL.maxAttempts, PARALLEL_DATA_POLL),
    );
  });

  it('assembles in a Distributed Map over the items Prepare Batch wrote, in batches, failing on any failed batch', () => {
    const map = def.States['Assemble Documents'] as Record<string, unknown>;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { Bucket: 'book', 'Key.$': '$.batch.assemblyItemsKey' },
      },
      ItemBatcher: { MaxItemsPerBatch: ASSEMBLY_BATCH_SIZE },
      ToleratedFailurePercentage: 0,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Assemble Batch',
      },
      ResultPath: null,
      Next: 'Assemble And Score',
    });
    expect(map.MaxConcurrency).toBeGreaterThan(0);
    // Each batch gets what the finishing step gets, plus its items.
    const batchInput = (map.ItemBatcher as { BatchInput: Record<string, string> }).BatchInput;
    const finish = def.States['Assemble And Score'] as unknown as { Parameters: Record<string, string> };
    expect(batchInput).toEqual(finish.Parameters);
    const child = allStates(def)['Assemble Batch'] as unknown as { Parameters: Record<string, string> };
    expect(child.Parameters['items.$']).toBe('$.Items');
    for (const k of Object.keys(batchInput))
      expect(child.Parameters[k]).toBe(`$.BatchInput.${k.slice(0, -2)}`);
  });

  it('plans in a Distributed Map over the items Plan wrote, in batches, failing on any failed batch, then Finish Plan', () => {
    const map = def.States['Plan Documents'] as Record<string, unknown>;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { Bucket: 'book', 'Key.$': '$.plan.itemsKey' },
      },
      ItemBatcher: { MaxItemsPerBatch: PLAN_BATCH_SIZE },
      ToleratedFailurePercentage: 0,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Plan Batch',
      },
      ResultPath: null,
      Next: 'Finish Plan',
    });
    expect(map.MaxConcurrency).toBeGreaterThan(0);
    // Plan's wait goes to the lock loop, anything else to the map; Finish Plan's result replaces Plan's.
    expect(def.States.Plan?.Next).toBe('Pair Locked?');
    expect(def.States['Pair Locked?']).toMatchObject({
      Choices: [{ Variable: '$.plan.action', StringEquals: 'wait', Next: 'Wait For Earlier Run' }],
      Default: 'Plan Documents',
    });
    expect(def.States['Finish Plan']).toMatchObject({ ResultPath: '$.plan', Next: 'What Next?' });
    const batchInput = (map.ItemBatcher as { BatchInput: Record<string, string> }).BatchInput;
    const child = allStates(def)['Plan Batch'] as unknown as { Parameters: Record<string, string> };
    expect(child.Parameters['items.$']).toBe('$.Items');
    for (const k of Object.keys(batchInput))
      expect(child.Parameters[k]).toBe(`$.BatchInput.${k.slice(0, -2)}`);
  });

  it.each(WORKFLOW_WAITS)('waits in "%s" for the seconds a handler computed (SecondsPath)', (name) => {
    expect(def.States[name]).toMatchObject({ Type: 'Wait' });
    expect(def.States[name]?.SecondsPath).toMatch(/^\$\.[a-zA-Z]+\.waitSeconds$/);
  });
});
