/**
 * The local runner's Distributed Map (docs/architecture.md "Local runner"). aws-local-stepfunctions runs
 * inline Map states only, so before an execution every Map state with
 * `"ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED" } }` is replaced by a Task state of the
 * same name whose local handler does what the Map Run does on AWS, inline and in this process:
 *
 * - reads the items: `ItemReader` (`arn:aws:states:::s3:getObject`, `ReaderConfig.InputType` JSON: the
 *   object is a JSON array; `MaxItems` honoured) from the local bucket, or `ItemsPath` (default `$`);
 * - batches them: `ItemBatcher.MaxItemsPerBatch` items per child, each child's input being
 *   `{ "Items": [...], "BatchInput": <BatchInput, paths resolved against the Map's input> }`;
 * - runs the `ItemProcessor` once per item or batch, at most `MaxConcurrency` at a time;
 * - tolerates failures as the Map Run does (https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html):
 *   the failed items (every item of a failed batch) over the total, against `ToleratedFailurePercentage`
 *   and `ToleratedFailureCount` (default 0: one failure fails the Map); over either, the state fails with
 *   `States.ExceedToleratedFailureThreshold`;
 * - stops when it fails or its execution ends, as a failed Map Run aborts its running children
 *   (https://docs.aws.amazon.com/step-functions/latest/apireference/API_MapRunExecutionCounts.html,
 *   "aborted"): no child starts after that, the running ones are aborted (`runChild`'s signal), and the
 *   Map Run settles only once they have;
 * - returns the array of child outputs (a failed child gives `{ "Error", "Cause" }`), to which the
 *   state's own ResultSelector / ResultPath / OutputPath, Retry, Catch and Next apply unchanged.
 *
 * The ASL file stays the one deployed: this only changes the copy the local runner executes. What the
 * workflow does not use is refused by name (ItemSelector, ResultWriter, CSV or manifest readers, the
 * `...Path` variants), so a definition never runs locally with a silently different meaning.
 */

/** Resource of the Task state that stands in for a distributed Map (never called on AWS). */
export const LOCAL_DISTRIBUTED_MAP_RESOURCE =
  'arn:aws:lambda:us-east-1:000000000000:function:amts-local-distributed-map';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type StateDefinition = Record<string, unknown>;
export interface Definition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  [key: string]: unknown;
}

/** What the stand-in Task needs to run one distributed Map (kept from its definition). */
export interface DistributedMapSpec {
  state: string;
  /** The child workflow (`ItemProcessor` without `ProcessorConfig`), a complete state machine definition. */
  processor: Definition;
  /** Read items from the bucket (else from the input at `ItemsPath`). */
  reader: { maxItems?: number } | null;
  /** Items per child execution (null: one item per child, no batching). */
  maxItemsPerBatch: number | null;
  /** 0: no limit (AWS runs up to 10,000 children at once). */
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number | null;
}

