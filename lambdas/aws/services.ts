import type { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { TranslateClient } from '@aws-sdk/client-translate';
import { decodeMarkdown } from '../core/markdown';
import type { ObjectStamp } from '../core/sync/changes';
import { checkChapterSize } from '../core/workflow/chapter-guard';
import { partitionKeys } from '../core/workflow/keys';
import { type LanguagePair, pairId } from '../core/workflow/names';
import { type Env, s3Client, snsClient, translateClient, type WorkflowEnv, workflowEnv } from './config';
import { logger } from './observability';
import { Bucket } from './s3';
import { StateStore } from './state-store';

/** Clients and settings of a handler, created on first use from the environment. */
export interface Services {
  env: WorkflowEnv;
  s3: S3Client;
  translate: TranslateClient;
  sns: SNSClient;
  bucket: Bucket;
  /** `AMTS_S3_CONDITIONAL_WRITES=emulated` for S3-compatible servers without conditional PUT (see state-store). */
  conditionalWrites: 'native' | 'emulated';
}

let cached: Services | undefined;

/** The process-wide services (one set per Lambda container). */
export function services(env: Env = process.env): Services {
  if (cached) return cached;
  const wf = workflowEnv(env);
  const s3 = s3Client(env);
  const mode = env.AMTS_S3_CONDITIONAL_WRITES === 'emulated' ? 'emulated' : 'native';
  cached = {
    env: wf,
    s3,
    translate: translateClient(env),
    sns: snsClient(env),
    bucket: new Bucket(s3, wf.bucket),
    conditionalWrites: mode,
  };
  return cached;
}

/** Forget the cached services (the environment changed: a new local run, a test). */
export function resetServices(): void {
  cached = undefined;
}

/** The pair's sync state and run lock. */
export function stateStore(svc: Services, pair: LanguagePair): StateStore {
  return new StateStore({
    client: svc.s3,
    bucket: svc.bucket.name,
    pair: pairId(pair),
    conditionalWrites: svc.conditionalWrites,
  });
}

/** How a run ended, as the `outcome` message attribute subscribers can filter on. */
export type RunOutcome = 'SUCCEEDED' | 'PARTIAL' | 'FAILED' | 'DRY_RUN' | 'NOTHING_TO_DO';

/**
 * Publish the one notification of a run (with `outcome` and `pair` message attributes); no-op when no
 * topic is configured (`AMTS_TOPIC_ARN` unset).
 */
export async function notify(
  svc: Services,
  outcome: RunOutcome,
  pair: LanguagePair,
  subject: string,
  message: string,
): Promise<boolean> {
  if (!svc.env.topicArn) return false;
  await svc.sns.send(
    new PublishCommand({
      TopicArn: svc.env.topicArn,
      Subject: subject.slice(0, 100),
      Message: message,
      MessageAttributes: {
        outcome: { DataType: 'String', StringValue: outcome },
        pair: { DataType: 'String', StringValue: pairId(pair) },
      },
    }),
  );
  return true;
}

/**
 * Relative paths of the `.md` objects under `prefix` (e.g. `source/en/`), sorted. A key that is not a
 * safe relative path (`..`, `//`, control characters…) never becomes a document path: it is left out
 * and logged with the reason.
 */
export async function listMarkdown(bucket: Bucket, prefix: string): Promise<string[]> {
  const keys = (await bucket.listKeys(prefix)).filter((k) => k.endsWith('.md'));
  const { paths, rejected } = partitionKeys(keys, prefix);
  for (const r of rejected)
    logger.warn('unsafe key left out of the listing', { key: r.key, reason: r.reason });
  return paths;
}

/**
 * The `.md` objects under `prefix` (e.g. `source/en/`) by relative path, with the ETag and size the
 * listing reports (`null`: not reported). Unsafe keys are left out and logged, as by listMarkdown.
 */
export async function listMarkdownObjects(
  bucket: Bucket,
  prefix: string,
): Promise<Map<string, ObjectStamp | null>> {
  const objects = (await bucket.listObjects(prefix)).filter((o) => o.key.endsWith('.md'));
  const { paths, rejected } = partitionKeys(
    objects.map((o) => o.key),
    prefix,
  );
  for (const r of rejected)
    logger.warn('unsafe key left out of the listing', { key: r.key, reason: r.reason });
  const byKey = new Map(objects.map((o) => [o.key, o]));
  return new Map(
    paths.map((path) => {
      const o = byKey.get(prefix + path);
      return [path, o?.etag && o.size !== null ? { etag: o.etag, size: o.size } : null];
    }),
  );
}

/**
 * A Markdown object decoded as UTF-8, or `null` when missing. Its size is checked before it is decoded
 * (DocumentTooLargeError over MAX_CHAPTER_BYTES); EncodingError on bytes that are not UTF-8 text.
 */
export async function readMarkdown(bucket: Bucket, key: string): Promise<string | null> {
  const bytes = await bucket.getBytes(key);
  if (bytes === null) return null;
  checkChapterSize(bytes.length, key);
  return decodeMarkdown(bytes, key);
}

/** {@link readMarkdown} with the object's ETag (for a conditional write back). */
export async function readMarkdownWithEtag(
  bucket: Bucket,
  key: string,
): Promise<{ text: string; etag: string } | null> {
  const got = await bucket.getWithEtag(key);
  if (got === null) return null;
  checkChapterSize(got.bytes.length, key);
  return { text: decodeMarkdown(got.bytes, key), etag: got.etag };
}
