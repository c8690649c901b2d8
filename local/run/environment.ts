/**
 * The embedded AWS of the local runner (docs/architecture.md "Local runner"): the local S3
 * (local/s3/server.ts) and the Translate emulator started on a data folder, the handler environment
 * pointed at them (handlers reach them only through the variables they read on AWS: there is no
 * test-only branch in lambdas/), and the operations a run needs: execute (local/run/execution.ts),
 * book ⇄ bucket sync (local/run/book-sync.ts), bucket reads.
 *
 * With `aws: true` the same runner uses real S3 and Amazon Translate through the default credential
 * chain (documented, not tested offline).
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  substitutePlaceholders,
  WORKFLOW_ASL_PATH,
  workflowSubstitutions,
} from '../../infra/workflow-placeholders';
import { resetServices } from '../../lambdas/aws/services';
import { AmtsError, InvalidInputError } from '../../lambdas/core/errors';
import { type LanguagePair, pairId } from '../../lambdas/core/workflow/names';
import {
  type EmulatorDelays,
  type EmulatorFaults,
  startTranslateEmulator,
  type TranslateEmulator,
} from '../emulator';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from '../s3/server';
import {
  type BookLocation,
  downloadResults,
  ETAGS_FILE,
  MANIFEST_FILE,
  type SyncSummary,
  uploadBook,
} from './book-sync';
import { type ExecuteOptions, type ExecutionOutcome, runExecution, type Timing } from './execution';
import { parseFaults } from './faults-option';
import { type Handler, loadWorkflowHandlers } from './handlers';
import { REPO_ROOT } from './repo';

/** Bucket of the local S3 (one per data folder). */
export const LOCAL_BUCKET = 'amts-local';
/** Data-access role ARN handed to the emulator (it only checks the ARN's shape). */
export const LOCAL_TRANSLATE_ROLE_ARN = 'arn:aws:iam::000000000000:role/amts-local-translate-data-access';

export interface LocalEnvironmentOptions {
  /** Data folder: `s3/` (the bucket), `translate-state.json` (emulator resources), `sync-manifest.json`. */
  data: string;
  delays?: EmulatorDelays;
  faults?: EmulatorFaults;
  timing?: Timing;
  /** Real S3 + Translate instead of the embedded servers (needs AMTS_BUCKET, AMTS_TRANSLATE_ROLE_ARN). */
  aws?: boolean;
}

/**
 * The embedded AWS: a local S3 and Translate emulator, plus the handlers loaded in this process with
 * the environment pointing at them. One per process is the intended use (handlers build their SDK
 * clients from the environment when their module loads).
 */
export class LocalEnvironment {
  private handlers: Map<string, Handler> | undefined;
  private readonly definitions = new Map<string, string>();

  private constructor(
    readonly data: string,
    readonly s3: S3Client,
    readonly bucket: string,
    readonly timing: Timing,
    readonly localS3: LocalS3 | undefined,
    readonly translate: TranslateEmulator | undefined,
  ) {}

