/**
 * local/run/execution.ts: one execution of a state machine in this process, and the outcome the
 * runner reads back (run id, report).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WORKFLOW_ASL_PATH } from '../../infra/workflow-placeholders';
import { reportKey, runIdFor } from '../../lambdas/core/workflow/names';
import { ExecutionSchema } from '../../lambdas/core/workflow/payload';
import {
  type ExecutionHost,
  executionPassedOn,
  localExecutionName,
  runExecution,
} from '../../local/run/execution';
import type { Handler } from '../../local/run/handlers';
import { REPO_ROOT } from '../../local/run/repo';
import { reviewFixture } from '../helpers/review-fixture';

// What EventBridge's "execution ended" rule invokes (release-lock) needs the bucket; here it holds no lock.
vi.mock('../../local/run/handlers', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../local/run/handlers')>()),
  loadHandler: async () => async () => ({ released: false }),
}));

const PAIR = { source: 'en', target: 'zh' } as const;
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:amts-local-assemble-and-score';

/**
 * A two-state machine: the workflow's own "Start Run" (it copies `$$.Execution` into `$.execution`),
 * then "Assemble And Score", whose handler writes a report under the run id it derives from
 * `$.execution`, as the real handlers do. The bucket is a Map.
 */
function reportingHost(): { host: ExecutionHost; bucket: Map<string, string>; seen: string[] } {
  const workflow = JSON.parse(readFileSync(join(REPO_ROOT, WORKFLOW_ASL_PATH), 'utf8')) as {
    States: Record<string, Record<string, unknown>>;
  };
  const definition = {
    StartAt: 'Start Run',
    States: {
      'Start Run': { ...workflow.States['Start Run'], Next: 'Assemble And Score' },
      'Assemble And Score': { Type: 'Task', Resource: FUNCTION, ResultPath: null, End: true },
    },
  };
  const bucket = new Map<string, string>();
  const seen: string[] = [];
  const writeReport: Handler = async (event) => {
    const runId = runIdFor(ExecutionSchema.parse((event as { execution: unknown }).execution));
    seen.push(runId);
    bucket.set(reportKey(PAIR, runId, 'json'), JSON.stringify({ ...reviewFixture(), runId }));
    return {};
  };
  const host: ExecutionHost = {
    loadHandlers: async () => new Map([['Assemble And Score', writeReport]]),
    definition: () => JSON.stringify(definition),
    getText: async (key) => bucket.get(key) ?? null,
    timing: {},
    translate: {},
  };
  return { host, bucket, seen };
}

/** A clock that moves one second on to every `new Date()`: any two readings are in different seconds. */
function steppingClock(): void {
  const Real = Date;
  let at = Real.parse('2026-12-02T18:44:02.900Z');
  class Stepping extends Real {
    constructor(...args: unknown[]) {
      if (args.length === 0) {
        super(at);
        at += 1000;
      } else super(...(args as [string]));
    }
    static override now(): number {
      return at;
    }
  }
  vi.stubGlobal('Date', Stepping);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('runExecution(): the run id is the one the handlers derive', () => {
  it('finds the report even when the engine started the execution in a later second than the runner', async () => {
    // aws-local-stepfunctions sets $$.Execution.StartTime itself when the execution starts; a runner
    // that derived the run id from its own earlier clock reading looked for the report under another
    // key whenever a second boundary fell in between ("no report written" under load).
    steppingClock();
    const { host, seen } = reportingHost();

    const outcome = await runExecution(host, PAIR, {});

    expect(outcome.status).toBe('SUCCEEDED');
    expect(seen).toHaveLength(1);
    expect(outcome.runId).toBe(seen[0]);
    expect(outcome.reportKey).toBe(reportKey(PAIR, seen[0] as string, 'json'));
    expect(outcome.report).toMatchObject({ runId: seen[0] });
    expect(outcome.reportMissing).toBeUndefined();
  });

  it.each([
    [
      'no object at the key',
      undefined,
      /^no object at reports\/en-zh\/.+\.json; the execution ended SUCCEEDED after Assemble And Score$/,
    ],
    [
      'an object that is not JSON',
      '{"runId": "r',
      /\.json is not a run report \(12 bytes\): .+; the execution ended SUCCEEDED/,
    ],
    [
      'JSON that is not a run report',
      '{"runId": 7}',
      /\.json is not a run report \(12 bytes\): [\s\S]*runId[\s\S]*; the execution ended SUCCEEDED/,
    ],
  ])('says why there is no report: %s', async (_case, text, why) => {
    const { host, bucket } = reportingHost();
    const getText = host.getText;
    host.getText = async (key) => (key.startsWith('reports/') ? (text ?? null) : getText(key));

    const outcome = await runExecution(host, PAIR, {});

    expect(bucket.size).toBe(1);
    expect(outcome.report).toBeNull();
    expect(outcome.reportMissing).toMatch(why);
  });
});

describe('executionPassedOn()', () => {
  const execution = { name: 'en-zh-20261202T184402-681b7809', startTime: '2026-12-02T18:44:03.012Z' };
  it.each([
    [
      'a state exit carrying $.execution',
      { type: 'StateExited', state: { output: { execution } } },
      execution,
    ],
    ['a state entry', { type: 'StateEntered', state: { output: { execution } } }, undefined],
    ['an exit without $.execution', { type: 'StateExited', state: { output: { plan: {} } } }, undefined],
    [
      'an exit with a malformed one',
      { type: 'StateExited', state: { output: { execution: { name: '' } } } },
      undefined,
    ],
    ['an exit with no output', { type: 'StateExited', state: { output: null } }, undefined],
  ])('%s', (_case, event, expected) => {
    expect(executionPassedOn(event)).toEqual(expected);
  });
});

describe('localExecutionName()', () => {
  it('is a valid Step Functions name, different for two runs started at once', () => {
    const at = new Date('2026-11-21T12:00:00Z');
    const a = localExecutionName({ source: 'en', target: 'zh' }, at);
    const b = localExecutionName({ source: 'en', target: 'zh' }, at);
    expect(a).toMatch(/^en-zh-20261121T120000-[0-9a-f]{8}$/);
    expect(a.length).toBeLessThanOrEqual(80);
    expect(a).not.toBe(b);
  });
});

describe('runExecution(): a Distributed Map stops with its execution', () => {
  it('starts no child after the execution is stopped (at most MaxConcurrency of 6 ran)', async () => {
    const batch = 'arn:aws:lambda:us-east-1:000000000000:function:amts-local-assemble-batch';
    const definition = {
      StartAt: 'Assemble Documents',
      States: {
        'Assemble Documents': {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 2,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Assemble Batch',
            States: { 'Assemble Batch': { Type: 'Task', Resource: batch, End: true } },
          },
          End: true,
        },
      },
    };
    const stop = new AbortController();
    const started: unknown[] = [];
    const assembleBatch: Handler = async (item) => {
      started.push(item);
      stop.abort();
      await new Promise((resolve) => setImmediate(resolve));
      return {};
    };
    const host: ExecutionHost = {
      loadHandlers: async () => new Map([['Assemble Batch', assembleBatch]]),
      definition: () => JSON.stringify(definition),
      getText: async () => null,
      timing: {},
      translate: {},
    };

    const outcome = await runExecution(host, PAIR, { items: [1, 2, 3, 4, 5, 6] }, { signal: stop.signal });

    expect(outcome.status).toBe('ABORTED');
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(started.length).toBeLessThanOrEqual(2);
  });
});
