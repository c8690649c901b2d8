import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  childInputs,
  type Definition,
  distributedMapHandlers,
  distributedMapSpec,
  exceedsTolerance,
  inlineDistributedMaps,
  LOCAL_DISTRIBUTED_MAP_RESOURCE,
  MAX_LOCAL_TIMEOUT_SECONDS,
  parseItems,
  runDistributedMap,
} from '../../local/run/distributed-map';

const processor = {
  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
  StartAt: 'Work',
  States: {
    Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:work', End: true },
  },
};

/** A workflow with one distributed Map reading `items/<run>.json` in batches of 2. */
function workflow(overrides: Record<string, unknown> = {}): Definition {
  return {
    StartAt: 'Fan Out',
    States: {
      'Fan Out': {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: 'book', 'Key.$': '$.itemsKey' },
        },
        ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'run.$': '$.run' } },
        MaxConcurrency: 2,
        ItemProcessor: processor,
        ResultPath: '$.fanOut',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
        Next: 'Done',
        ...overrides,
      },
      Done: { Type: 'Succeed' },
      Failed: { Type: 'Pass', End: true },
    },
  };
}

/** Runs `def` (distributed maps inline) with `work` as the child Task and `objects` as the bucket. */
async function run(
  def: Definition,
  objects: Record<string, string>,
  work: (input: unknown) => Promise<unknown>,
) {
  const { definition, maps } = inlineDistributedMaps(def);
  const work_ = { Work: work };
  const overrides = { taskResourceLocalHandlers: work_ as never };
  const handlers = distributedMapHandlers(maps, {
    readObject: async (bucket, key) => objects[`${bucket}/${key}`] ?? null,
    runChild: async (child, input) => {
      const execution = new StateMachine(child as never, { validationOptions: { noValidate: true } }).run(
        input as never,
        { overrides },
      );
      return execution.result.catch((e: unknown) => {
        throw e instanceof ExecutionError ? e.cause : e;
      });
    },
  });
  const machine = new StateMachine(definition as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const execution = machine.run({ itemsKey: 'items/r1.json', run: 'r1' } as never, {
    overrides: { taskResourceLocalHandlers: { ...work_, ...handlers } as never },
  });
  return (await execution.result) as Record<string, unknown>;
}

const named = (name: string) => Object.assign(new Error(`${name} happened`), { name });

describe('the local Distributed Map: a distributed Map state runs inline over the items it reads', () => {
  it('replaces each distributed Map by a Task of the same name that keeps its Next, Catch and ResultPath', () => {
    const { definition, maps } = inlineDistributedMaps(workflow());
    expect(definition.States['Fan Out']).toEqual({
      Type: 'Task',
      Resource: LOCAL_DISTRIBUTED_MAP_RESOURCE,
      Parameters: {
        reader: { Bucket: 'book', 'Key.$': '$.itemsKey' },
        batchInput: { 'run.$': '$.run' },
      },
      ResultPath: '$.fanOut',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
      Next: 'Done',
      TimeoutSeconds: MAX_LOCAL_TIMEOUT_SECONDS,
    });
    expect(maps.get('Fan Out')).toMatchObject({ maxItemsPerBatch: 2, maxConcurrency: 2, reader: {} });
    expect(maps.get('Fan Out')?.processor).toEqual({ StartAt: 'Work', States: processor.States });
  });

  it.each([
    ['the execution timeout when the definition has one', 518_400, 518_400],
    [
      'the longest setTimeout holds when the execution timeout is larger',
      99_999_999,
      MAX_LOCAL_TIMEOUT_SECONDS,
    ],
    ['the longest setTimeout holds when the definition has none', undefined, MAX_LOCAL_TIMEOUT_SECONDS],
  ])(
    "bounds the stand-in Task only by %s, never by aws-local-stepfunctions' 60 s Task default",
    (_case, executionTimeout, expected) => {
      const def = {
        ...workflow(),
        ...(executionTimeout === undefined ? {} : { TimeoutSeconds: executionTimeout }),
      };
      const { definition } = inlineDistributedMaps(def);
      expect(definition.States['Fan Out']?.TimeoutSeconds).toBe(expected);
      expect(expected).toBeGreaterThan(60);
    },
  );

  it('leaves a definition without a distributed Map as it is (inline Maps included)', () => {
    const inline: Definition = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.xs',
          ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'INLINE' } },
          End: true,
        },
      },
    };
    const { definition, maps } = inlineDistributedMaps(inline);
    expect(definition).toEqual(inline);
    expect(maps.size).toBe(0);
  });

  it.each([
    ['ItemSelector', { ItemSelector: { 'x.$': '$$.Map.Item.Value' } }],
    ['ResultWriter', { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: {} } }],
    [
      'ItemReader InputType CSV',
      { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV' } } },
    ],
    [
      'ItemReader arn:aws:states:::s3:listObjectsV2',
      { ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2' } },
    ],
    [
      'ItemBatcher.MaxInputBytesPerBatch',
      { ItemBatcher: { MaxItemsPerBatch: 2, MaxInputBytesPerBatch: 1024 } },
    ],
    ['MaxConcurrencyPath', { MaxConcurrencyPath: '$.n' }],
  ])('refuses what it does not implement, by name: %s', (what, overrides) => {
    expect(() => distributedMapSpec('Fan Out', workflow(overrides).States['Fan Out'] as never)).toThrow(
      expect.objectContaining({ name: 'UnsupportedDistributedMap', message: expect.stringContaining(what) }),
    );
  });

  it.each([
    [5, 2, [2, 2, 1]],
    [4, 2, [2, 2]],
    [1, 25, [1]],
    [0, 25, []],
  ])('batches %i item(s) by %i: batch sizes %j', (n, per, sizes) => {
    const items = Array.from({ length: n }, (_, i) => ({ i }));
    const batches = childInputs(items, per, { run: 'r1' });
    expect(batches.map((b) => b.items)).toEqual(sizes);
    expect(batches[0]?.input ?? null).toEqual(
      n === 0 ? null : { Items: items.slice(0, per), BatchInput: { run: 'r1' } },
    );
  });

  it('gives every item to exactly one child, in order (any count, any batch size)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 60 }),
        fc.option(fc.integer({ min: 1, max: 9 })),
        (items, per) => {
          const batches = childInputs(items, per);
          const flat = batches.flatMap((b) =>
            per === null ? [b.input] : (b.input as { Items: unknown[] }).Items,
          );
          expect(flat).toEqual(items);
          for (const b of batches) expect(b.items).toBeLessThanOrEqual(per ?? 1);
        },
      ),
    );
  });

  it.each([
    [0, 10, 0, null, false],
    [1, 10, 0, null, true],
    [1, 10, 10, null, false],
    [2, 10, 10, null, true],
    [5, 10, 100, null, false],
    [1, 10, 100, 0, true],
    [3, 10, 50, 3, false],
    [4, 10, 50, 3, true],
  ])(
    '%i failed of %i items, tolerated %i %% / count %s: exceeded = %s',
    (failed, total, percentage, count, exceeded) => {
      expect(
        exceedsTolerance(failed, total, {
          toleratedFailurePercentage: percentage,
          toleratedFailureCount: count,
        }),
      ).toBe(exceeded);
    },
  );

  it.each([
    [null, 'no such object'],
    ['{"items": []}', 'not a JSON array'],
    ['[1, 2', 'not JSON'],
  ])('fails with States.ItemReaderFailed when the item object is %j', (text, why) => {
    expect(() => parseItems(text, 's3://book/items.json')).toThrow(
      expect.objectContaining({ name: 'States.ItemReaderFailed', message: expect.stringContaining(why) }),
    );
  });

  it('honours ReaderConfig.MaxItems', () => {
    expect(parseItems('[1,2,3]', 'x', 2)).toEqual([1, 2]);
  });

  it('runs the child workflow per batch through the engine, BatchInput resolved against the Map input', async () => {
    const objects = { 'book/items/r1.json': JSON.stringify([{ p: 'a' }, { p: 'b' }, { p: 'c' }]) };
    const seen: unknown[] = [];
    const out = await run(workflow(), objects, async (input) => {
      seen.push(input);
      return { n: (input as { Items: unknown[] }).Items.length };
    });
    expect(seen).toEqual([
      { Items: [{ p: 'a' }, { p: 'b' }], BatchInput: { run: 'r1' } },
      { Items: [{ p: 'c' }], BatchInput: { run: 'r1' } },
    ]);
    expect(out.fanOut).toEqual([{ n: 2 }, { n: 1 }]);
  });

  it('never runs more children at once than MaxConcurrency', async () => {
    const items = Array.from({ length: 9 }, (_, i) => i);
    let running = 0;
    let peak = 0;
    await runDistributedMap(
      {
        ...distributedMapSpec(
          'M',
          workflow({ MaxConcurrency: 3, ItemBatcher: undefined }).States['Fan Out'] as never,
        ),
      },
      { reader: { Bucket: 'b', Key: 'k' } },
      {
        readObject: async () => JSON.stringify(items),
        runChild: async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setImmediate(r));
          running--;
          return null;
        },
      },
    );
    expect(peak).toBe(3);
  });

  it('tolerates failed batches under the threshold: the Map succeeds, a failed child gives { Error, Cause }', async () => {
    const objects = { 'book/items/r1.json': JSON.stringify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) };
    const out = await run(workflow({ ToleratedFailurePercentage: 20 }), objects, async (input) => {
      if ((input as { Items: number[] }).Items.includes(3)) throw named('ChapterBroken');
      return 'ok';
    });
    expect(out.fanOut).toEqual([
      'ok',
      { Error: 'ChapterBroken', Cause: 'ChapterBroken happened' },
      'ok',
      'ok',
      'ok',
    ]);
  });

  it('fails with States.ExceedToleratedFailureThreshold over it (default 0: one failure), caught by the Catch', async () => {
    const objects = { 'book/items/r1.json': JSON.stringify([1, 2, 3]) };
    const out = await run(workflow(), objects, async (input) => {
      if ((input as { Items: number[] }).Items.includes(3)) throw named('ChapterBroken');
      return 'ok';
    });
    expect(out.fanOut).toBeUndefined();
    expect(out.error).toMatchObject({ Error: 'States.ExceedToleratedFailureThreshold' });
    expect((out.error as { Cause: string }).Cause).toMatch(/1 of 3 item\(s\) failed.*ChapterBroken/);
  });

  it('fails with States.ItemReaderFailed when the item object is missing', async () => {
    const out = await run(workflow(), {}, async () => 'ok');
    expect(out.error).toMatchObject({ Error: 'States.ItemReaderFailed' });
  });

  it('iterates over ItemsPath when there is no ItemReader, and over no item at all', async () => {
    const def = workflow({ ItemReader: undefined, ItemsPath: '$.list', ItemBatcher: undefined });
    const { maps } = inlineDistributedMaps(def);
    const spec = maps.get('Fan Out');
    if (!spec) throw new Error('no spec');
    const runChild = async (x: unknown) => x;
    const readObject = async () => null;
    expect(await runDistributedMap(spec, { items: [1, 2] }, { readObject, runChild })).toEqual([1, 2]);
    expect(await runDistributedMap(spec, { items: [] }, { readObject, runChild })).toEqual([]);
    await expect(runDistributedMap(spec, { items: 'x' }, { readObject, runChild })).rejects.toThrow(/array/);
  });
});