  /** Starts the servers (unless `aws`) and points the handler environment at them. */
  static async start(options: LocalEnvironmentOptions): Promise<LocalEnvironment> {
    const faults = options.faults === undefined ? undefined : parseFaults(options.faults, 'faults');
    mkdirSync(options.data, { recursive: true });
    if (options.aws) {
      const bucket = process.env.AMTS_BUCKET;
      if (!bucket)
        throw new InvalidInputError('--aws needs AMTS_BUCKET (the deployed book bucket) in the environment');
      if (!process.env.AMTS_TRANSLATE_ROLE_ARN) {
        throw new InvalidInputError('--aws needs AMTS_TRANSLATE_ROLE_ARN (the Translate data-access role)');
      }
      const s3 = new S3Client({});
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      resetServices();
      return new LocalEnvironment(options.data, s3, bucket, options.timing ?? {}, undefined, undefined);
    }
    const localS3 = await startLocalS3({ directory: join(options.data, 's3'), buckets: [LOCAL_BUCKET] });
    const s3 = localS3.client();
    let translate: TranslateEmulator | undefined;
    try {
      await s3.send(new HeadBucketCommand({ Bucket: LOCAL_BUCKET })).catch(async () => {
        await s3.send(new CreateBucketCommand({ Bucket: LOCAL_BUCKET }));
      });
      translate = await startTranslateEmulator({
        s3: localS3.client(),
        stateFile: join(options.data, 'translate-state.json'),
        delays: options.delays,
        faults,
      });
    } catch (error) {
      await localS3.stop();
      throw error;
    }
    Object.assign(process.env, {
      AMTS_BUCKET: LOCAL_BUCKET,
      AMTS_TRANSLATE_ROLE_ARN: LOCAL_TRANSLATE_ROLE_ARN,
      AMTS_S3_ENDPOINT: localS3.endpoint,
      AMTS_TRANSLATE_ENDPOINT: translate.endpoint,
      AMTS_S3_FORCE_PATH_STYLE: 'true',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      AWS_REGION: translate.region,
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    delete process.env.AMTS_TOPIC_ARN;
    // Handlers cache their SDK clients per process (one Lambda container): a new environment needs new ones.
    resetServices();
    // Handler logs (Powertools JSON) stay quiet unless asked for (POWERTOOLS_LOG_LEVEL=INFO): the runner
    // prints progress and every failure itself.
    process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
    return new LocalEnvironment(options.data, s3, LOCAL_BUCKET, options.timing ?? {}, localS3, translate);
  }

  /** Stops the servers (the data folder stays). */
  async stop(): Promise<void> {
    this.s3.destroy();
    await this.translate?.stop();
    await this.localS3?.stop();
  }

  /** Empties the bucket and forgets every Translate resource (tests: a fresh start per case). */
  async reset(): Promise<void> {
    if (!this.translate) throw new AmtsError('reset() only works on the embedded servers');
    for (const key of await this.listKeys('')) {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    }
    this.translate.reset();
    rmSync(join(this.data, MANIFEST_FILE), { force: true });
    rmSync(join(this.data, ETAGS_FILE), { force: true });
  }

  /** Every Task's handler by state name, loaded once (`lambdas/<dir>/handler.ts`). */
  async loadHandlers(): Promise<Map<string, Handler>> {
    this.handlers ??= await loadWorkflowHandlers();
    return this.handlers;
  }

  /** The ASL with every placeholder substituted for `pair` (local function "ARNs" name the handler folder). */
  definition(pair: LanguagePair): string {
    const id = pairId(pair);
    let text = this.definitions.get(id);
    if (!text) {
      const raw = readFileSync(join(REPO_ROOT, WORKFLOW_ASL_PATH), 'utf8');
      const substitutions = workflowSubstitutions(
        pair,
        (dir) => `arn:aws:lambda:us-east-1:000000000000:function:amts-local-${dir}`,
        this.bucket,
      );
      text = substitutePlaceholders(raw, substitutions);
      this.definitions.set(id, text);
    }
    return text;
  }

  /**
   * Runs one execution of the pair's state machine with `input` (the console JSON). Resolves with
   * the outcome whether it succeeded or failed; rejects only when the runner itself cannot run.
   */
  execute(pair: LanguagePair, input: unknown, options: ExecuteOptions = {}): Promise<ExecutionOutcome> {
    return runExecution(this, pair, input, options);
  }

  /**
   * Run locks left in the local bucket by a runner that is gone (killed, crashed): this process holds the
   * data folder (lockDataFolder), so no execution of another runner can be using them. Removes them and
   * returns their keys. Never called against a real bucket (`aws`): there a lock may belong to a running
   * execution on AWS.
   */
  async removeStaleLocks(): Promise<string[]> {
    if (!this.translate) return [];
    const stale = (await this.listKeys('state/')).filter((k) => k.endsWith('/run.lock'));
    for (const key of stale) await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    return stale;
  }

  /** See book-sync.ts uploadBook: what changed in the book since the last sync goes to the bucket. */
  uploadBook(pair: LanguagePair, where: BookLocation): Promise<SyncSummary> {
    return uploadBook(this, pair, where);
  }

  /** See book-sync.ts downloadResults: results into the output folder, never over a human's change. */
  downloadResults(pair: LanguagePair, where: BookLocation, only?: { runId: string }): Promise<SyncSummary> {
    return downloadResults(this, pair, where, only);
  }

  async listKeys(prefix: string): Promise<string[]> {
    return (await this.listObjects(prefix)).map((o) => o.key);
  }

  /** Every object under `prefix` (all pages), sorted by key, with the ETag the listing reports. */
  async listObjects(prefix: string): Promise<{ key: string; etag: string | null }[]> {
    const objects: { key: string; etag: string | null }[] = [];
    let token: string | undefined;
    do {
      const r = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of r.Contents ?? []) if (o.Key) objects.push({ key: o.Key, etag: o.ETag ?? null });
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The object's bytes and ETag, or `null` when it does not exist. */
  async getObject(key: string): Promise<{ bytes: Uint8Array; etag: string | null } | null> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: (await r.Body?.transformToByteArray()) ?? new Uint8Array(), etag: r.ETag ?? null };
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  async getBytes(key: string): Promise<Uint8Array | null> {
    return (await this.getObject(key))?.bytes ?? null;
  }

  async getText(key: string): Promise<string | null> {
    const bytes = await this.getBytes(key);
    return bytes === null ? null : new TextDecoder().decode(bytes);
  }
}
