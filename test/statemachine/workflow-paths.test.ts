import { describe, expect, it } from 'vitest';
import { ParallelDataFailedError } from '../../lambdas/core/errors';
import { JOB_POLL, nextPoll, PARALLEL_DATA_POLL, waitSeconds } from '../../lambdas/core/workflow/backoff';
import { classifyJob, classifyParallelData } from '../../lambdas/core/workflow/status';
import { named, runWorkflow, type TaskFn } from './helpers';

const continuePlan = {
  action: 'continue',
  attempt: 0,
  waitSeconds: 0,
  runId: 'r1',
  planKey: 'work/en-zh/r1/plan.json',
};
const pd = (action: 'update' | 'unchanged' | 'none') => ({
  action,
  name: action === 'none' ? null : 'amts-en-zh',
  pairs: action === 'none' ? 0 : 10,
  csvKey: action === 'none' ? null : 'parallel-data/en-zh/parallel-data.csv',
  csvHash: action === 'none' ? null : 'h',
  updated: false,
});
const batch = (needsJob: boolean) => ({
  needsJob,
  documents: needsJob ? 2 : 0,
  characters: needsJob ? 1234 : 0,
  inputUri: needsJob ? 's3://b/work/en-zh/r1/input/' : null,
  outputUri: needsJob ? 's3://b/work/en-zh/r1/output/' : null,
  manifestKey: 'work/en-zh/r1/batch.json',
  batchHash: needsJob ? 'bh' : null,
  assemblyItemsKey: 'work/en-zh/r1/assembly/items.json',
});

/** A job that runs for `seconds` of simulated time, checked through the real classifier and backoff. */
function jobTasks(
  seconds: number,
  final: { status: string; documentsWithErrors?: number; inputDocuments?: number },
) {
  let elapsed = 0;
  return {
    'Start Translation Job': async () => ({
      jobId: 'job-1',
      status: 'SUBMITTED',
      done: false,
      attempt: 0,
      waitSeconds: waitSeconds(0, JOB_POLL),
    }),
    'Check Translation Job': async (event: Record<string, unknown>) => {
      const job = event.job as { attempt: number; waitSeconds: number };
      elapsed += job.waitSeconds;
      const status = elapsed >= seconds ? final.status : 'IN_PROGRESS';
      const progress = classifyJob({ ...final, jobId: 'job-1', status });
      if (!progress.done)
        return { jobId: 'job-1', status, done: false, ...nextPoll(job.attempt, JOB_POLL, 'job') };
      return {
        jobId: 'job-1',
        status,
        done: true,
        partial: progress.partial,
        attempt: job.attempt,
        waitSeconds: 0,
      };
    },
  } satisfies Record<string, TaskFn>;
}

/** Parallel data that becomes `final` after `checks` checks. */
function parallelDataTasks(checks: number, final: 'ACTIVE' | 'FAILED') {
  let n = 0;
  return {
    'Create Or Update Parallel Data': async (event: Record<string, unknown>) => ({
      ...(event.parallelData as object),
      operation: 'update',
      updated: true,
      ready: false,
      attempt: 0,
      waitSeconds: waitSeconds(0, PARALLEL_DATA_POLL),
    }),
    'Check Parallel Data': async (event: Record<string, unknown>) => {
      const cur = event.parallelData as { attempt: number };
      n++;
      const status = n >= checks ? final : 'UPDATING';
      const { ready } = classifyParallelData(
        {
          name: 'amts-en-zh',
          status: 'ACTIVE',
          latestUpdateAttemptStatus: status,
          message: 'row 3: field starts with "="',
        },
        true,
      );
      if (ready) return { ...cur, ready: true, status, waitSeconds: 0 };
      return { ...cur, ready: false, status, ...nextPoll(cur.attempt, PARALLEL_DATA_POLL, 'pd') };
    },
  } satisfies Record<string, TaskFn>;
}

