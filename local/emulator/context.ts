/** What every operation of the emulator shares: its state, settings, clock, faults and S3 client. */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { HtmlTranslator } from './apertium';
import type { FaultInjector } from './faults';
import { ParallelDataImportError } from './parallel-data-csv';
import { parseS3Uri } from './protocol';
import type { EmulatorStore, JobRecord } from './state';

export interface EmulatorDelays {
  /** CREATING/UPDATING → ACTIVE/FAILED. */
  parallelDataMs?: number;
  /** SUBMITTED → IN_PROGRESS. */
  jobQueuedMs?: number;
  /** IN_PROGRESS → COMPLETED… */
  jobRunMs?: number;
}

/**
 * Amazon Translate's quotas on a batch job (https://docs.aws.amazon.com/translate/latest/dg/what-is-limits.html,
 * "Asynchronous batch translation quotas"): 1,000,000 documents and 5 GB of documents per job, 10
 * concurrent jobs. A test lowers them to see a run split its batch (the workflow reads the same quotas,
 * lowered alike, from `AMTS_TRANSLATE_JOB_MAX_*`).
 */
export interface EmulatorLimits {
  /** Documents in one job's input folder. */
  documents: number;
  /** Bytes of documents in one job's input folder (5 GB read as 5,000,000,000). */
  bytes: number;
  /** Jobs SUBMITTED or IN_PROGRESS at once; one more is refused (LimitExceededException). */
  concurrent: number;
}
export const TRANSLATE_LIMITS: Readonly<EmulatorLimits> = {
  documents: 1_000_000,
  bytes: 5_000_000_000,
  concurrent: 10,
};

export interface EmulatorContext {
  store: EmulatorStore;
  s3: S3Client;
  accountId: string;
  region: string;
  /** Clock (ms since epoch). */
  now: () => number;
  delays: Required<EmulatorDelays>;
  limits: EmulatorLimits;
  faults: FaultInjector;
  /** The machine translator of a pair, or null (the English comes back marked). */
  translatorFor: (source: string, target: string) => HtmlTranslator | null;
}

/** The bytes at `uri`; a missing object or bucket is a ParallelDataImportError (what an import reports). */
export async function readS3(s3: S3Client, uri: string): Promise<Uint8Array> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket') {
      throw new ParallelDataImportError(`cannot read ${uri}: ${name}`);
    }
    throw error;
  }
}

/** Every object under `prefix` (folders left out) with its size, sorted by key. */
export async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ key: string; size: number }[]> {
  const objects: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const r = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 }),
    );
    for (const o of r.Contents ?? []) {
      if (o.Key && !o.Key.endsWith('/')) objects.push({ key: o.Key, size: o.Size ?? 0 });
    }
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Every object key under `prefix` (folders left out), sorted. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  return (await listObjects(s3, bucket, prefix)).map((o) => o.key);
}

/** Where Translate writes a job's output: `<OutputDataConfig.S3Uri>/<account>-TranslateText-<id>/`. */
export function outputPrefix(ctx: EmulatorContext, job: JobRecord): string {
  return `${job.output.S3Uri.replace(/\/?$/, '/')}${ctx.accountId}-TranslateText-${job.id}/`;
}
