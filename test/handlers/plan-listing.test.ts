// Issue 17: a run with no change costs a listing, not a read. Plan decides what changed from the S3
// listings (ETag and size against what the state's index recorded when each document was last found
// up to date) and reads only the documents that changed.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as prepareBatch } from '../../lambdas/prepare-batch/handler';
import { assemble, committedState, freshEnvironment, pair, plan, s3Mock } from './helpers';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT'; // the handlers' logger is created at import
});

const A =
  '# Recurrent Networks\n\nA recurrent network keeps a hidden state $h_t$.\n\nIt is trained through time.\n';
const A_ZH = '# 循环神经网络\n\n循环神经网络保留隐状态 $h_t$。\n\n它通过时间训练。\n';
const B = '# Convolutions\n\nA kernel slides over the image.\n';
const C = '# Attention\n\nQueries meet keys.\n\nValues are averaged.\n';
const noParallelData = { action: 'none', name: null, pairs: 0, csvKey: null, csvHash: null, updated: false };

let objects: Map<string, string>;
let run = 0;
beforeEach(() => {
  objects = freshEnvironment();
  run = 0;
});

function execution() {
  run++;
  return { name: `exec-${run}`, startTime: `2026-11-21T12:0${run}:00.000Z` };
}

/** One whole run through the handlers (identity "translation"); returns Plan's result. */
async function fullRun(input: unknown = {}) {
  const exec = execution();
  const planned = await plan({ input, pair, execution: exec, attempt: 0 });
  if (planned.action !== 'continue') return planned;
  const batch = await prepareBatch({ pair, plan: planned, parallelData: noParallelData });
  const output = `work/en-zh/${planned.runId}/output/123456789012-TranslateText-job-${run}/`;
  for (const [key, body] of [...objects]) {
    const m = new RegExp(`^work/en-zh/${planned.runId}/input/\\d+/(.+)$`).exec(key); // one job: input/0/
    if (m) objects.set(`${output}zh.${m[1]}`, body);
  }
  const job = {
    jobId: `job-${run}`,
    status: 'COMPLETED',
    done: true,
    partial: false,
    attempt: 1,
    waitSeconds: 0,
  };
  await assemble({
    pair,
    execution: exec,
    plan: planned,
    parallelData: noParallelData,
    batch,
    job: { ...job, outputUri: `s3://book/${output}` },
  });
  return planned;
}

