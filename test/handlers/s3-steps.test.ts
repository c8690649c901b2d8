import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParallelDataCommand } from '@aws-sdk/client-translate';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as buildParallelData } from '../../lambdas/build-parallel-data/handler';
import { runPlanOf } from '../../lambdas/core/sync/plan';
import { parseExecutionInput } from '../../lambdas/core/workflow/input';
import { handler as prepareBatch } from '../../lambdas/prepare-batch/handler';
import { handler as recordFailure } from '../../lambdas/record-failure/handler';
import {
  awsError,
  execution,
  freshEnvironment,
  pair,
  plan,
  RUN_ID,
  s3Mock,
  snsMock,
  translateMock,
} from './helpers';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT'; // the handlers' logger is created at import
});

const SOURCE =
  '# Recurrent Networks\n\nA recurrent network keeps a hidden state $h_t$.\n\n```python\nprint(1)\n```\n\nIt is trained with backpropagation through time.\n';
const REFERENCE =
  '# 循环神经网络\n\n循环神经网络保留隐状态 $h_t$。\n\n```python\nprint(1)\n```\n\n它通过时间反向传播来训练。\n';

let objects: Map<string, string>;
beforeEach(() => {
  objects = freshEnvironment();
});

const planEvent = (input: unknown, attempt = 0) => ({ input, pair, execution, attempt });

