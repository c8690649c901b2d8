import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { TranslateClient } from '@aws-sdk/client-translate';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, vi } from 'vitest';
import { handler as assembleAndScore } from '../../lambdas/assemble-and-score/handler';
import { handler as assembleBatch } from '../../lambdas/assemble-batch/handler';
import { resetServices } from '../../lambdas/aws/services';
import { STATE_INDEX_VERSION, shardName } from '../../lambdas/core/sync/state-index';
import { handler as finishPlan } from '../../lambdas/finish-plan/handler';
import { handler as planHandler } from '../../lambdas/plan/handler';
import { handler as planBatch } from '../../lambdas/plan-batch/handler';

export const s3Mock = mockClient(S3Client);
export const translateMock = mockClient(TranslateClient);
export const snsMock = mockClient(SNSClient);

export const BUCKET = 'book';
export const ENV = {
  AMTS_BUCKET: BUCKET,
  AMTS_TRANSLATE_ROLE_ARN: 'arn:aws:iam::123456789012:role/amts-translate',
  AMTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:amts',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/** A streamed PutObject body as S3 takes it: its bytes must be exactly the ContentLength sent ahead. */
async function streamedBody(input: { Key: string; Body: AsyncIterable<Uint8Array>; ContentLength?: number }) {
  const chunks: Uint8Array[] = [];
  for await (const chunk of input.Body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  if (input.ContentLength !== bytes.length) {
    throw new Error(`${input.Key}: ContentLength ${input.ContentLength} but ${bytes.length} bytes streamed`);
  }
  return bytes.toString('utf8');
}

function s3Error(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message: name });
}

// Test files share worker processes: never leak this environment (a topic ARN, fake credentials) or the
// cached clients into another file's runs.
afterEach(() => {
  vi.unstubAllEnvs();
  resetServices();
});
afterAll(() => {
  // Set (hoisted) by the test files so the handlers' logger is quiet from import on.
  if (process.env.POWERTOOLS_LOG_LEVEL === 'SILENT') delete process.env.POWERTOOLS_LOG_LEVEL;
  s3Mock.restore();
  translateMock.restore();
  snsMock.restore();
});

/** Reset the mocks, set the handler environment, and back S3 with an in-memory bucket honouring If-Match/If-None-Match. */
let current = new Map<string, string>();

export function freshEnvironment(): Map<string, string> {
  s3Mock.reset();
  translateMock.reset();
  snsMock.reset();
  for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
  resetServices();
  const objects = new Map<string, string>();
  current = objects;
  const etag = (body: string) => `"${createHash('md5').update(body).digest('hex')}"`;
  s3Mock.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const body = objects.get(input.Key);
    if (body === undefined) throw s3Error('NoSuchKey', 404);
    const bytes = new TextEncoder().encode(body);
    return {
      ETag: etag(body),
      Body: { transformToString: async () => body, transformToByteArray: async () => bytes },
    };
  });
  s3Mock
    .on(PutObjectCommand)
    .callsFake(
      async (input: {
        Key: string;
        Body: string | AsyncIterable<Uint8Array>;
        ContentLength?: number;
        IfMatch?: string;
        IfNoneMatch?: string;
      }) => {
        const cur = objects.get(input.Key);
        if (input.IfNoneMatch === '*' && cur !== undefined) throw s3Error('PreconditionFailed', 412);
        if (input.IfMatch !== undefined && (cur === undefined || etag(cur) !== input.IfMatch)) {
          throw s3Error('PreconditionFailed', 412);
        }
        const body =
          typeof input.Body === 'string' ? input.Body : await streamedBody({ ...input, Body: input.Body });
        objects.set(input.Key, body);
        return { ETag: etag(body) };
      },
    );
  s3Mock.on(DeleteObjectCommand).callsFake((input: { Key: string }) => {
    objects.delete(input.Key);
    return {};
  });
  s3Mock.on(ListObjectsV2Command).callsFake((input: { Prefix?: string }) => ({
    Contents: [...objects.keys()]
      .filter((k) => k.startsWith(input.Prefix ?? ''))
      .map((Key) => {
        const body = objects.get(Key) ?? '';
        return { Key, ETag: etag(body), Size: Buffer.byteLength(body) };
      }),
    IsTruncated: false,
  }));
  return objects;
}

/**
 * The sync state committed in the in-memory bucket, put together from its index and shards as the state
 * store reads it: `{ version, lastRunId, documents: { <path>: DocumentState } }` (`{}` when none).
 */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, as the tests read it
export function committedState(objects: ReadonlyMap<string, string>, pairId = 'en-zh'): any {
  const text = objects.get(`state/${pairId}/sync-state.json`);
  if (text === undefined) return {};
  const index = JSON.parse(text);
  if (index.version !== STATE_INDEX_VERSION) return index; // a whole older state
  const documents: Record<string, unknown> = {};
  for (const path of Object.keys(index.documents)) {
    const shard = objects.get(`state/${pairId}/documents/${shardName(path)}`);
    if (shard !== undefined) documents[path] = JSON.parse(shard).document;
  }
  return { ...index, documents };
}

/** An error as the SDK throws it (name = the API's exception). */
export function awsError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export const pair = { source: 'en', target: 'zh' };
export const execution = { name: 'exec-1', startTime: '2026-11-21T12:00:00.000Z' };
export const RUN_ID = '20261121T120000Z-exec-1';

/**
 * "Plan", then — unless it asks to wait — "Plan Documents" and "Finish Plan", as the state machine runs
 * them: "Plan Batch" on every `batchSize` items Plan wrote (one document per batch by default, so that
 * the results of several batches are combined), then the finisher with Plan's result. Returns the result
 * the state machine keeps in `$.plan` (Plan's when it waits, else Finish Plan's).
 */
export async function plan(
  event: { input: unknown; pair: unknown; execution: unknown; attempt: number },
  batchSize = 1,
) {
  const planned = await planHandler(event);
  if (planned.action !== 'plan') return planned;
  const items = JSON.parse(current.get(planned.itemsKey ?? '') ?? '[]') as unknown[];
  const state = { pair: event.pair, execution: event.execution, plan: planned };
  for (let i = 0; i < items.length; i += batchSize) {
    await planBatch({ ...state, items: items.slice(i, i + batchSize) });
  }
  return finishPlan(state);
}

/**
 * "Assemble Documents" then "Assemble And Score", as the state machine runs them: "Assemble Batch" on
 * every `batchSize` items Prepare Batch wrote (one document per batch by default, so that the results of
 * several batches are added up), then the finishing step with the same event. An event without the
 * items key goes straight to the finishing step (which rejects it).
 */
export async function assemble(event: Record<string, unknown>, batchSize = 1) {
  const itemsKey = (event.batch as { assemblyItemsKey?: string } | undefined)?.assemblyItemsKey;
  const items = itemsKey ? (JSON.parse(current.get(itemsKey) ?? '[]') as unknown[]) : [];
  for (let i = 0; i < items.length; i += batchSize) {
    await assembleBatch({ ...event, items: items.slice(i, i + batchSize) });
  }
  return assembleAndScore(event);
}

/** Every assembly write-ahead log of en-zh (the batches' logs, one run's merged as Plan reads them). */
export function assemblyLogs(
  objects: Map<string, string>,
): { runId: string; documents: { path: string; markdown: string }[] } | null {
  const logs = [...objects.keys()]
    .filter((k) => k.startsWith('state/en-zh/assembly-log'))
    .map((k) => JSON.parse(objects.get(k) ?? 'null'));
  if (logs.length === 0) return null;
  return { ...logs[0], documents: logs.flatMap((l) => l.documents) };
}