/** Plan alone, counting the document bodies it reads (GetObject under source/, translated/, reference/). */
async function planCounting(input: unknown = {}) {
  s3Mock.resetHistory();
  const planned = await plan({ input, pair, execution: execution(), attempt: 0 });
  const reads = s3Mock
    .commandCalls(GetObjectCommand)
    .map((c) => c.args[0].input.Key ?? '')
    .filter((k) => /^(source|translated|reference)\//.test(k));
  const file = JSON.parse(objects.get(planned.planKey ?? '') ?? '{}');
  if (planned.action === 'continue') objects.delete('state/en-zh/run.lock'); // this test stops after Plan
  return { planned, reads, report: file.plan.report as { path: string; status: string }[] };
}

/** A book synced once, then planned once with no change (which records every document as up to date). */
async function settledBook() {
  objects.set('source/en/a.md', A);
  objects.set('reference/zh/a.md', A_ZH);
  objects.set('source/en/b.md', B);
  objects.set('source/en/c.md', C);
  await fullRun();
  return planCounting();
}

describe('Plan from the listing (issue 17)', () => {
  it('a run with no change reads no document body once the documents are recorded up to date, and reports them as before', async () => {
    const recording = await settledBook();
    expect(recording.planned.action).toBe('done');
    const noop = await planCounting();
    expect(noop.planned).toMatchObject({ action: 'done', documents: 3, charactersSent: 0 });
    expect(noop.reads).toEqual([]);
    expect(noop.report).toEqual(recording.report);
    expect(noop.report.map((r) => [r.path, r.status])).toEqual([
      ['a.md', 'unchanged'],
      ['b.md', 'unchanged'],
      ['c.md', 'unchanged'],
    ]);
    expect(Object.keys(committedState(objects).documents)).toEqual(['a.md', 'b.md', 'c.md']);
  });

  it('the first Plan after a write reads nothing: Assemble recorded what it wrote exactly as a Plan that reads would', async () => {
    objects.set('source/en/a.md', A);
    objects.set('reference/zh/a.md', A_ZH);
    objects.set('source/en/b.md', B);
    objects.set('source/en/c.md', C);
    await fullRun();
    const INDEX = 'state/en-zh/sync-state.json';
    const recorded = JSON.parse(objects.get(INDEX) ?? '{}').documents;
    const first = await planCounting();
    expect(first.planned).toMatchObject({ action: 'done', documents: 3, charactersSent: 0 });
    expect(first.reads).toEqual([]);
    // Forget the records: a Plan that reads and plans every document finds and records the same.
    const index = JSON.parse(objects.get(INDEX) ?? '{}');
    for (const entry of Object.values(index.documents) as { settled?: unknown }[]) delete entry.settled;
    objects.set(INDEX, JSON.stringify(index));
    const reading = await planCounting();
    expect(reading.reads.filter((k) => k.startsWith('source/')).sort()).toEqual([
      'source/en/a.md',
      'source/en/b.md',
      'source/en/c.md',
    ]);
    expect(reading.report).toEqual(first.report);
    expect(JSON.parse(objects.get(INDEX) ?? '{}').documents).toEqual(recorded);
  });

  it.each([
    [
      'an English edit',
      () => objects.set('source/en/b.md', B.replace('slides', 'moves')),
      ['source/en/b.md', 'translated/zh/b.md'],
      'translated',
    ],
    [
      'a new reference text',
      () => objects.set('reference/zh/a.md', A_ZH.replace('它', '网络')),
      ['source/en/a.md', 'translated/zh/a.md', 'reference/zh/a.md'],
      'translated',
    ],
    [
      'a post-edit in translated/',
      () =>
        objects.set(
          'translated/zh/c.md',
          objects.get('translated/zh/c.md')?.replace('Queries', 'Queries (edited)') ?? '',
        ),
      ['source/en/c.md', 'translated/zh/c.md'],
      'unchanged',
    ],
    [
      'a translated file deleted',
      () => objects.delete('translated/zh/c.md'),
      ['source/en/c.md'],
      'translated',
    ],
  ] as const)('reads and plans only the document that changed: %s', async (_name, change, reads, status) => {
    await settledBook();
    change();
    const after = await planCounting();
    expect(after.reads.sort()).toEqual([...reads].sort());
    const path = reads[0].split('/').pop();
    expect(after.report.find((r) => r.path === path)?.status).toBe(status);
    expect(after.report.filter((r) => r.path !== path).map((r) => r.status)).toEqual([
      'unchanged',
      'unchanged',
    ]);
  });

  it('reports a deleted English document as orphaned and a renamed one as new, reading only the new name', async () => {
    await settledBook();
    objects.delete('source/en/b.md');
    objects.set('source/en/b2.md', B);
    const after = await planCounting();
    expect(after.reads).toEqual(['source/en/b2.md']);
    expect(after.report.map((r) => [r.path, r.status])).toEqual([
      ['a.md', 'unchanged'],
      ['b2.md', 'translated'],
      ['c.md', 'unchanged'],
      ['b.md', 'orphaned'],
    ]);
  });

  it('reads every selected document when forced, and the documents the input names', async () => {
    await settledBook();
    expect((await planCounting({ documents: ['b.md'] })).reads).toEqual([
      'source/en/b.md',
      'translated/zh/b.md',
    ]);
    const forced = await planCounting({ force: true });
    expect(forced.reads.filter((k) => k.startsWith('source/')).sort()).toEqual([
      'source/en/a.md',
      'source/en/b.md',
      'source/en/c.md',
    ]);
  });

  it('a dry run records nothing in the sync state', async () => {
    objects.set('source/en/b.md', B);
    await fullRun();
    const index = objects.get('state/en-zh/sync-state.json');
    await planCounting({ dryRun: true });
    expect(objects.get('state/en-zh/sync-state.json')).toBe(index);
  });
});
