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

export interface EmulatorContext {
  store: EmulatorStore;
  s3: S3Client;
  accountId: string;
  region: string;
  /** Clock (ms since epoch). */
  now: () => number;
  delays: Required<EmulatorDelays>;
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

/** Every object key under `prefix` (folders left out), sorted. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const r = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 }),
    );
    for (const o of r.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Where Translate writes a job's output: `<OutputDataConfig.S3Uri>/<account>-TranslateText-<id>/`. */
export function outputPrefix(ctx: EmulatorContext, job: JobRecord): string {
  return `${job.output.S3Uri.replace(/\/?$/, '/')}${ctx.accountId}-TranslateText-${job.id}/`;
}