/** An error named as Step Functions names it (a Catch matches on the name). */
export class StatesError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export function isDistributedMap(state: StateDefinition): boolean {
  const processor = (state.ItemProcessor ?? null) as { ProcessorConfig?: { Mode?: string } } | null;
  return state.Type === 'Map' && processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

const UNSUPPORTED = [
  'ItemSelector',
  'Parameters',
  'ResultWriter',
  'MaxConcurrencyPath',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCountPath',
] as const;

function refuse(state: string, what: string): never {
  throw new StatesError(
    'UnsupportedDistributedMap',
    `Map state "${state}": ${what} is not supported by the local runner's Distributed Map (local/run/distributed-map.ts)`,
  );
}

/** The spec of one distributed Map state; refuses what the local runner does not implement. */
export function distributedMapSpec(name: string, state: StateDefinition): DistributedMapSpec {
  for (const field of UNSUPPORTED) if (state[field] !== undefined) refuse(name, field);
  const reader = state.ItemReader as
    | { Resource?: string; ReaderConfig?: { InputType?: string; MaxItems?: number }; Parameters?: unknown }
    | undefined;
  if (reader) {
    if (reader.Resource !== 'arn:aws:states:::s3:getObject') refuse(name, `ItemReader ${reader.Resource}`);
    if (reader.ReaderConfig?.InputType !== 'JSON') {
      refuse(name, `ItemReader InputType ${reader.ReaderConfig?.InputType ?? '(none)'}`);
    }
    if (state.ItemsPath !== undefined) refuse(name, 'ItemsPath together with ItemReader');
  }
  const batcher = state.ItemBatcher as { MaxItemsPerBatch?: number; [k: string]: unknown } | undefined;
  if (batcher) {
    for (const k of Object.keys(batcher)) {
      if (k !== 'MaxItemsPerBatch' && k !== 'BatchInput') refuse(name, `ItemBatcher.${k}`);
    }
    if (!Number.isInteger(batcher.MaxItemsPerBatch) || (batcher.MaxItemsPerBatch as number) < 1) {
      refuse(name, 'an ItemBatcher without a positive MaxItemsPerBatch');
    }
  }
  const { ProcessorConfig: _config, ...processor } = state.ItemProcessor as Definition & {
    ProcessorConfig?: unknown;
  };
  return {
    state: name,
    processor: processor as Definition,
    reader: reader ? (reader.ReaderConfig?.MaxItems ? { maxItems: reader.ReaderConfig.MaxItems } : {}) : null,
    maxItemsPerBatch: batcher ? (batcher.MaxItemsPerBatch as number) : null,
    maxConcurrency: typeof state.MaxConcurrency === 'number' ? state.MaxConcurrency : 0,
    toleratedFailurePercentage:
      typeof state.ToleratedFailurePercentage === 'number' ? state.ToleratedFailurePercentage : 0,
    toleratedFailureCount:
      typeof state.ToleratedFailureCount === 'number' ? state.ToleratedFailureCount : null,
  };
}

/** Fields a Map state shares with a Task state (copied to the stand-in as they are). */
const KEPT = [
  'Comment',
  'InputPath',
  'OutputPath',
  'ResultPath',
  'ResultSelector',
  'Retry',
  'Catch',
  'Next',
  'End',
] as const;

/** The longest timeout Node's setTimeout (which aws-local-stepfunctions uses) can hold, in seconds. */
export const MAX_LOCAL_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * The stand-in Task's timeout. On AWS a Map state has no timeout of its own: only the execution's
 * TimeoutSeconds bounds it (each child Task keeps its own). aws-local-stepfunctions gives a Task without
 * TimeoutSeconds 60 s, which failed a 1,000-document assembly (50 batches) with States.Timeout while its
 * batches were still writing; so the stand-in gets the execution's timeout, capped at what setTimeout
 * holds (a larger value overflows to 1 ms).
 */
export function standInTimeoutSeconds(definition: Definition): number {
  const execution = definition.TimeoutSeconds;
  return typeof execution === 'number' && execution > 0
    ? Math.min(execution, MAX_LOCAL_TIMEOUT_SECONDS)
    : MAX_LOCAL_TIMEOUT_SECONDS;
}

/**
 * A copy of `definition` in which every top-level distributed Map is a Task state calling `resource`
 * with `{ reader?, items?, batchInput? }` (paths resolved by the engine as for any Task's Parameters),
 * and the spec of each, by state name. A definition without one comes back equal.
 */
export function inlineDistributedMaps(
  definition: Definition,
  resource: string = LOCAL_DISTRIBUTED_MAP_RESOURCE,
): { definition: Definition; maps: Map<string, DistributedMapSpec> } {
  const maps = new Map<string, DistributedMapSpec>();
  const states: Record<string, StateDefinition> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (!isDistributedMap(state)) {
      states[name] = state;
      continue;
    }
    const spec = distributedMapSpec(name, state);
    maps.set(name, spec);
    const reader = state.ItemReader as { Parameters?: Json } | undefined;
    const batchInput = (state.ItemBatcher as { BatchInput?: Json } | undefined)?.BatchInput;
    const parameters: Record<string, Json> = {};
    if (reader) parameters.reader = reader.Parameters ?? {};
    else parameters['items.$'] = (state.ItemsPath as string | undefined) ?? '$';
    if (batchInput !== undefined) parameters.batchInput = batchInput;
    const task: StateDefinition = {
      Type: 'Task',
      Resource: resource,
      Parameters: parameters,
      TimeoutSeconds: standInTimeoutSeconds(definition),
    };
    for (const k of KEPT) if (state[k] !== undefined) task[k] = state[k];
    states[name] = task;
  }
  return { definition: { ...definition, States: states }, maps };
}

/** The event the stand-in Task receives (its Parameters, resolved). */
export interface DistributedMapEvent {
  reader?: { Bucket?: string; Key?: string };
  items?: unknown;
  batchInput?: unknown;
}

/** Child inputs: each item, or `{ Items, BatchInput }` batches of `maxItemsPerBatch` items. */
export function childInputs(
  items: readonly unknown[],
  maxItemsPerBatch: number | null,
  batchInput?: unknown,
): { input: unknown; items: number }[] {
  if (maxItemsPerBatch === null) return items.map((item) => ({ input: item, items: 1 }));
  const out: { input: unknown; items: number }[] = [];
  for (let i = 0; i < items.length; i += maxItemsPerBatch) {
    const batch = items.slice(i, i + maxItemsPerBatch);
    out.push({
      input: batchInput === undefined ? { Items: batch } : { Items: batch, BatchInput: batchInput },
      items: batch.length,
    });
  }
  return out;
}

/** Whether `failed` of `total` items is over the Map's tolerated failure threshold. */
export function exceedsTolerance(
  failed: number,
  total: number,
  spec: Pick<DistributedMapSpec, 'toleratedFailurePercentage' | 'toleratedFailureCount'>,
): boolean {
  if (failed === 0) return false;
  if (spec.toleratedFailureCount !== null && failed > spec.toleratedFailureCount) return true;
  return (failed / total) * 100 > spec.toleratedFailurePercentage;
}