describe('Plan handler', () => {
  it('rejects invalid input before touching S3 (no lock taken)', async () => {
    await expect(plan(planEvent({ mode: 'fast' }))).rejects.toMatchObject({ name: 'InvalidInputError' });
    await expect(plan(planEvent({ documents: ['x.md'], extra: true }))).rejects.toThrow(/extra/);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('rejects a malformed state-machine event', async () => {
    await expect(
      plan({ input: {}, pair: { source: 'english', target: 'zh' }, execution, attempt: 0 }),
    ).rejects.toMatchObject({
      name: 'InvalidInputError',
    });
  });

  it('asks the state machine to wait (with backoff) while an earlier run holds the pair lock', async () => {
    objects.set(
      'state/en-zh/run.lock',
      JSON.stringify({ runId: 'earlier', acquiredAt: new Date().toISOString() }),
    );
    await expect(plan(planEvent({}, 3))).resolves.toMatchObject({
      action: 'wait',
      attempt: 4,
      waitSeconds: 480,
    });
    expect(JSON.parse(objects.get('state/en-zh/run.lock') ?? '{}').runId).toBe('earlier');
  });

  it('rejects a requested document that does not exist, and releases the lock', async () => {
    objects.set('source/en/a.md', SOURCE);
    await expect(plan(planEvent({ documents: ['missing.md'] }))).rejects.toThrow(
      /"missing.md" not found under source/,
    );
    expect(objects.has('state/en-zh/run.lock')).toBe(false);
  });

  it('names at most ten of 5,000 missing documents and counts the rest (the error stays short)', async () => {
    objects.set('source/en/a.md', SOURCE);
    const documents = Array.from({ length: 5000 }, (_, i) => `chapter_${i}/missing-${i}.md`);
    const error = await plan(planEvent({ documents })).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'InvalidInputError' });
    const message = (error as Error).message;
    expect(message).toMatch(
      /5000 documents "chapter_0\/missing-0.md", .* … and 4,990 more not found under source/,
    );
    expect(message.length).toBeLessThan(1000);
  });

  it('fails a 30 MB chapter and a binary one alone, before parsing, and plans the others', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    objects.set('source/en/ch/huge.md', `# Huge\n\n${'word '.repeat(6 * 1024 * 1024)}`);
    objects.set('source/en/ch/binary.md', '\u0000PNG');
    const out = await plan(planEvent({}));
    expect(out).toMatchObject({ action: 'continue', documents: 1, machineDocuments: 1 });
    const file = JSON.parse(objects.get(`work/en-zh/${RUN_ID}/plan.json`) ?? '{}');
    expect(file.plan.documents.map((d: { path: string }) => d.path)).toEqual(['ch/rnn.md']);
    expect(file.failed).toEqual([
      {
        path: 'ch/binary.md',
        error: expect.stringMatching(/^EncodingError: source\/en\/ch\/binary\.md:1:1: NUL byte/),
      },
      {
        path: 'ch/huge.md',
        error: expect.stringMatching(
          /^DocumentTooLargeError: source\/en\/ch\/huge\.md: the Markdown is 31457288 bytes/,
        ),
      },
    ]);
    expect(file.plan.report.filter((d: { status: string }) => d.status === 'failed')).toHaveLength(2);
  });

  it('plans the documents, stores plan.json and keeps the lock for the rest of the run', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    const out = await plan(planEvent({}));
    expect(out).toMatchObject({
      action: 'continue',
      runId: RUN_ID,
      planKey: `work/en-zh/${RUN_ID}/plan.json`,
      documents: 1,
      machineDocuments: 1,
    });
    expect(out.charactersSent).toBeGreaterThan(50);
    const file = JSON.parse(objects.get(`work/en-zh/${RUN_ID}/plan.json`) ?? '{}');
    expect(file).toMatchObject({ version: 1, runId: RUN_ID, stateEtag: null });
    expect(file.snapshots['ch/rnn.md'].source).toBe(SOURCE);
    expect(JSON.parse(objects.get('state/en-zh/run.lock') ?? '{}').runId).toBe(RUN_ID);
    expect(JSON.stringify(out).length).toBeLessThan(1000); // keys and counts only
  });

  it('force: re-plans every document from scratch, even one whose translation exists', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    objects.set('translated/zh/ch/rnn.md', REFERENCE);
    await plan(planEvent({ force: true }));
    const file = JSON.parse(objects.get(`work/en-zh/${RUN_ID}/plan.json`) ?? '{}');
    expect(file.plan.documents[0]).toMatchObject({ path: 'ch/rnn.md', status: 'translate', forced: true });
    expect(file.plan.documents[0].machineUnitIds.length).toBeGreaterThan(0);
  });

  it('dry run: writes a report with the characters and cost, releases the lock, starts nothing', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    const out = await plan(planEvent({ dryRun: true }));
    expect(out).toMatchObject({ action: 'done', reportKey: `reports/en-zh/${RUN_ID}.json` });
    const report = JSON.parse(objects.get(`reports/en-zh/${RUN_ID}.json`) ?? '{}');
    expect(report).toMatchObject({ dryRun: true, status: 'SUCCEEDED', job: null });
    expect(report.charactersSent).toBeGreaterThan(0);
    expect(report.estimatedCostUsd).toBeGreaterThan(0);
    expect(objects.has(`reports/en-zh/${RUN_ID}.md`)).toBe(true);
    expect(objects.has('state/en-zh/run.lock')).toBe(false);
    const sent = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.MessageAttributes?.outcome?.StringValue).toBe('DRY_RUN');
  });

  it('nothing to do when there is no English document: done, lock released, one NOTHING_TO_DO message', async () => {
    await expect(plan(planEvent({}))).resolves.toMatchObject({ action: 'done', documents: 0 });
    expect(objects.has('state/en-zh/run.lock')).toBe(false);
    expect(
      snsMock.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes?.outcome?.StringValue,
    ).toBe('NOTHING_TO_DO');
  });

  it('accepts the Pipe batch of SQS messages as input', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    const body = JSON.stringify({
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { bucket: { name: 'book' }, object: { key: 'source/en/ch/rnn.md' } },
    });
    await expect(plan(planEvent([{ messageId: '1', body }]))).resolves.toMatchObject({ action: 'continue' });
    const file = JSON.parse(objects.get(`work/en-zh/${RUN_ID}/plan.json`) ?? '{}');
    expect(file.request).toMatchObject({ trigger: 's3-events', changedDocuments: ['ch/rnn.md'] });
  });
});