const assemble: TaskFn = async (event) => ({
  status: (event.job as { partial?: boolean } | null)?.partial ? 'PARTIAL' : 'SUCCEEDED',
  reportKey: 'reports/en-zh/r1.json',
  documents: 2,
  translated: 2,
  failed: 0,
  charactersSent: 1234,
});
const assembleBatch: TaskFn = async (event) => ({
  resultKey: 'work/en-zh/r1/assembly/result/0.json',
  documents: (event.items as unknown[]).length,
  failed: 0,
});
/** The Distributed Map's child and the finishing step. */
const assembly = { 'Assemble Batch': assembleBatch, 'Assemble And Score': assemble };
/** What Plan returns for run `r1`: the documents to read are the items of "Plan Documents". */
const planPlan = {
  action: 'plan',
  attempt: 0,
  waitSeconds: 0,
  runId: 'r1',
  itemsKey: 'work/en-zh/r1/plan/items.json',
  read: 2,
};
/** Plan, the Distributed Map "Plan Documents" (Plan Batch over the items) and Finish Plan, which ends with `finished`. */
const planning = (finished: Record<string, unknown> = continuePlan) =>
  ({
    Plan: async () => planPlan,
    'Plan Batch': async (event) => ({
      resultKey: 'work/en-zh/r1/plan/result/0.json',
      documents: (event.items as unknown[]).length,
      failed: 0,
    }),
    'Finish Plan': async () => finished,
  }) satisfies Record<string, TaskFn>;
const recordFailure: TaskFn = async () => ({ reportKey: 'reports/en-zh/r1.json' });

