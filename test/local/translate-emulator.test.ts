import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  ConcurrentModificationException,
  ConflictException,
  CreateParallelDataCommand,
  DescribeTextTranslationJobCommand,
  GetParallelDataCommand,
  InvalidRequestException,
  LimitExceededException,
  ResourceNotFoundException,
  StartTextTranslationJobCommand,
  StopTextTranslationJobCommand,
  TooManyRequestsException,
  TranslateClient,
  TranslateTextCommand,
  UpdateParallelDataCommand,
} from '@aws-sdk/client-translate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTranslateEmulator, type TranslateEmulator } from '../../local/emulator';
import { type LocalS3, startLocalS3 } from '../../local/s3/server';
import { connectionHeaders } from '../helpers/keep-alive';

const BUCKET = 'book';
const ROLE = 'arn:aws:iam::000000000000:role/translate-data-access';
let dir: string;
let s3server: LocalS3;
let s3: S3Client;
let emulator: TranslateEmulator;
let translate: TranslateClient;
let n = 0;

async function put(key: string, body: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}
async function get(key: string): Promise<string> {
  const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await r.Body?.transformToString('utf-8')) ?? '';
}
function client(maxAttempts = 1): TranslateClient {
  return new TranslateClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts,
  });
}
/** A fresh parallel-data resource (unique name) created from `csv` and read until it settles. */
async function createParallelData(csv: string): Promise<{ name: string; status?: string; message?: string }> {
  const name = `pd-${++n}`;
  await put(`parallel-data/${name}.csv`, csv);
  await translate.send(
    new CreateParallelDataCommand({
      Name: name,
      ParallelDataConfig: { S3Uri: `s3://${BUCKET}/parallel-data/${name}.csv`, Format: 'CSV' },
    }),
  );
  const got = await translate.send(new GetParallelDataCommand({ Name: name }));
  return { name, status: got.ParallelDataProperties?.Status, message: got.ParallelDataProperties?.Message };
}
async function runJob(
  docs: Record<string, string>,
  parallelData?: string,
): Promise<{ jobId: string; status?: string; prefix: string; message?: string }> {
  const run = `run-${++n}`;
  for (const [k, v] of Object.entries(docs)) await put(`work/${run}/input/${k}`, v);
  const started = await translate.send(
    new StartTextTranslationJobCommand({
      JobName: run,
      InputDataConfig: { S3Uri: `s3://${BUCKET}/work/${run}/input`, ContentType: 'text/html' },
      OutputDataConfig: { S3Uri: `s3://${BUCKET}/work/${run}/output/` },
      DataAccessRoleArn: ROLE,
      SourceLanguageCode: 'en',
      TargetLanguageCodes: ['zh'],
      ParallelDataNames: parallelData ? [parallelData] : undefined,
      ClientToken: run,
    }),
  );
  expect(started.JobStatus).toBe('SUBMITTED');
  const d = await translate.send(new DescribeTextTranslationJobCommand({ JobId: started.JobId }));
  const p = d.TextTranslationJobProperties;
  return {
    jobId: started.JobId ?? '',
    status: p?.JobStatus,
    prefix: (p?.OutputDataConfig?.S3Uri ?? '').replace(`s3://${BUCKET}/`, ''),
    message: p?.Message,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'amts-emu-'));
  s3server = await startLocalS3({ directory: join(dir, 's3') });
  s3 = s3server.client();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  emulator = await startTranslateEmulator({ s3 });
  translate = client();
});
afterEach(() => {
  emulator.setFaults({});
  emulator.setLimits({});
});
afterAll(async () => {
  translate?.destroy();
  await emulator?.stop();
  await s3server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('translate emulator: protocol', () => {
  it('answers an unknown operation with UnknownOperationException', async () => {
    const r = await fetch(emulator.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AWSShineFrontendService_20170701.Frobnicate',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: '{}',
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('never closes an idle connection on its own: keep-alive with no announced timeout', async () => {
    expect(await connectionHeaders(emulator.endpoint, 'POST')).toEqual({
      connection: 'keep-alive',
      keepAlive: undefined,
    });
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    const r = await fetch(emulator.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSShineFrontendService_20170701.GetParallelData' },
      body: '{not json',
    });
    expect(await r.json()).toMatchObject({ __type: 'SerializationException' });
  });

  it('maps a missing resource to the SDK ResourceNotFoundException', async () => {
    await expect(translate.send(new GetParallelDataCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('maps injected throttling to TooManyRequestsException, then works again', async () => {
    emulator.setFaults({
      errors: [{ operation: 'TranslateText', type: 'TooManyRequestsException', count: 1 }],
    });
    const cmd = new TranslateTextCommand({
      Text: 'Hello.',
      SourceLanguageCode: 'en',
      TargetLanguageCode: 'zh',
    });
    await expect(translate.send(cmd)).rejects.toBeInstanceOf(TooManyRequestsException);
    await expect(translate.send(cmd)).resolves.toMatchObject({ TranslatedText: 'Hello.' });
  });

  it('lets the SDK retry ThrottlingException by itself when it has attempts left', async () => {
    emulator.setFaults({ errors: [{ operation: 'TranslateText', type: 'ThrottlingException', count: 2 }] });
    const patient = client(3);
    const before = emulator.calls.length;
    await expect(
      patient.send(
        new TranslateTextCommand({ Text: 'Hi.', SourceLanguageCode: 'en', TargetLanguageCode: 'zh' }),
      ),
    ).resolves.toMatchObject({ TranslatedText: 'Hi.' });
    expect(emulator.calls.length - before).toBe(3);
    patient.destroy();
  });
});

describe('translate emulator: parallel data', () => {
  it('imports a valid CSV and becomes ACTIVE with counts', async () => {
    const pd = await createParallelData(
      'en,zh\r\nHello world.,你好世界。\r\n"A, quoted ""one"".",引号。\r\n',
    );
    expect(pd.status).toBe('ACTIVE');
    const got = await translate.send(new GetParallelDataCommand({ Name: pd.name }));
    expect(got.ParallelDataProperties).toMatchObject({
      SourceLanguageCode: 'en',
      TargetLanguageCodes: ['zh'],
      ImportedRecordCount: 2,
    });
  });

  it.each([
    ['a field starting with =', 'en,zh\n=SUM(A1),公式\n', /starts with "="/],
    ['a field starting with -', 'en,zh\n- item,项目\n', /starts with "-"/],
    ['a quoted field spanning lines', 'en,zh\n"two\nlines",两行\n', /spans more than one line/],
    [
      'a header that is not language codes',
      'source,target\nHello.,你好。\n',
      /header must be language codes/,
    ],
    ['an empty file', '', /empty/],
  ])('ends FAILED with a message for %s', async (_what, csv, message) => {
    const pd = await createParallelData(csv);
    expect(pd.status).toBe('FAILED');
    expect(pd.message).toMatch(message);
  });

  it('skips fields over 1000 bytes and empty sources, counting them', async () => {
    const long = 'x'.repeat(1001);
    const pd = await createParallelData(`en,zh\nShort.,短。\n${long},长\n,空\n`);
    const got = await translate.send(new GetParallelDataCommand({ Name: pd.name }));
    expect(got.ParallelDataProperties).toMatchObject({
      Status: 'ACTIVE',
      ImportedRecordCount: 1,
      SkippedRecordCount: 2,
    });
  });

  it('refuses a second create with the same name (ConflictException) but replays the same ClientToken', async () => {
    await put('pd/dup.csv', 'en,zh\nA.,甲。\n');
    const cmd = new CreateParallelDataCommand({
      Name: 'dup',
      ParallelDataConfig: { S3Uri: `s3://${BUCKET}/pd/dup.csv`, Format: 'CSV' },
      ClientToken: 'token-1',
    });
    await translate.send(cmd);
    await expect(translate.send(cmd)).resolves.toMatchObject({ Name: 'dup' });
    await expect(
      translate.send(
        new CreateParallelDataCommand({
          Name: 'dup',
          ParallelDataConfig: { S3Uri: `s3://${BUCKET}/pd/dup.csv`, Format: 'CSV' },
          ClientToken: 'token-2',
        }),
      ),
    ).rejects.toBeInstanceOf(ConflictException);
  });

  it('answers a repeated ClientToken with the same parameters once (one import) and refuses it with other parameters (ConflictException)', async () => {
    await put('pd/tok.csv', 'en,zh\nA.,甲。\n');
    await put('pd/tok2.csv', 'en,zh\nB.,乙。\n');
    const config = { S3Uri: `s3://${BUCKET}/pd/tok.csv`, Format: 'CSV' as const };
    await translate.send(
      new CreateParallelDataCommand({ Name: 'tok', ParallelDataConfig: config, ClientToken: 'c1' }),
    );
    const update = (uri: string, token: string) =>
      translate.send(
        new UpdateParallelDataCommand({
          Name: 'tok',
          ParallelDataConfig: { S3Uri: uri, Format: 'CSV' },
          Description: 'B',
          ClientToken: token,
        }),
      );
    const first = await update(`s3://${BUCKET}/pd/tok2.csv`, 'u1');
    // A retry of the same request (a Lambda retried after a lost response): the same answer, no second update.
    const again = await update(`s3://${BUCKET}/pd/tok2.csv`, 'u1');
    expect(again.LatestUpdateAttemptStatus).toBe(first.LatestUpdateAttemptStatus);
    expect(again.LatestUpdateAttemptAt).toEqual(first.LatestUpdateAttemptAt);
    // The same token for another request (back to the first CSV): refused, never "replayed".
    const reused = update(`s3://${BUCKET}/pd/tok.csv`, 'u1');
    await expect(reused).rejects.toBeInstanceOf(ConflictException);
    await expect(reused).rejects.toThrow(
      /already used for a UpdateParallelData request with other parameters/,
    );
    const got = await translate.send(new GetParallelDataCommand({ Name: 'tok' }));
    expect(got.ParallelDataProperties?.ParallelDataConfig?.S3Uri).toBe(`s3://${BUCKET}/pd/tok2.csv`);
  });

  it('updates: UPDATING while the import runs, ConcurrentModification meanwhile, ACTIVE after', async () => {
    // A fake clock: the statuses depend on the emulated time only, never on the machine's speed.
    let clock = 1_700_000_000_000;
    const slowEmulator = await startTranslateEmulator({
      s3,
      delays: { parallelDataMs: 150 },
      now: () => clock,
    });
    const slow = new TranslateClient({
      endpoint: slowEmulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
    await put('pd/slow.csv', 'en,zh\nOne.,一。\n');
    const config = { S3Uri: `s3://${BUCKET}/pd/slow.csv`, Format: 'CSV' as const };
    await slow.send(new CreateParallelDataCommand({ Name: 'slow', ParallelDataConfig: config }));
    expect(
      (await slow.send(new GetParallelDataCommand({ Name: 'slow' }))).ParallelDataProperties?.Status,
    ).toBe('CREATING');
    clock += 150;
    expect(
      (await slow.send(new GetParallelDataCommand({ Name: 'slow' }))).ParallelDataProperties?.Status,
    ).toBe('ACTIVE');
    const updated = await slow.send(
      new UpdateParallelDataCommand({ Name: 'slow', ParallelDataConfig: config }),
    );
    expect(updated).toMatchObject({ Status: 'ACTIVE', LatestUpdateAttemptStatus: 'UPDATING' });
    await expect(
      slow.send(new UpdateParallelDataCommand({ Name: 'slow', ParallelDataConfig: config })),
    ).rejects.toBeInstanceOf(ConcurrentModificationException);
    clock += 150;
    const got = await slow.send(new GetParallelDataCommand({ Name: 'slow' }));
    expect(got.ParallelDataProperties).toMatchObject({
      Status: 'ACTIVE',
      LatestUpdateAttemptStatus: 'ACTIVE',
    });
    slow.destroy();
    await slowEmulator.stop();
  });

  it('a failed update keeps the earlier version ACTIVE and reports LatestUpdateAttemptStatus FAILED', async () => {
    const pd = await createParallelData('en,zh\nKept.,保留。\n');
    emulator.setFaults({ parallelDataImportFails: 'disk on fire' });
    await translate.send(
      new UpdateParallelDataCommand({
        Name: pd.name,
        ParallelDataConfig: { S3Uri: `s3://${BUCKET}/parallel-data/${pd.name}.csv`, Format: 'CSV' },
      }),
    );
    const got = await translate.send(new GetParallelDataCommand({ Name: pd.name }));
    expect(got.ParallelDataProperties).toMatchObject({
      Status: 'ACTIVE',
      LatestUpdateAttemptStatus: 'FAILED',
      Message: expect.stringMatching(/disk on fire/),
    });
  });

  it('refuses a job that names parallel data which never became ACTIVE', async () => {
    const pd = await createParallelData('bad header\n');
    await expect(runJob({ 'a.html': '<html><body><p>x</p></body></html>' }, pd.name)).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
  });
});

describe('translate emulator: batch jobs', () => {
  const doc =
    '<html><body><h1 id="u1">Summary</h1>' +
    '<p id="u2">We use <span translate="no" id="u2.p1">$x$</span> here. This sentence is new.</p>' +
    '<p id="u3">Nothing <em id="u3.e1">matches</em> here.</p>' +
    '<pre translate="no">Summary</pre></body></html>';

  it('replaces exact sentence matches, keeps protected spans, marks the rest, writes details', async () => {
    const pd = await createParallelData('en,zh\nSummary,小结\nWe use $x$ here.,我们在这里使用$x$。\n');
    const job = await runJob({ 'chapter/a.html': doc }, pd.name);
    expect(job.status).toBe('COMPLETED');
    expect(job.prefix).toMatch(new RegExp(`^work/run-\\d+/output/000000000000-TranslateText-${job.jobId}/$`));
    const out = await get(`${job.prefix}chapter/zh.a.html`);
    expect(out).toContain('<h1 id="u1">小结</h1>');
    expect(out).toContain('<p id="u2">我们在这里使用<span translate="no" id="u2.p1">$x$</span>。');
    expect(out).toContain('<span class="amts-untranslated">This sentence is new.</span>');
    expect(out).toContain('<em id="u3.e1"><span class="amts-untranslated">matches</span></em>');
    expect(out).toContain('<pre translate="no">Summary</pre>');
    const details = JSON.parse(await get(`${job.prefix}details/zh.auxiliary-translation-details.json`));
    expect(details).toMatchObject({
      sourceLanguageCode: 'en',
      targetLanguageCode: 'zh',
      documentCountWithCustomerError: '0',
      emulator: { sentencesFromParallelData: 2, sentencesUntranslated: 2 },
      details: [{ sourceFile: 'chapter/a.html', targetFile: 'chapter/zh.a.html' }],
    });
  });

  it('ends COMPLETED_WITH_ERROR when a named document fails, writing the others', async () => {
    emulator.setFaults({ documentsFail: ['bad.html'] });
    const job = await runJob({ 'good.html': doc, 'bad.html': doc });
    expect(job.status).toBe('COMPLETED_WITH_ERROR');
    const keys = (
      await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: job.prefix }))
    ).Contents?.map((o) => o.Key?.slice(job.prefix.length));
    expect(keys).toEqual(['details/zh.auxiliary-translation-details.json', 'zh.good.html']);
  });

  it('translates all the documents of a job with ONE machine-translator call (one engine process per job)', async () => {
    const calls: number[] = [];
    const machine = await startTranslateEmulator({
      s3,
      faults: { documentsFail: ['bad.html'] },
      translator: () => ({
        name: 'upper',
        translate: async (fragments) => {
          calls.push(fragments.length);
          return fragments.map((f) =>
            f.replace(/(^|>)([^<]*)/g, (_m, a: string, t: string) => a + t.toUpperCase()),
          );
        },
      }),
    });
    const mt = new TranslateClient({
      endpoint: machine.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const docs = {
      'a.html': doc,
      'bad.html': doc,
      'b/c.html': '<html><body><p id="u1">Only c.</p></body></html>',
    };
    for (const [k, v] of Object.entries(docs)) await put(`work/mt/input/${k}`, v);
    const started = await mt.send(
      new StartTextTranslationJobCommand({
        InputDataConfig: { S3Uri: `s3://${BUCKET}/work/mt/input/`, ContentType: 'text/html' },
        OutputDataConfig: { S3Uri: `s3://${BUCKET}/work/mt/output/` },
        DataAccessRoleArn: ROLE,
        SourceLanguageCode: 'en',
        TargetLanguageCodes: ['zh'],
      }),
    );
    const props = (await mt.send(new DescribeTextTranslationJobCommand({ JobId: started.JobId })))
      .TextTranslationJobProperties;
    expect(props?.JobStatus).toBe('COMPLETED_WITH_ERROR');
    const prefix = (props?.OutputDataConfig?.S3Uri ?? '').replace(`s3://${BUCKET}/`, '');
    expect(calls).toEqual([4]); // a.html's three runs and c.html's one; bad.html is never read
    expect(await get(`${prefix}b/zh.c.html`)).toBe('<html><body><p id="u1">ONLY C.</p></body></html>');
    expect(await get(`${prefix}zh.a.html`)).toContain(
      '<p id="u3">NOTHING <em id="u3.e1">MATCHES</em> HERE.</p>',
    );
    const details = JSON.parse(await get(`${prefix}details/zh.auxiliary-translation-details.json`));
    expect(
      details.details.map((d: { sourceFile: string; errorCode?: string }) => [d.sourceFile, d.errorCode]),
    ).toEqual([
      ['a.html', undefined],
      ['b/c.html', undefined],
      ['bad.html', 'InternalServerException'],
    ]);
    expect(details.emulator).toMatchObject({ machineTranslator: 'upper', sentencesUntranslated: 0 });
    mt.destroy();
    await machine.stop();
  });

  it('ends FAILED with a message when told to, writing nothing', async () => {
    emulator.setFaults({ jobFails: 'the service is sad' });
    const job = await runJob({ 'a.html': doc });
    expect(job).toMatchObject({ status: 'FAILED', message: 'the service is sad' });
  });

  it('ends FAILED when the input folder is empty', async () => {
    const job = await runJob({});
    expect(job.status).toBe('FAILED');
    expect(job.message).toMatch(/contains no documents/);
  });

  it('returns the same job for the same ClientToken', async () => {
    await put('work/idem/input/a.html', doc);
    const cmd = new StartTextTranslationJobCommand({
      InputDataConfig: { S3Uri: `s3://${BUCKET}/work/idem/input/`, ContentType: 'text/html' },
      OutputDataConfig: { S3Uri: `s3://${BUCKET}/work/idem/output/` },
      DataAccessRoleArn: ROLE,
      SourceLanguageCode: 'en',
      TargetLanguageCodes: ['zh'],
      ClientToken: 'same-token',
    });
    const a = await translate.send(cmd);
    const b = await translate.send(cmd);
    expect(b.JobId).toBe(a.JobId);
  });

  it('goes SUBMITTED → IN_PROGRESS → COMPLETED exactly when its delays have passed, and STOP_REQUESTED → STOPPED when stopped', async () => {
    // A fake clock: the statuses depend on the emulated time only, never on the machine's speed.
    let clock = 1_700_000_000_000;
    const slowEmulator = await startTranslateEmulator({
      s3,
      delays: { jobQueuedMs: 60, jobRunMs: 60 },
      now: () => clock,
    });
    const slow = new TranslateClient({
      endpoint: slowEmulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    await put('work/slow/input/a.html', doc);
    const start = () =>
      slow.send(
        new StartTextTranslationJobCommand({
          InputDataConfig: { S3Uri: `s3://${BUCKET}/work/slow/input/`, ContentType: 'text/html' },
          OutputDataConfig: { S3Uri: `s3://${BUCKET}/work/slow/output/` },
          DataAccessRoleArn: ROLE,
          SourceLanguageCode: 'en',
          TargetLanguageCodes: ['zh'],
        }),
      );
    const status = async (id?: string) =>
      (await slow.send(new DescribeTextTranslationJobCommand({ JobId: id }))).TextTranslationJobProperties
        ?.JobStatus;
    const { JobId } = await start();
    const seen = [await status(JobId)];
    clock += 59;
    seen.push(await status(JobId));
    clock += 1;
    seen.push(await status(JobId));
    clock += 59;
    seen.push(await status(JobId));
    clock += 1;
    seen.push(await status(JobId));
    expect(seen).toEqual(['SUBMITTED', 'SUBMITTED', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED']);

    const second = await start();
    expect((await slow.send(new StopTextTranslationJobCommand({ JobId: second.JobId }))).JobStatus).toBe(
      'STOP_REQUESTED',
    );
    expect(await status(second.JobId)).toBe('STOPPED');
    slow.destroy();
    await slowEmulator.stop();
  });
});

describe("Translate's per-job quotas (1,000,000 documents, 5 GB, 10 concurrent jobs), lowered for a test", () => {
  const html = (text: string) => `<html><body><p>${text}</p></body></html>`;

  it.each([
    ['documents', { documents: 2 }, /contains 3 documents; a batch job accepts at most 2/],
    ['bytes', { bytes: 100 }, /total \d+ bytes; a batch job accepts at most 100/],
  ])('fails a job over the %s per job, naming both numbers', async (_, limits, message) => {
    emulator.setLimits(limits);
    const job = await runJob({ 'a.html': html('One.'), 'b.html': html('Two.'), 'c.html': html('Three.') });
    expect(job.status).toBe('FAILED');
    expect(job.message).toMatch(message);
  });

  it('translates a job exactly at the quotas', async () => {
    const docs = { 'a.html': html('One.'), 'b.html': html('Two.') };
    const bytes = Object.values(docs).reduce((n, d) => n + Buffer.byteLength(d), 0);
    emulator.setLimits({ documents: 2, bytes });
    expect((await runJob(docs)).status).toBe('COMPLETED');
  });

  it('refuses one job more than the concurrent quota (LimitExceededException) until one ends', async () => {
    emulator.reset(); // no job of an earlier case still counts as running
    emulator.setLimits({ concurrent: 2 });
    const start = async (name: string) => {
      await put(`work/${name}/input/a.html`, html('One.'));
      return translate.send(
        new StartTextTranslationJobCommand({
          JobName: name,
          InputDataConfig: { S3Uri: `s3://${BUCKET}/work/${name}/input/`, ContentType: 'text/html' },
          OutputDataConfig: { S3Uri: `s3://${BUCKET}/work/${name}/output/` },
          DataAccessRoleArn: ROLE,
          SourceLanguageCode: 'en',
          TargetLanguageCodes: ['zh'],
          ClientToken: name,
        }),
      );
    };
    // Not described yet, so still SUBMITTED: both count against the quota.
    const first = await start(`quota-${++n}`);
    await start(`quota-${++n}`);
    await expect(start(`quota-${++n}`)).rejects.toBeInstanceOf(LimitExceededException);
    await translate.send(new DescribeTextTranslationJobCommand({ JobId: first.JobId })); // it runs and ends
    expect((await start(`quota-${++n}`)).JobStatus).toBe('SUBMITTED');
  });
});