describe('Build Parallel Data handler', () => {
  const event = {
    pair,
    plan: { action: 'continue', attempt: 0, waitSeconds: 0, runId: RUN_ID, planKey: 'k' },
  };
  // A plan with no document to translate (what Build Parallel Data reads of it: the stale units).
  const planFile = (staleReferenceUnits: Record<string, string[]>) =>
    JSON.stringify({
      version: 1,
      runId: RUN_ID,
      pair,
      startedAt: execution.startTime,
      request: parseExecutionInput({}, pair),
      stateEtag: null,
      plan: runPlanOf('en-zh', [], { sourcePaths: [], statePaths: [] }),
      snapshots: {},
      staleReferenceUnits,
    });
  beforeEach(() => {
    objects.set('k', planFile({}));
  });

  it('leaves out the pairs of units the plan found stale (new English, old human text)', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    objects.set('reference/zh/ch/rnn.md', REFERENCE);
    translateMock.on(GetParallelDataCommand).rejects(awsError('ResourceNotFoundException'));
    await buildParallelData(event);
    const all = objects.get('parallel-data/en-zh/parallel-data.csv') ?? '';
    expect(all).toContain('backpropagation through time');
    objects.set('k', planFile({ 'ch/rnn.md': ['It is trained with backpropagation through time.'] }));
    await buildParallelData(event);
    const csv = objects.get('parallel-data/en-zh/parallel-data.csv') ?? '';
    expect(csv).not.toContain('backpropagation through time');
    expect(csv).toContain('hidden state');
    expect(JSON.parse(objects.get(`work/en-zh/${RUN_ID}/parallel-data.json`) ?? '{}')).toMatchObject({
      staleLeftOut: 1,
    });
  });

  it('pairs the English a reference was translated from (<name>_origin.md) instead of the current English', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE.replace('It is trained', 'Today it is trained'));
    objects.set('reference/zh/ch/rnn.md', REFERENCE);
    objects.set('reference/zh/ch/rnn_origin.md', SOURCE);
    translateMock.on(GetParallelDataCommand).rejects(awsError('ResourceNotFoundException'));
    await buildParallelData(event);
    const csv = objects.get('parallel-data/en-zh/parallel-data.csv') ?? '';
    expect(csv).toContain('It is trained with backpropagation through time.');
    expect(csv).not.toContain('Today');
    expect(csv).not.toContain('rnn_origin');
  });

  describe('aligned pairs cached per document (issue 17)', () => {
    const OTHER_EN = '# Convolutions\n\nA kernel slides over the image.\n';
    const OTHER_ZH = '# 卷积\n\n卷积核在图像上滑动。\n';
    const report = () => JSON.parse(objects.get(`work/en-zh/${RUN_ID}/parallel-data.json`) ?? '{}');
    const bodiesRead = () =>
      s3Mock
        .commandCalls(GetObjectCommand)
        .map((c) => c.args[0].input.Key ?? '')
        .filter((k) => /^(source|reference)\//.test(k));
    beforeEach(() => {
      objects.set('source/en/ch/rnn.md', SOURCE);
      objects.set('reference/zh/ch/rnn.md', REFERENCE);
      objects.set('source/en/ch/cnn.md', OTHER_EN);
      objects.set('reference/zh/ch/cnn.md', OTHER_ZH);
      translateMock.on(GetParallelDataCommand).rejects(awsError('ResourceNotFoundException'));
    });

    it.each([
      ['nothing changed', (): void => undefined, []],
      [
        'one English document edited',
        (): void => {
          objects.set('source/en/ch/cnn.md', OTHER_EN.replace('slides', 'moves'));
        },
        ['ch/cnn.md'],
      ],
      [
        'one reference edited',
        (): void => {
          objects.set('reference/zh/ch/rnn.md', REFERENCE.replace('训练', '训练的'));
        },
        ['ch/rnn.md'],
      ],
      [
        'an origin file added',
        (): void => {
          objects.set('reference/zh/ch/rnn_origin.md', SOURCE);
        },
        ['ch/rnn.md'],
      ],
    ] as const)('a second run re-aligns only what changed: %s', async (_name, change, realigned) => {
      await buildParallelData(event);
      expect(report().realigned).toEqual(['ch/cnn.md', 'ch/rnn.md']);
      const first = objects.get('parallel-data/en-zh/parallel-data.csv');
      change();
      s3Mock.resetHistory();
      await buildParallelData(event);
      expect(report().realigned).toEqual(realigned);
      expect(bodiesRead().length).toBe(realigned.length === 0 ? 0 : 2);
      const csv = objects.get('parallel-data/en-zh/parallel-data.csv');
      if (realigned.length === 0) expect(csv).toBe(first);
    });

    it('writes the same CSV from the cache as from a fresh alignment', async () => {
      await buildParallelData(event);
      objects.set('source/en/ch/cnn.md', OTHER_EN.replace('slides', 'moves'));
      await buildParallelData(event);
      const cached = objects.get('parallel-data/en-zh/parallel-data.csv');
      for (const key of [...objects.keys()])
        if (key.startsWith('parallel-data/en-zh/pairs/')) objects.delete(key);
      await buildParallelData(event);
      expect(report().realigned).toEqual(['ch/cnn.md', 'ch/rnn.md']);
      expect(objects.get('parallel-data/en-zh/parallel-data.csv')).toBe(cached);
      expect(cached).toContain('A kernel moves over the image.');
    });

    it('re-aligns a document whose cache entry is not one (corrupt, or of another document)', async () => {
      await buildParallelData(event);
      const key = [...objects.keys()].find((k) => k.startsWith('parallel-data/en-zh/pairs/')) ?? '';
      objects.set(key, '{"version":1,"path":"elsewhere.md"}');
      await buildParallelData(event);
      expect(report().realigned).toHaveLength(1);
    });
  });

  it('has no parallel data when no document has a reference', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    await expect(buildParallelData(event)).resolves.toMatchObject({ action: 'none', name: null, pairs: 0 });
    expect(translateMock.calls()).toHaveLength(0);
  });

  it('builds nothing when the deployment turned parallel data off (a region without Active Custom Translation)', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    objects.set('reference/zh/ch/rnn.md', REFERENCE);
    vi.stubEnv('AMTS_PARALLEL_DATA', 'off');
    await expect(buildParallelData(event)).resolves.toMatchObject({ action: 'none', name: null, pairs: 0 });
    expect(translateMock.calls()).toHaveLength(0);
    expect(objects.has('parallel-data/en-zh/parallel-data.csv')).toBe(false);
  });

  it('writes the CSV and asks for an update when the resource does not exist', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    objects.set('reference/zh/ch/rnn.md', REFERENCE);
    translateMock.on(GetParallelDataCommand).rejects(awsError('ResourceNotFoundException'));
    const out = await buildParallelData(event);
    expect(out).toMatchObject({
      action: 'update',
      name: 'amts-en-zh',
      csvKey: 'parallel-data/en-zh/parallel-data.csv',
    });
    expect(out.pairs).toBeGreaterThan(0);
    expect(objects.get('parallel-data/en-zh/parallel-data.csv')).toMatch(/^en,zh\n/);
  });

  it('skips the update when the ACTIVE resource already holds this CSV (hash in its description)', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    objects.set('reference/zh/ch/rnn.md', REFERENCE);
    translateMock.on(GetParallelDataCommand).rejects(awsError('ResourceNotFoundException'));
    const first = await buildParallelData(event);
    objects.delete('parallel-data/en-zh/parallel-data.csv');
    translateMock.on(GetParallelDataCommand).resolves({
      ParallelDataProperties: { Status: 'ACTIVE', Description: `AMTS parallel data sha256=${first.csvHash}` },
    });
    await expect(buildParallelData(event)).resolves.toMatchObject({
      action: 'unchanged',
      csvHash: first.csvHash,
    });
    expect(objects.has('parallel-data/en-zh/parallel-data.csv')).toBe(false); // not rewritten
  });

  it('updates again after a FAILED update attempt even with the same CSV', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    objects.set('reference/zh/ch/rnn.md', REFERENCE);
    translateMock.on(GetParallelDataCommand).rejects(awsError('ResourceNotFoundException'));
    const first = await buildParallelData(event);
    translateMock.on(GetParallelDataCommand).resolves({
      ParallelDataProperties: {
        Status: 'ACTIVE',
        LatestUpdateAttemptStatus: 'FAILED',
        Description: `AMTS parallel data sha256=${first.csvHash}`,
      },
    });
    await expect(buildParallelData(event)).resolves.toMatchObject({ action: 'update' });
  });

  it('skips a reference that is not UTF-8 (and says so) instead of failing the run', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    objects.set('reference/zh/ch/rnn.md', 'placeholder');
    const bad = new Uint8Array([0x23, 0x20, 0xc3, 0x28]); // "# " + an invalid UTF-8 sequence
    s3Mock.on(GetObjectCommand, { Key: 'reference/zh/ch/rnn.md' }).resolves({
      Body: { transformToByteArray: async () => bad } as never,
    });
    await expect(buildParallelData(event)).resolves.toMatchObject({ action: 'none' });
    const summary = JSON.parse(objects.get(`work/en-zh/${RUN_ID}/parallel-data.json`) ?? '{}');
    expect(summary.skipped).toEqual([expect.objectContaining({ path: 'ch/rnn.md' })]);
  });
});

