/**
 * One execution of the workflow in this process (docs/architecture.md "Local runner"):
 * `statemachine/workflow.asl.json` run by aws-local-stepfunctions, each Task calling the real Lambda
 * handler in-process (local/run/handlers.ts), Distributed Maps run inline (local/run/distributed-map.ts),
 * waits and retry backoff shortened against the emulator, a progress line per interesting event, and
 * what EventBridge does on AWS when an execution ends badly (release-lock).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
} from 'aws-local-stepfunctions';
import type { z } from 'zod';
import { WORKFLOW_TASKS, WORKFLOW_WAITS } from '../../infra/workflow-placeholders';
import { type ParsedRunReport, RunReportSchema } from '../../lambdas/core/report';
import { type LanguagePair, pairId, reportKey, runIdFor } from '../../lambdas/core/workflow/names';
import { ExecutionSchema } from '../../lambdas/core/workflow/payload';
import { causeMessage } from '../../lambdas/core/workflow/step-error';
import {
  type Definition,
  distributedMapHandlers,
  inlineDistributedMaps,
  StatesError,
} from './distributed-map';
import { type Handler, invokeLikeLambda, loadHandler } from './handlers';

type Execution = ReturnType<StateMachine['run']>;
type EventLog = Execution extends { eventLogs: AsyncGenerator<infer E> } ? E : never;
type RunOptions = NonNullable<Parameters<StateMachine['run']>[1]>;
type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

export interface Timing {
  /** Milliseconds each Wait state actually waits, by state name (default: 0 for all). */
  waitMs?: Partial<Record<string, number>>;
  /** Milliseconds between Task retries (default 0: the ASL's backoff is not slept through locally). */
  retryMs?: number;
}

export interface ExecutionOutcome {
  executionName: string;
  runId: string;
  /** TIMED_OUT: the state machine's TimeoutSeconds passed; ABORTED: stopped (Ctrl-C, SIGTERM, `signal`). */
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /**
   * For an execution that did not succeed: whether the "execution ended" rule's handler
   * (lambdas/release-lock, as EventBridge invokes it on AWS) released a lock this execution held.
   */
  lockReleased?: boolean;
  /** Error name and cause when the execution failed. */
  error?: { name: string; cause: string };
  /** The run report from the bucket (null when the run wrote none). */
  report: ParsedRunReport | null;
  /**
   * Why `report` is null, in words: no object at the key, or what was there is not a report. Says
   * which state the execution ended in, so a missing report is never silent.
   */
  reportMissing?: string;
  /** Bucket key of the report JSON. */
  reportKey: string;
  /** States entered, in order (for tests and the history-size budget). */
  states: string[];
  /** Wall time of the execution. */
  ms: number;
}

export interface ExecuteOptions {
  name?: string;
  log?: (line: string) => void;
  /** Aborting it stops the execution ("Stop execution" in the console): status ABORTED. */
  signal?: AbortSignal;
  /** Replaces the state machine's TimeoutSeconds (tests: a short execution timeout). */
  timeoutSeconds?: number;
}

/** What an execution needs from its environment (local/run/environment.ts). */
export interface ExecutionHost {
  /** The Task handlers by state name. */
  loadHandlers(): Promise<Map<string, Handler>>;
  /** The pair's ASL, placeholders substituted. */
  definition(pair: LanguagePair): string;
  getText(key: string): Promise<string | null>;
  readonly timing: Timing;
  /** The Translate emulator; undefined against real AWS (then the ASL's own waits apply). */
  readonly translate: object | undefined;
}

/**
 * Runs one execution of the pair's state machine with `input` (the console JSON). Resolves with
 * the outcome whether it succeeded or failed; rejects only when the runner itself cannot run.
 */
