import { readFileSync } from 'node:fs';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import {
  substitutePlaceholders,
  WORKFLOW_ASL_PATH,
  WORKFLOW_TASKS,
  WORKFLOW_WAITS,
  workflowSubstitutions,
} from '../../infra/workflow-placeholders';
import {
  type Definition,
  distributedMapHandlers,
  inlineDistributedMaps,
} from '../../local/run/distributed-map';

export const ASL_TEXT = readFileSync(WORKFLOW_ASL_PATH, 'utf8');

export type AslState = {
  Type: string;
  Next?: string;
  Default?: string;
  End?: boolean;
  Resource?: string;
  Choices?: { Next: string }[];
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  SecondsPath?: string;
  ItemProcessor?: { StartAt: string; States: Record<string, AslState> };
  [field: string]: unknown;
};
export type AslDefinition = { StartAt: string; States: Record<string, AslState> };

/** Every state by name, the states of Map ItemProcessors (child workflows) included. */
export function allStates(def: Pick<AslDefinition, 'States'>): Record<string, AslState> {
  const out: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(def.States)) {
    out[name] = state;
    if (state.ItemProcessor) Object.assign(out, allStates(state.ItemProcessor));
  }
  return out;
}

/** The ASL with every placeholder substituted for `en→zh` (function ARNs named after the handler folder). */
export function definition(): AslDefinition {
  const subs = workflowSubstitutions(
    { source: 'en', target: 'zh' },
    (dir) => `arn:aws:lambda:us-east-1:123456789012:function:amts-${dir}`,
    'book',
  );
  return JSON.parse(substitutePlaceholders(ASL_TEXT, subs)) as AslDefinition;
}

export type TaskFn = (input: Record<string, unknown>) => Promise<unknown>;

/** A named error as a Lambda would throw it (Step Functions matches on `name`). */
export function named(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export interface RunResult {
  status: 'SUCCEEDED' | 'FAILED';
  output?: Record<string, unknown>;
  error?: string;
  cause?: string;
  /** State names in the order they were entered. */
  entered: string[];
  /** Simulated seconds spent in Wait states (from the waitSeconds the tasks returned). */
  waitedSeconds: number;
  calls: Record<string, Record<string, unknown>[]>;
}

/**
 * What Plan and Prepare Batch leave for run `r1`: the Distributed Maps' items, two documents to plan
 * and to assemble.
 */
export const RUN_R1_OBJECTS: Readonly<Record<string, string>> = {
  'work/en-zh/r1/plan/items.json': JSON.stringify([
    { index: 0, path: 'ch/a.md', translated: false, reference: false, origin: null },
    { index: 1, path: 'ch/b.md', translated: false, reference: false, origin: null },
  ]),
  'work/en-zh/r1/assembly/items.json': JSON.stringify([
    { index: 0, path: 'ch/a.md' },
    { index: 1, path: 'ch/b.md' },
  ]),
};

/**
 * Run the real ASL with aws-local-stepfunctions: every Task replaced by `tasks[state]`, waits and retry
 * pauses set to 0 ms (the seconds the machine would have waited are added up instead).
 */
export async function runWorkflow(
  tasks: Partial<Record<string, TaskFn>>,
  input: unknown = {},
  /** Objects a distributed Map's ItemReader reads (`key` → text), as the local runner does. */
  objects: Readonly<Record<string, string>> = RUN_R1_OBJECTS,
): Promise<RunResult> {
  const def = definition();
  const inlined = inlineDistributedMaps(def as unknown as Definition);
  const calls: Record<string, Record<string, unknown>[]> = {};
  const handlers: Record<string, (i: unknown) => Promise<unknown>> = {};
  for (const t of WORKFLOW_TASKS) {
    handlers[t.state] = async (i: unknown) => {
      const event = i as Record<string, unknown>;
      const list = calls[t.state] ?? [];
      list.push(event);
      calls[t.state] = list;
      const fn = tasks[t.state];
      if (!fn) throw named('NotMocked', `no mock for Task "${t.state}"`);
      return fn(event);
    };
  }
  const sm = new StateMachine(inlined.definition as never, {
    validationOptions: { checkPaths: true, checkArn: true },
  });
  const waitTimeOverrides = Object.fromEntries(WORKFLOW_WAITS.map((w) => [w, 0]));
  const retryIntervalOverrides = Object.fromEntries(
    [...WORKFLOW_TASKS.map((t) => t.state), ...inlined.maps.keys()].map((s) => [s, 0]),
  );
  const overrides = {
    taskResourceLocalHandlers: handlers as never,
    waitTimeOverrides,
    retryIntervalOverrides,
  };
  Object.assign(
    handlers,
    distributedMapHandlers(inlined.maps, {
      readObject: async (_bucket, key) => objects[key] ?? null,
      runChild: (child, childInput) =>
        new StateMachine(child as never, { validationOptions: { noValidate: true } })
          .run(childInput as never, { overrides })
          .result.catch((e: unknown) => {
            throw e instanceof ExecutionError ? e.cause : e;
          }),
    }),
  );
  const execution = sm.run(input as never, {
    overrides,
    context: {
      Execution: { Name: 'exec-1', StartTime: '2026-11-21T12:00:00.000Z', Input: input },
    } as never,
  });
  const entered: string[] = [];
  let waitedSeconds = 0;
  const collect = (async () => {
    for await (const ev of execution.eventLogs) {
      const e = ev as { type: string; state?: { name: string; input?: Record<string, unknown> } };
      if (e.type === 'StateEntered' && e.state) {
        entered.push(e.state.name);
        if (def.States[e.state.name]?.Type === 'Wait') {
          const path = def.States[e.state.name]?.SecondsPath?.replace(/^\$\./, '').split('.') ?? [];
          let v: unknown = e.state.input;
          for (const p of path) v = (v as Record<string, unknown> | undefined)?.[p];
          waitedSeconds += typeof v === 'number' ? v : 0;
        }
      }
    }
  })();
  try {
    const output = (await execution.result) as Record<string, unknown>;
    await collect;
    return { status: 'SUCCEEDED', output, entered, waitedSeconds, calls };
  } catch (error) {
    await collect.catch(() => undefined);
    const e = error as { cause?: { name?: string; message?: string }; name: string; message: string };
    return {
      status: 'FAILED',
      error: e.cause?.name ?? e.name,
      cause: e.cause?.message ?? e.message,
      entered,
      waitedSeconds,
      calls,
    };
  }
}