describe('Prepare Batch handler', () => {
  it('writes one HTML file per document with machine units, and a manifest; keys and counts only', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    const planned = await plan(planEvent({}));
    const pd = { action: 'none', name: null, pairs: 0, csvKey: null, csvHash: null, updated: false };
    const out = await prepareBatch({ pair, plan: planned, parallelData: pd });
    expect(out).toMatchObject({
      needsJob: true,
      documents: 1,
      inputUri: `s3://book/work/en-zh/${RUN_ID}/input/`,
      outputUri: `s3://book/work/en-zh/${RUN_ID}/output/`,
    });
    const html = objects.get(`work/en-zh/${RUN_ID}/input/0/0001-ch-rnn.html`) ?? ''; // one job: part 0
    expect(html).toContain('<html');
    expect(html).toContain('translate="no"');
    expect(html).not.toContain('print(1)'); // code is not sent
    expect(JSON.parse(objects.get(`work/en-zh/${RUN_ID}/batch.json`) ?? '{}').documents).toEqual([
      expect.objectContaining({ path: 'ch/rnn.md', file: '0001-ch-rnn.html' }),
    ]);
  });

  it('refuses a plan file of another run', async () => {
    objects.set('source/en/ch/rnn.md', SOURCE);
    const planned = await plan(planEvent({}));
    const pd = { action: 'none', name: null, pairs: 0, csvKey: null, csvHash: null, updated: false };
    await expect(
      prepareBatch({ pair, plan: { ...planned, runId: 'other' }, parallelData: pd }),
    ).rejects.toThrow(/plan of run/);
  });
});