export async function runExecution(
  host: ExecutionHost,
  pair: LanguagePair,
  input: unknown,
  options: ExecuteOptions = {},
): Promise<ExecutionOutcome> {
  const handlers = await host.loadHandlers();
  const log = options.log ?? (() => undefined);
  // aws-local-stepfunctions has no Distributed Map: each runs inline here (local/run/distributed-map.ts).
  const { definition, maps } = inlineDistributedMaps(JSON.parse(host.definition(pair)) as Definition);
  if (options.timeoutSeconds !== undefined) definition.TimeoutSeconds = options.timeoutSeconds;
  const machine = new StateMachine(definition as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const resultPaths = new Map<string, string>();
  for (const [name, state] of Object.entries(definition.States as Record<string, { ResultPath?: string }>)) {
    if (state.ResultPath) resultPaths.set(name, state.ResultPath);
  }
  for (const spec of maps.values()) {
    for (const [name, state] of Object.entries(spec.processor.States)) {
      if (typeof state.ResultPath === 'string') resultPaths.set(name, state.ResultPath);
    }
  }
  const startTime = new Date();
  const executionName = options.name ?? localExecutionName(pair, startTime);
  const stateMachineArn = `arn:aws:states:us-east-1:000000000000:stateMachine:amts-${pairId(pair)}`;
  const taskResourceLocalHandlers: LocalHandlers = {};
  // Invocations in flight: an aborted or timed-out execution lets them finish before its lock is released.
  const inFlight = new Set<Promise<unknown>>();
  // Aborted when the execution ends other than SUCCEEDED: every Map Run still in progress stops (no
  // child starts after that, running children are aborted), as on AWS when a Map Run's execution ends.
  const mapRuns = new AbortController();
  const mapHandlers = distributedMapHandlers(maps, {
    readObject: (_bucket, key) => host.getText(key),
    signal: mapRuns.signal,
    runChild: async (processor, input, _index, stop) => {
      const child = new StateMachine(processor as never, { validationOptions: { noValidate: true } });
      // This child's Task invocations, so that it settles only once none of them still runs.
      const running = new Set<Promise<unknown>>();
      const tracked: LocalHandlers = {};
      for (const [state, handler] of Object.entries(taskResourceLocalHandlers)) {
        tracked[state] = (event) => {
          const call = Promise.resolve(handler(event));
          running.add(call);
          void call.then(
            () => running.delete(call),
            () => running.delete(call),
          );
          return call;
        };
      }
      const run = child.run(input as never, {
        overrides: { ...runOptions.overrides, taskResourceLocalHandlers: tracked },
      });
      const abort = () => run.abort();
      if (stop.aborted) abort();
      else stop.addEventListener('abort', abort, { once: true });
      const ctx = {
        states,
        entered: new Map<string, number>(),
        caught: new Set<string>(),
        resultPaths,
        log,
      };
      const forwarding = (async () => {
        for await (const event of run.eventLogs) describeEvent(event, ctx);
      })();
      try {
        return await run.result;
      } catch (error) {
        throw error instanceof ExecutionError ? error.cause : error;
      } finally {
        stop.removeEventListener('abort', abort);
        await forwarding.catch(() => undefined);
        await Promise.allSettled([...running]);
      }
    },
  });
  const calls: [string, string, Handler][] = [
    ...WORKFLOW_TASKS.map((t): [string, string, Handler] => [
      t.state,
      t.dir,
      handlers.get(t.state) as Handler,
    ]),
    ...Object.entries(mapHandlers).map(([state, h]): [string, string, Handler] => [
      state,
      'distributed-map',
      h,
    ]),
  ];
  for (const [state, dir, handler] of calls) {
    taskResourceLocalHandlers[state] = async (event) => {
      const call = invokeLikeLambda(dir, handler, event);
      inFlight.add(call);
      try {
        return (await call) as Awaited<ReturnType<LocalHandlers[string]>>;
      } finally {
        inFlight.delete(call);
      }
    };
  }
  // Locally the emulator answers at once, so waits and retry backoff are shortened; against real AWS
  // the ASL's own waits and backoff apply (a job takes minutes), unless timing says otherwise.
  const real = host.translate === undefined;
  const waitTimeOverrides: Record<string, number> = {};
  for (const wait of WORKFLOW_WAITS) {
    const ms = host.timing.waitMs?.[wait];
    if (ms !== undefined || !real) waitTimeOverrides[wait] = ms ?? 0;
  }
  const retryIntervalOverrides: Record<string, number> = {};
  if (host.timing.retryMs !== undefined || !real) {
    for (const [state] of calls) retryIntervalOverrides[state] = host.timing.retryMs ?? 0;
  }
  const runOptions = {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
  };
  const states: string[] = [];

  const execution = machine.run(input as never, {
    ...runOptions,
    context: {
      Execution: {
        Id: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`,
        Name: executionName,
        StartTime: startTime.toISOString(),
        Input: input as never,
        RoleArn: 'arn:aws:iam::000000000000:role/amts-local-state-machine',
      },
      StateMachine: { Id: stateMachineArn, Name: `amts-${pairId(pair)}` },
    },
  });
  const onAbort = () => {
    execution.abort();
    mapRuns.abort(new StatesError('MapRunAborted', 'the execution was stopped'));
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const entered = new Map<string, number>();
  const caught = new Set<string>();
  // `$$.Execution` as the states saw it: the engine sets its own StartTime when the execution starts
  // (not the one passed in `context`), and every handler derives the run id from that one.
  let ran: RunExecution | undefined;
  const printing = (async () => {
    for await (const event of execution.eventLogs) {
      ran ??= executionPassedOn(event);
      describeEvent(event, { states, entered, caught, resultPaths, log });
    }
  })();
  let status: ExecutionOutcome['status'] = 'SUCCEEDED';
  let error: ExecutionOutcome['error'];
  try {
    await execution.result;
  } catch (e) {
    if (e instanceof ExecutionAbortedError) {
      status = 'ABORTED';
      log('■ execution ABORTED');
    } else if (e instanceof ExecutionTimeoutError) {
      status = 'TIMED_OUT';
      log(`■ execution TIMED_OUT after ${definition.TimeoutSeconds} s`);
    } else {
      status = 'FAILED';
      const cause = e instanceof ExecutionError ? (e.cause as Error | undefined) : (e as Error);
      error = { name: cause?.name ?? 'Error', cause: cause?.message ?? String(e) };
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  await printing.catch(() => undefined);
  // Stopped before any state ran: no handler derived a run id, this one only names the outcome.
  const started = ran ?? { name: executionName, startTime: startTime.toISOString() };
  const runId = runIdFor(started);
  let lockReleased: boolean | undefined;
  if (status !== 'SUCCEEDED') {
    mapRuns.abort(new StatesError('MapRunAborted', `the execution ended ${status}`));
    await Promise.allSettled([...inFlight]);
    lockReleased = await executionEnded(
      pair,
      status,
      executionName,
      new Date(started.startTime),
      stateMachineArn,
    );
    if (lockReleased)
      log(
        `■ released the ${pairId(pair)} lock this execution held (as the "execution ended" rule does on AWS)`,
      );
  }
  const key = reportKey(pair, runId, 'json');
  const reportText = await host.getText(key);
  let report: ParsedRunReport | null = null;
  let reportMissing: string | undefined;
  if (reportText === null) reportMissing = `no object at ${key}`;
  else {
    try {
      report = RunReportSchema.parse(JSON.parse(reportText));
    } catch (cause) {
      log(`✗ ${key} is not a run report: ${(cause as Error).message}`);
      reportMissing = `${key} is not a run report (${Buffer.byteLength(reportText)} bytes): ${(cause as Error).message}`;
    }
  }
  if (reportMissing !== undefined) {
    reportMissing += `; the execution ended ${status} after ${states.at(-1) ?? 'no state'}`;
  }
  return {
    executionName,
    runId,
    status,
    error,
    ...(lockReleased === undefined ? {} : { lockReleased }),
    report,
    ...(reportMissing === undefined ? {} : { reportMissing }),
    reportKey: key,
    states,
    ms: Date.now() - startTime.getTime(),
  };
}

/**
 * What EventBridge does on AWS when an execution ends FAILED, TIMED_OUT or ABORTED: invoke
 * lambdas/release-lock with the "Execution Status Change" event. Returns whether it released a lock.
 */
async function executionEnded(
  pair: LanguagePair,
  status: ExecutionOutcome['status'],
  name: string,
  startTime: Date,
  stateMachineArn: string,
): Promise<boolean> {
  const handler = await loadHandler('release-lock');
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  const event = {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn,
      name,
      status,
      startDate: startTime.getTime(),
      stopDate: Date.now(),
    },
  };
  const previous = process.env.AMTS_PAIR;
  process.env.AMTS_PAIR = pairId(pair);
  try {
    const out = (await invokeLikeLambda('release-lock', handler, event)) as { released?: boolean };
    return out.released === true;
  } finally {
    if (previous === undefined) delete process.env.AMTS_PAIR;
    else process.env.AMTS_PAIR = previous;
  }
}

type RunExecution = z.infer<typeof ExecutionSchema>;

/**
 * The `$.execution` (`$$.Execution.Name` and `.StartTime`, copied by "Start Run") a state passed on,
 * if this event is a state's exit that carries one.
 */
export function executionPassedOn(event: {
  type: string;
  state?: { output?: unknown };
}): RunExecution | undefined {
  if (event.type !== 'StateExited') return undefined;
  const output = event.state?.output;
  if (!output || typeof output !== 'object') return undefined;
  const parsed = ExecutionSchema.safeParse((output as { execution?: unknown }).execution);
  return parsed.success ? parsed.data : undefined;
}

/** A unique execution name: pair, start minute and a random suffix (`[A-Za-z0-9_-]`, ≤ 80). */
export function localExecutionName(pair: LanguagePair, start: Date): string {
  const minute = start.toISOString().slice(0, 19).replace(/[-:]/g, '');
  return `${pairId(pair)}-${minute}-${randomBytes(4).toString('hex')}`;
}

/** One progress line per interesting event. */
function describeEvent(
  event: EventLog,
  ctx: {
    states: string[];
    entered: Map<string, number>;
    caught: Set<string>;
    resultPaths: Map<string, string>;
    log: (line: string) => void;
  },
): void {
  switch (event.type) {
    case 'StateEntered': {
      ctx.states.push(event.state.name);
      ctx.entered.set(event.state.name, event.timestamp);
      if (event.state.type === 'Task' || event.state.type === 'Wait') ctx.log(`▶ ${event.state.name}`);
      break;
    }
    case 'StateExited': {
      if (ctx.caught.delete(event.state.name)) break;
      if (event.state.type !== 'Task' && event.state.type !== 'Wait') break;
      const ms = event.timestamp - (ctx.entered.get(event.state.name) ?? event.timestamp);
      const path = ctx.resultPaths.get(event.state.name);
      const result = path ? pick(event.state.output, path) : undefined;
      const detail = event.state.type === 'Task' ? summarise(result) : '';
      ctx.log(`✓ ${event.state.name} (${ms} ms)${detail ? ` ${detail}` : ''}`);
      break;
    }
    case 'StateFailed':
      ctx.log(`✗ ${event.state.name}: ${event.Error}: ${causeMessage(event.Cause)}`);
      break;
    case 'StateRetried':
      ctx.log(`↻ ${event.state.name}: retry ${event.retry.attempt}`);
      break;
    case 'StateCaught':
      ctx.caught.add(event.state.name);
      ctx.log(`→ ${event.state.name}: caught, next ${event.catch.catcher.Next}`);
      break;
    case 'ExecutionSucceeded':
      ctx.log('■ execution SUCCEEDED');
      break;
    case 'ExecutionFailed':
      ctx.log(`■ execution FAILED: ${event.Error}: ${causeMessage(event.Cause)}`);
      break;
    default:
      break;
  }
}

function pick(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Fields worth a glance in a Task result, in this order (job status while polling, counts…). */
const SHOWN_FIELDS = [
  'action',
  'status',
  'jobId',
  'done',
  'ready',
  'operation',
  'pairs',
  'updated',
  'needsJob',
  'documents',
  'characters',
  'inputDocuments',
  'documentsWithErrors',
  'translated',
  'failed',
  'charactersSent',
  'reportKey',
];

/** `key=value` for the shown scalar fields of a Task result. */
function summarise(result: unknown): string {
  if (!result || typeof result !== 'object') return '';
  const r = result as Record<string, unknown>;
  return SHOWN_FIELDS.filter((k) => ['string', 'number', 'boolean'].includes(typeof r[k]))
    .map((k) => `${k}=${String(r[k])}`)
    .join(' ');
}