/** The items of an ItemReader object: a JSON array (InputType JSON). */
export function parseItems(text: string | null, where: string, maxItems?: number): unknown[] {
  if (text === null) throw new StatesError('States.ItemReaderFailed', `${where}: no such object`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StatesError('States.ItemReaderFailed', `${where}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value)) throw new StatesError('States.ItemReaderFailed', `${where}: not a JSON array`);
  return maxItems ? value.slice(0, maxItems) : value;
}

export interface ChildOutcome {
  ok: boolean;
  /** The child's output, or `{ Error, Cause }` when it failed. */
  output: unknown;
}

export interface MapRunDependencies {
  /** The object's text, or null when it does not exist. */
  readObject: (bucket: string, key: string) => Promise<string | null>;
  /**
   * Runs the child workflow on one input; rejects with the child's error when it fails. When `stop`
   * aborts, the child must stop (abort its execution) and settle only once nothing of it runs.
   */
  runChild: (input: unknown, index: number, stop: AbortSignal) => Promise<unknown>;
  /** Aborting it stops the Map Run (its execution ended): it rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs `tasks` with at most `limit` in flight (0: all at once), results in order; once `stop` aborts,
 * starts no more (the results of those are left unset).
 */
async function pool<T>(
  count: number,
  limit: number,
  task: (i: number) => Promise<T>,
  stop: AbortSignal,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count && !stop.aborted) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  const width = limit > 0 ? Math.min(limit, count) : count;
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** One Map Run: read, batch, run the children, apply the failure threshold. */
export async function runDistributedMap(
  spec: DistributedMapSpec,
  event: DistributedMapEvent,
  deps: MapRunDependencies,
): Promise<unknown[]> {
  let items: unknown[];
  if (spec.reader) {
    const { Bucket, Key } = event.reader ?? {};
    if (!Bucket || !Key)
      throw new StatesError('States.ItemReaderFailed', `${spec.state}: ItemReader needs Bucket and Key`);
    items = parseItems(await deps.readObject(Bucket, Key), `s3://${Bucket}/${Key}`, spec.reader.maxItems);
  } else {
    if (!Array.isArray(event.items)) {
      throw new StatesError('States.Runtime', `${spec.state}: ItemsPath does not point to an array`);
    }
    items = event.items;
  }
  const children = childInputs(items, spec.maxItemsPerBatch, event.batchInput);
  // Stops the Map Run: its execution ended (deps.signal), or failures went over the threshold.
  const stop = new AbortController();
  const ended = () => stop.abort(deps.signal?.reason);
  if (deps.signal?.aborted) ended();
  else deps.signal?.addEventListener('abort', ended, { once: true });
  let failedItems = 0;
  let first: { Error: string; Cause: string } | undefined;
  try {
    const outcomes = await pool(
      children.length,
      spec.maxConcurrency,
      async (i): Promise<ChildOutcome> => {
        try {
          return { ok: true, output: await deps.runChild(children[i]?.input, i, stop.signal) };
        } catch (error) {
          const e = error instanceof Error ? error : new Error(String(error));
          const output = { Error: e.name, Cause: e.message };
          // A child aborted because the Map Run stopped is not one more failure.
          if (!stop.signal.aborted) {
            failedItems += children[i]?.items ?? 0;
            first ??= output;
            if (exceedsTolerance(failedItems, items.length, spec)) stop.abort(overThreshold());
          }
          return { ok: false, output };
        }
      },
      stop.signal,
    );
    if (stop.signal.aborted) throw stop.signal.reason;
    return outcomes.map((o) => o.output);
  } finally {
    deps.signal?.removeEventListener('abort', ended);
  }

  function overThreshold(): StatesError {
    return new StatesError(
      'States.ExceedToleratedFailureThreshold',
      `${spec.state}: ${failedItems} of ${items.length} item(s) failed, over the tolerated threshold; first: ${first?.Error}: ${first?.Cause}`,
    );
  }
}

/**
 * The stand-in Tasks' handlers, by state name: each runs its Map Run with `runChild(processor, input)`
 * executing the child workflow (the caller's engine, with the caller's overrides).
 */
export function distributedMapHandlers(
  maps: ReadonlyMap<string, DistributedMapSpec>,
  deps: {
    readObject: MapRunDependencies['readObject'];
    runChild: (processor: Definition, input: unknown, index: number, stop: AbortSignal) => Promise<unknown>;
    /** Aborting it stops every Map Run in progress (the execution ended). */
    signal?: AbortSignal;
  },
): Record<string, (event: unknown) => Promise<unknown[]>> {
  const handlers: Record<string, (event: unknown) => Promise<unknown[]>> = {};
  for (const [name, spec] of maps) {
    handlers[name] = (event) =>
      runDistributedMap(spec, (event ?? {}) as DistributedMapEvent, {
        readObject: deps.readObject,
        runChild: (input, index, stop) => deps.runChild(spec.processor, input, index, stop),
        signal: deps.signal,
      });
  }
  return handlers;
}