describe('Record Failure handler', () => {
  const failure = (
    error: { Error: string; Cause?: string },
    planState: Record<string, unknown> = { attempt: 0 },
  ) => ({
    pair,
    execution,
    plan: planState,
    parallelData: null,
    batch: null,
    job: null,
    error,
  });

  it('writes a FAILED report with the error name and message, and notifies', async () => {
    const cause = JSON.stringify({
      errorType: 'TranslationJobFailedError',
      errorMessage: 'job j FAILED: bad',
    });
    const out = await recordFailure(failure({ Error: 'TranslationJobFailedError', Cause: cause }));
    expect(out).toEqual({ reportKey: `reports/en-zh/${RUN_ID}.json` });
    const report = JSON.parse(objects.get(out.reportKey) ?? '{}');
    expect(report).toMatchObject({
      status: 'FAILED',
      error: { name: 'TranslationJobFailedError', message: 'job j FAILED: bad' },
    });
    expect(snsMock.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toBe(
      'AMTS en-zh FAILED: TranslationJobFailedError',
    );
  });

  it('releases the lock this run holds, never another run’s', async () => {
    objects.set(
      'state/en-zh/run.lock',
      JSON.stringify({ runId: RUN_ID, acquiredAt: new Date().toISOString() }),
    );
    await recordFailure(failure({ Error: 'EncodingError', Cause: 'bad bytes' }, { runId: RUN_ID }));
    expect(objects.has('state/en-zh/run.lock')).toBe(false);
    objects.set(
      'state/en-zh/run.lock',
      JSON.stringify({ runId: 'other', acquiredAt: new Date().toISOString() }),
    );
    await recordFailure(failure({ Error: 'EncodingError', Cause: 'bad bytes' }, { runId: RUN_ID }));
    expect(objects.has('state/en-zh/run.lock')).toBe(true);
  });

  it('rejects an event without the error', async () => {
    await expect(recordFailure({ pair, execution, plan: {} })).rejects.toMatchObject({
      name: 'InvalidInputError',
    });
  });
});