describe('the workflow, executed with aws-local-stepfunctions', () => {
  it('assembles in the Distributed Map: one Assemble Batch per batch of items, then Assemble And Score', async () => {
    const r = await runWorkflow({
      ...planning(),
      'Build Parallel Data': async () => pd('unchanged'),
      'Prepare Batch': async () => batch(true),
      ...jobTasks(60, { status: 'COMPLETED', documentsWithErrors: 0, inputDocuments: 2 }),
      ...assembly,
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.calls['Assemble Batch']).toHaveLength(1);
    expect(r.calls['Assemble Batch']?.[0]).toMatchObject({
      items: [
        { index: 0, path: 'ch/a.md' },
        { index: 1, path: 'ch/b.md' },
      ],
      plan: { runId: 'r1' },
      job: { jobId: 'job-1', done: true },
    });
    // The map's results are not kept: the payload stays keys and counts.
    expect(r.output).not.toHaveProperty('Assemble Documents');
    expect(r.calls['Assemble And Score']?.[0]).not.toHaveProperty('items');
  });

  it('a failed batch fails the map (no tolerated failure): Record Failure, then Fail', async () => {
    const r = await runWorkflow({
      ...planning(),
      'Build Parallel Data': async () => pd('unchanged'),
      'Prepare Batch': async () => batch(false),
      'Assemble Batch': async () => {
        throw named('AccessDenied', 'no access to translated/zh/ch/a.md');
      },
      'Record Failure': recordFailure,
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.ExceedToleratedFailureThreshold');
    expect(r.cause).toMatch(/2 of 2 item\(s\) failed.*AccessDenied/);
    expect(r.calls['Record Failure']).toHaveLength(1);
    expect(r.calls['Assemble And Score']).toBeUndefined();
  });

  it('happy path: plan, update parallel data, wait until ACTIVE, batch, job, assemble', async () => {
    const r = await runWorkflow({
      ...planning(),
      'Build Parallel Data': async () => pd('update'),
      ...parallelDataTasks(3, 'ACTIVE'),
      'Prepare Batch': async () => batch(true),
      ...jobTasks(600, { status: 'COMPLETED', documentsWithErrors: 0, inputDocuments: 2 }),
      ...assembly,
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.entered.at(-1)).toBe('Run Succeeded');
    expect(r.calls['Check Parallel Data']).toHaveLength(3);
    expect(r.output?.result).toMatchObject({ status: 'SUCCEEDED' });
    const assembleInput = r.calls['Assemble And Score']?.[0];
    expect(assembleInput?.job).toMatchObject({ jobId: 'job-1', status: 'COMPLETED', done: true });
    expect(assembleInput?.parallelData).toMatchObject({ name: 'amts-en-zh', ready: true, updated: true });
    expect(r.calls['Record Failure']).toBeUndefined();
  });

  it('plans in the Distributed Map: one Plan Batch per batch of items, then Finish Plan', async () => {
    const r = await runWorkflow({ ...planning({ ...continuePlan, action: 'done' }) });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.calls['Plan Batch']).toHaveLength(1);
    expect(r.calls['Plan Batch']?.[0]).toMatchObject({
      items: [
        { index: 0, path: 'ch/a.md' },
        { index: 1, path: 'ch/b.md' },
      ],
      pair: { source: 'en', target: 'zh' },
      plan: { action: 'plan', runId: 'r1', itemsKey: 'work/en-zh/r1/plan/items.json' },
    });
    // Finish Plan gets Plan's result, not the map's: the payload stays keys and counts.
    expect(r.calls['Finish Plan']?.[0]?.plan).toEqual(planPlan);
    expect(r.calls['Finish Plan']?.[0]).not.toHaveProperty('items');
  });

  it('a failed plan batch fails the map: Record Failure, then Fail (Finish Plan never runs)', async () => {
    const r = await runWorkflow({
      ...planning(),
      'Plan Batch': async () => {
        throw named('AccessDenied', 'no access to source/en/ch/a.md');
      },
      'Record Failure': recordFailure,
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.ExceedToleratedFailureThreshold');
    expect(r.calls['Record Failure']).toHaveLength(1);
    expect(r.calls['Finish Plan']).toBeUndefined();
  });

  it('nothing to do: Finish Plan says done, no later Task runs', async () => {
    const r = await runWorkflow({ ...planning({ ...continuePlan, action: 'done' }) });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.entered).toEqual([
      'Start Run',
      'Plan',
      'Pair Locked?',
      'Plan Documents',
      'Finish Plan',
      'What Next?',
      'Nothing To Do',
    ]);
  });

  it('waits (bounded) while an earlier execution of the pair holds the lock, then continues', async () => {
    let tries = 0;
    const r = await runWorkflow({
      ...planning({ ...continuePlan, action: 'done' }),
      Plan: async (e) => {
        tries++;
        if (tries < 3)
          return { action: 'wait', runId: 'r1', ...nextPoll(e.attempt as number, JOB_POLL, 'lock') };
        return planPlan;
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.calls.Plan?.map((c) => c.attempt)).toEqual([0, 1, 2]);
    expect(r.entered.filter((s) => s === 'Wait For Earlier Run')).toHaveLength(2);
    expect(r.waitedSeconds).toBe(60 + 120);
  });

  it('parallel data unchanged: skips Create/Update and goes straight to the batch', async () => {
    const r = await runWorkflow({
      ...planning(),
      'Build Parallel Data': async () => pd('unchanged'),
      'Prepare Batch': async () => batch(true),
      ...jobTasks(30, { status: 'COMPLETED' }),
      ...assembly,
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.entered).not.toContain('Create Or Update Parallel Data');
    expect(r.entered).not.toContain('Check Parallel Data');
    expect(r.calls['Start Translation Job']?.[0]?.parallelData).toMatchObject({
      action: 'unchanged',
      name: 'amts-en-zh',
    });
  });

  it('no machine translation needed: assembles reused/reference units without a job', async () => {
    const r = await runWorkflow({
      ...planning(),
      'Build Parallel Data': async () => pd('none'),
      'Prepare Batch': async () => batch(false),
      ...assembly,
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.entered).not.toContain('Start Translation Job');
    expect(r.calls['Assemble And Score']?.[0]?.job).toBeNull();
  });

  it('parallel data FAILED: Record Failure, then Fail with ParallelDataFailedError and the import summary', async () => {
    const r = await runWorkflow({
      ...planning(),
      'Build Parallel Data': async () => pd('update'),
      ...parallelDataTasks(2, 'FAILED'),
      'Record Failure': recordFailure,
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('ParallelDataFailedError');
    expect(r.cause).toContain('field starts with "="');
    expect(r.calls['Record Failure']?.[0]?.error).toMatchObject({ Error: 'ParallelDataFailedError' });
    expect(r.entered.slice(-2)).toEqual(['Record Failure', 'Run Failed']);
    expect(r.entered).not.toContain('Prepare Batch');
    expect(new ParallelDataFailedError('x').name).toBe(r.error);
  });

  it.each(['FAILED', 'STOPPED'])(
    'job %s: Record Failure, then Fail with TranslationJobFailedError',
    async (status) => {
      const r = await runWorkflow({
        ...planning(),
        'Build Parallel Data': async () => pd('unchanged'),
        'Prepare Batch': async () => batch(true),
        ...jobTasks(90, { status }),
        'Record Failure': recordFailure,
      });
      expect(r.status).toBe('FAILED');
      expect(r.error).toBe('TranslationJobFailedError');
      expect(r.calls['Record Failure']?.[0]?.job).toMatchObject({ jobId: 'job-1' });
      expect(r.entered).not.toContain('Assemble And Score');
    },
  );

  it('COMPLETED_WITH_ERROR: assembles what was translated and reports PARTIAL', async () => {
    const r = await runWorkflow({
      ...planning(),
      'Build Parallel Data': async () => pd('unchanged'),
      'Prepare Batch': async () => batch(true),
      ...jobTasks(60, { status: 'COMPLETED_WITH_ERROR', documentsWithErrors: 1, inputDocuments: 2 }),
      ...assembly,
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.calls['Assemble And Score']?.[0]?.job).toMatchObject({
      status: 'COMPLETED_WITH_ERROR',
      partial: true,
    });
    expect(r.output?.result).toMatchObject({ status: 'PARTIAL' });
  });

  it('throttling then success: Translate/Lambda throttling and conflicts are retried, not failed', async () => {
    const failures = ['TooManyRequestsException', 'ConflictException', 'Lambda.TooManyRequestsException'];
    const r = await runWorkflow({
      ...planning(),
      'Build Parallel Data': async () => pd('update'),
      'Create Or Update Parallel Data': async (e) => {
        const f = failures.shift();
        if (f) throw named(f);
        return {
          ...(e.parallelData as object),
          operation: 'update',
          updated: true,
          ready: false,
          attempt: 0,
          waitSeconds: 30,
        };
      },
      'Check Parallel Data': async (e) => ({ ...(e.parallelData as object), ready: true, waitSeconds: 0 }),
      'Prepare Batch': async () => batch(true),
      ...jobTasks(30, { status: 'COMPLETED' }),
      ...assembly,
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.calls['Create Or Update Parallel Data']).toHaveLength(4);
    expect(r.calls['Record Failure']).toBeUndefined();
  });

  it('gives up on persistent throttling after the bounded retries, with the throttling error name', async () => {
    const r = await runWorkflow({
      ...planning(),
      'Build Parallel Data': async () => pd('unchanged'),
      'Prepare Batch': async () => batch(true),
      'Start Translation Job': async () => {
        throw named('ThrottlingException', 'Rate exceeded');
      },
      'Record Failure': recordFailure,
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('ThrottlingException');
    expect(r.calls['Start Translation Job']).toHaveLength(9); // 1 + MaxAttempts 8
  });

  it('invalid input: fails before any work with InvalidInputError', async () => {
    const r = await runWorkflow(
      {
        Plan: async () => {
          throw named('InvalidInputError', 'input.mode: Invalid enum value (got "fast")');
        },
        'Record Failure': recordFailure,
      },
      { mode: 'fast' },
    );
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('InvalidInputError');
    expect(r.entered).toEqual(['Start Run', 'Plan', 'Record Failure', 'Run Failed']);
  });

  it('still fails with the original error when Record Failure itself fails', async () => {
    const r = await runWorkflow({
      Plan: async () => {
        throw named('EncodingError', 'source/en/a.md: not UTF-8');
      },
      'Record Failure': async () => {
        throw named('AccessDenied');
      },
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('EncodingError');
  });

  it('a run whose job takes 1 hour stays within 60 state transitions', async () => {
    const r = await runWorkflow({
      ...planning(),
      'Build Parallel Data': async () => pd('update'),
      ...parallelDataTasks(4, 'ACTIVE'),
      'Prepare Batch': async () => batch(true),
      ...jobTasks(3600, { status: 'COMPLETED' }),
      ...assembly,
    });
    expect(r.status).toBe('SUCCEEDED');
    const jobChecks = r.calls['Check Translation Job']?.length ?? 0;
    expect(jobChecks).toBe(10); // 30+60+120+240+480+600×4 = 3330 < 3600 ≤ 3930
    expect(r.entered.length).toBeLessThanOrEqual(60);
    console.info(
      `[figure] 1-hour job: ${r.entered.length} state transitions (${jobChecks} job checks, ` +
        `${r.calls['Check Parallel Data']?.length} parallel-data checks, ${r.waitedSeconds} s waited)`,
    );
  });
});