describe('the local Distributed Map stops as a failed Map Run does: no child starts after, running ones are aborted', () => {
  /** A spec over `n` single items, `MaxConcurrency` 2, no failure tolerated. */
  const spec = () =>
    distributedMapSpec(
      'M',
      workflow({ ItemReader: undefined, ItemBatcher: undefined }).States['Fan Out'] as never,
    );
  const items = [0, 1, 2, 3, 4, 5];
  const readObject = async () => null;

  /** A child that runs until its Map Run stops it, then settles (its `log` entry last). */
  const untilStopped = (log: string[], i: number, stop: AbortSignal) =>
    new Promise((resolve) => {
      const done = () => {
        log.push(`child ${i} stopped`);
        resolve(`child ${i}`);
      };
      if (stop.aborted) done();
      else stop.addEventListener('abort', done, { once: true });
    });

  it('fails at the first failure over the threshold, aborts the running child and waits for it', async () => {
    const log: string[] = [];
    const outcome = runDistributedMap(
      spec(),
      { items },
      {
        readObject,
        runChild: async (_input, i, stop) => {
          log.push(`child ${i} started`);
          if (i === 1) throw named('ChapterBroken');
          return untilStopped(log, i, stop);
        },
      },
    ).then(
      () => log.push('map succeeded'),
      (e: Error) => log.push(`map failed: ${e.name}`),
    );
    await outcome;

    expect(log).toEqual([
      'child 0 started',
      'child 1 started',
      'child 0 stopped',
      'map failed: States.ExceedToleratedFailureThreshold',
    ]);
  });

  it('stops when its execution ends: no child starts after, the Map Run rejects with the reason', async () => {
    const log: string[] = [];
    const execution = new AbortController();
    const outcome = runDistributedMap(
      spec(),
      { items },
      {
        readObject,
        signal: execution.signal,
        runChild: async (_input, i, stop) => {
          log.push(`child ${i} started`);
          if (i === 1) execution.abort(named('ExecutionEnded'));
          return untilStopped(log, i, stop);
        },
      },
    ).catch((e: Error) => log.push(`map failed: ${e.name}`));
    await outcome;

    expect(log).toEqual([
      'child 0 started',
      'child 1 started',
      'child 0 stopped',
      'child 1 stopped',
      'map failed: ExecutionEnded',
    ]);
  });

  it('starts no child at all when its execution has already ended', async () => {
    const started: number[] = [];
    const execution = new AbortController();
    execution.abort(named('ExecutionEnded'));
    await expect(
      runDistributedMap(
        spec(),
        { items },
        {
          readObject,
          signal: execution.signal,
          runChild: async (_input, i) => started.push(i),
        },
      ),
    ).rejects.toThrow(expect.objectContaining({ name: 'ExecutionEnded' }));
    expect(started).toEqual([]);
  });
});
