/**
 * An offline Amazon Translate: an HTTP server on 127.0.0.1 speaking the real Translate JSON 1.1
 * protocol (`POST /`, `X-Amz-Target: AWSShineFrontendService_20170701.<Operation>`), so the AWS
 * SDK v3 `TranslateClient` works against it with only `endpoint` changed, and error responses carry
 * `__type` so the SDK raises the same named exceptions as AWS.
 *
 * It keeps parallel-data resources (CREATING/UPDATING → ACTIVE/FAILED) and batch jobs (SUBMITTED →
 * IN_PROGRESS → COMPLETED / COMPLETED_WITH_ERROR / FAILED; STOP_REQUESTED → STOPPED) with
 * configurable delays, imports parallel data from S3 and writes job output to S3 exactly where
 * Translate does. It "translates" honestly (see emulated-translation.ts) and can inject faults.
 * State can be kept in a JSON file so a later process sees the resources of an earlier one.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { canonicalJson } from '../lambdas/core/workflow/names';
import { apertiumTranslator, type HtmlTranslator } from './apertium';
import {
  emptyStats,
  emulateHtmlTranslationsWith,
  emulatePlainTranslation,
  normalizeSentence,
  type TranslationStats,
} from './emulated-translation';
import { importParallelData, ParallelDataImportError } from './parallel-data-csv';

export const TARGET_PREFIX = 'AWSShineFrontendService_20170701.';

export const OPERATIONS = [
  'CreateParallelData',
  'UpdateParallelData',
  'GetParallelData',
  'ListParallelData',
  'DeleteParallelData',
  'StartTextTranslationJob',
  'DescribeTextTranslationJob',
  'StopTextTranslationJob',
  'ListTextTranslationJobs',
  'TranslateText',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** An error answered instead of the real result for the first `count` matching calls. */
export interface InjectedError {
  /** Operations affected (all when absent). */
  operation?: Operation | Operation[];
  /** `__type` of the answer: ThrottlingException, TooManyRequestsException, ConcurrentModificationException… */
  type: string;
  /** How many calls get the error (then the operation works again). */
  count: number;
  message?: string;
  /** HTTP status (default 400; 429 for the throttling types). */
  status?: number;
}

export interface EmulatorFaults {
  errors?: InjectedError[];
  /** Every parallel-data import ends FAILED (with this message when a string). */
  parallelDataImportFails?: boolean | string;
  /** Every job ends FAILED (with this message when a string), writing no output. */
  jobFails?: boolean | string;
  /** Input documents whose key contains one of these strings fail; the job ends COMPLETED_WITH_ERROR. */
  documentsFail?: string[];
  /** Every job is stopped before it runs (as if someone pressed Stop in the console): STOPPED. */
  jobStops?: boolean;
}

export interface EmulatorDelays {
  /** CREATING/UPDATING → ACTIVE/FAILED. */
  parallelDataMs?: number;
  /** SUBMITTED → IN_PROGRESS. */
  jobQueuedMs?: number;
  /** IN_PROGRESS → COMPLETED… */
  jobRunMs?: number;
}

export interface TranslateEmulatorOptions {
  /** Client for the S3 that holds parallel data and job input/output. */
  s3: S3Client;
  accountId?: string;
  region?: string;
  delays?: EmulatorDelays;
  faults?: EmulatorFaults;
  /** JSON file keeping resources and jobs across processes (read on start, written on change). */
  stateFile?: string;
  /** Called after every request (for progress output and tests). */
  onOperation?: (event: OperationEvent) => void;
  port?: number;
  /** Injectable clock (ms since epoch). */
  now?: () => number;
  /**
   * Machine translator for the sentences the parallel data does not match, per language pair: by default
   * Apertium when it has the pair installed (`apertium eng-spa` for en→es), else none (the English comes
   * back unchanged and marked, as without it). `null` turns it off.
   */
  translator?: ((source: string, target: string) => HtmlTranslator | null) | null;
}

/** The default machine translator of a pair: Apertium when installed for it, else none. */
export function defaultTranslator(source: string, target: string): HtmlTranslator | null {
  const t = apertiumTranslator(source, target);
  return 'missing' in t ? null : t;
}

export interface OperationEvent {
  operation: string;
  request: Record<string, unknown>;
  response?: Record<string, unknown>;
  error?: { type: string; message: string };
}

export interface TranslateEmulator {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  accountId: string;
  region: string;
  /** Replace the fault configuration (counts restart). */
  setFaults(faults: EmulatorFaults): void;
  /** Every request answered so far. */
  readonly calls: readonly OperationEvent[];
  /** Snapshot of the state (parallel data and jobs). */
  state(): EmulatorState;
  /** Forgets every resource, job, client token, recorded call and fault count. */
  reset(): void;
  stop(): Promise<void>;
}

interface ParallelDataConfig {
  S3Uri: string;
  Format: 'CSV' | 'TSV' | 'TMX';
}

interface ParallelDataRecord {
  name: string;
  arn: string;
  description?: string;
  status: 'CREATING' | 'UPDATING' | 'ACTIVE' | 'DELETING' | 'FAILED';
  config: ParallelDataConfig;
  sourceLanguageCode?: string;
  targetLanguageCodes?: string[];
  message?: string;
  importedDataSize?: number;
  importedRecordCount?: number;
  skippedRecordCount?: number;
  failedRecordCount?: number;
  createdAt: number;
  lastUpdatedAt: number;
  latestUpdateAttemptStatus?: ParallelDataRecord['status'];
  latestUpdateAttemptAt?: number;
  /** An import in flight: its config and when it finishes. */
  pending?: { config: ParallelDataConfig; dueAt: number };
  /** The imported content in use: [source, { lang: target }][]. */
  entries?: [string, Record<string, string>][];
}

type JobStatus =
  | 'SUBMITTED'
  | 'IN_PROGRESS'
  | 'COMPLETED'
  | 'COMPLETED_WITH_ERROR'
  | 'FAILED'
  | 'STOP_REQUESTED'
  | 'STOPPED';

interface JobRecord {
  id: string;
  name?: string;
  status: JobStatus;
  message?: string;
  sourceLanguageCode: string;
  targetLanguageCodes: string[];
  parallelDataNames: string[];
  terminologyNames: string[];
  input: { S3Uri: string; ContentType: string };
  output: { S3Uri: string; EncryptionKey?: unknown };
  dataAccessRoleArn: string;
  settings?: Record<string, unknown>;
  submittedAt: number;
  endAt?: number;
  inProgressAt: number;
  dueAt: number;
  /** The parallel data in use, captured when the job started. */
  memory: [string, Record<string, string>][];
  details?: {
    TranslatedDocumentsCount: number;
    DocumentsWithErrorsCount: number;
    InputDocumentsCount: number;
  };
}

export interface EmulatorState {
  parallelData: Record<string, ParallelDataRecord>;
  jobs: Record<string, JobRecord>;
  /** `<operation>:<token>` → the request's parameters (canonical JSON) and its answer. */
  clientTokens: Record<string, { fingerprint: string; result: Record<string, unknown> }>;
}

/** An error answered to the client as `{ __type, message }`. */
export class TranslateApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException']);
const NAME = /^([A-Za-z0-9-]_?)+$/;
const TOKEN = /^[a-zA-Z0-9-]+$/;
const ROLE = /^arn:aws(-[^:]+)?:iam::[0-9]{12}:role\/.+$/;
const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
const MAX_TRANSLATABLE_BYTES = 1024 * 1024;
const MAX_TEXT_BYTES = 10_000;

/** Starts the emulator on 127.0.0.1 (port 0 by default). */
export async function startTranslateEmulator(options: TranslateEmulatorOptions): Promise<TranslateEmulator> {
  const accountId = options.accountId ?? '000000000000';
  const region = options.region ?? 'us-east-1';
  const now = options.now ?? Date.now;
  const delays = { parallelDataMs: 0, jobQueuedMs: 0, jobRunMs: 0, ...options.delays };
  let faults: EmulatorFaults = options.faults ?? {};
  let faultCounts: number[] = [];
  const calls: OperationEvent[] = [];
  const state: EmulatorState = loadState(options.stateFile);
  const busy = new Map<string, Promise<void>>();

  const save = () => {
    if (options.stateFile) writeFileSync(options.stateFile, `${JSON.stringify(state)}\n`);
  };

  const s3 = options.s3;

  function injected(operation: Operation): TranslateApiError | undefined {
    const list = faults.errors ?? [];
    for (let i = 0; i < list.length; i++) {
      const f = list[i] as InjectedError;
      const ops =
        f.operation === undefined ? undefined : Array.isArray(f.operation) ? f.operation : [f.operation];
      if (ops && !ops.includes(operation)) continue;
      if ((faultCounts[i] ?? 0) >= f.count) continue;
      faultCounts[i] = (faultCounts[i] ?? 0) + 1;
      const status = f.status ?? (THROTTLING.has(f.type) ? 429 : 400);
      return new TranslateApiError(
        f.type,
        f.message ?? `injected ${f.type} (${faultCounts[i]}/${f.count})`,
        status,
      );
    }
    return undefined;
  }

  /** Runs `fn` once at a time per key (two Describe calls must not both run the job). */
  async function exclusive(key: string, fn: () => Promise<void>): Promise<void> {
    const previous = busy.get(key);
    if (previous) await previous.catch(() => undefined);
    const current = fn();
    busy.set(key, current);
    try {
      await current;
    } finally {
      if (busy.get(key) === current) busy.delete(key);
    }
  }

  // ── parallel data ────────────────────────────────────────────────────────────────────────────

  function pdProperties(pd: ParallelDataRecord): Record<string, unknown> {
    return strip({
      Name: pd.name,
      Arn: pd.arn,
      Description: pd.description,
      Status: pd.status,
      SourceLanguageCode: pd.sourceLanguageCode,
      TargetLanguageCodes: pd.targetLanguageCodes,
      ParallelDataConfig: pd.config,
      Message: pd.message,
      ImportedDataSize: pd.importedDataSize,
      ImportedRecordCount: pd.importedRecordCount,
      FailedRecordCount: pd.failedRecordCount,
      SkippedRecordCount: pd.skippedRecordCount,
      CreatedAt: pd.createdAt / 1000,
      LastUpdatedAt: pd.lastUpdatedAt / 1000,
      LatestUpdateAttemptStatus: pd.latestUpdateAttemptStatus,
      LatestUpdateAttemptAt:
        pd.latestUpdateAttemptAt === undefined ? undefined : pd.latestUpdateAttemptAt / 1000,
    });
  }

  async function advanceParallelData(pd: ParallelDataRecord): Promise<void> {
    await exclusive(`pd:${pd.name}`, async () => {
      const pending = pd.pending;
      if (!pending || now() < pending.dueAt) return;
      const wasActive = pd.entries !== undefined;
      let failure: string | undefined;
      try {
        if (faults.parallelDataImportFails) {
          throw new ParallelDataImportError(
            typeof faults.parallelDataImportFails === 'string'
              ? faults.parallelDataImportFails
              : 'injected import failure',
          );
        }
        if (pending.config.Format === 'TMX')
          throw new ParallelDataImportError('TMX is not supported by the emulator');
        const bytes = await readS3(pending.config.S3Uri);
        const imported = importParallelData(bytes, pending.config.Format);
        pd.sourceLanguageCode = imported.languages[0];
        pd.targetLanguageCodes = imported.languages.slice(1);
        pd.importedDataSize = imported.importedDataSize;
        pd.importedRecordCount = imported.importedRecordCount;
        pd.skippedRecordCount = imported.skippedRecordCount;
        pd.failedRecordCount = imported.failedRecordCount;
        pd.entries = [...imported.entries];
        pd.config = pending.config;
        pd.message = undefined;
      } catch (error) {
        failure =
          error instanceof ParallelDataImportError
            ? `The parallel data import failed: ${error.message}`
            : error instanceof TranslateApiError
              ? error.message
              : `The parallel data import failed: ${String(error)}`;
      }
      pd.pending = undefined;
      pd.lastUpdatedAt = now();
      if (failure) {
        pd.message = failure;
        // A failed update keeps the earlier version in use (Status ACTIVE); a failed create is FAILED.
        pd.status = wasActive ? 'ACTIVE' : 'FAILED';
        if (pd.latestUpdateAttemptStatus) pd.latestUpdateAttemptStatus = 'FAILED';
      } else {
        pd.status = 'ACTIVE';
        if (pd.latestUpdateAttemptStatus) pd.latestUpdateAttemptStatus = 'ACTIVE';
      }
      save();
    });
  }

  function parseParallelDataConfig(value: unknown): ParallelDataConfig {
    const c = value as Partial<ParallelDataConfig> | undefined;
    if (!c || typeof c !== 'object') throw validation('ParallelDataConfig is required');
    if (typeof c.S3Uri !== 'string' || !c.S3Uri.startsWith('s3://')) {
      throw new TranslateApiError(
        'InvalidParameterValueException',
        'ParallelDataConfig.S3Uri must be an s3:// URI',
      );
    }
    const format = c.Format ?? 'CSV';
    if (!['CSV', 'TSV', 'TMX'].includes(format)) {
      throw new TranslateApiError(
        'InvalidParameterValueException',
        `unknown ParallelDataConfig.Format ${format}`,
      );
    }
    return { S3Uri: c.S3Uri, Format: format };
  }

  function getPd(name: unknown): ParallelDataRecord {
    if (typeof name !== 'string' || !name) throw validation('Name is required');
    const pd = state.parallelData[name];
    if (!pd)
      throw new TranslateApiError('ResourceNotFoundException', `The parallel data ${name} does not exist`);
    return pd;
  }

  // ── jobs ─────────────────────────────────────────────────────────────────────────────────────

  function outputPrefix(job: JobRecord): string {
    return `${job.output.S3Uri.replace(/\/?$/, '/')}${accountId}-TranslateText-${job.id}/`;
  }

  function jobProperties(job: JobRecord): Record<string, unknown> {
    return strip({
      JobId: job.id,
      JobName: job.name,
      JobStatus: job.status,
      JobDetails: job.details,
      SourceLanguageCode: job.sourceLanguageCode,
      TargetLanguageCodes: job.targetLanguageCodes,
      TerminologyNames: job.terminologyNames,
      ParallelDataNames: job.parallelDataNames,
      Message: job.message,
      SubmittedTime: job.submittedAt / 1000,
      EndTime: job.endAt === undefined ? undefined : job.endAt / 1000,
      InputDataConfig: job.input,
      OutputDataConfig: { ...job.output, S3Uri: outputPrefix(job) },
      DataAccessRoleArn: job.dataAccessRoleArn,
      Settings: job.settings,
    });
  }

  async function advanceJob(job: JobRecord): Promise<void> {
    await exclusive(`job:${job.id}`, async () => {
      if (job.status === 'STOP_REQUESTED') {
        job.status = 'STOPPED';
        job.endAt = now();
        save();
        return;
      }
      if (faults.jobStops && (job.status === 'SUBMITTED' || job.status === 'IN_PROGRESS')) {
        job.status = 'STOP_REQUESTED';
        job.message = 'injected: the job was stopped';
        save();
        return;
      }
      if (job.status === 'SUBMITTED' && now() >= job.inProgressAt) {
        job.status = 'IN_PROGRESS';
        save();
      }
      if (job.status !== 'IN_PROGRESS' || now() < job.dueAt) return;
      await runJob(job);
      job.endAt = now();
      save();
    });
  }

  async function runJob(job: JobRecord): Promise<void> {
    if (faults.jobFails) {
      job.status = 'FAILED';
      job.message = typeof faults.jobFails === 'string' ? faults.jobFails : 'injected job failure';
      return;
    }
    const memory = new Map(job.memory);
    const input = parseS3Uri(job.input.S3Uri);
    // The input URI names a folder: list below it (not siblings that merely share the prefix).
    const inputPrefix = input.key && !input.key.endsWith('/') ? `${input.key}/` : input.key;
    const keys = await listKeys(input.bucket, inputPrefix);
    if (keys.length === 0) {
      job.status = 'FAILED';
      job.message = `The input location ${job.input.S3Uri} contains no documents`;
      job.details = { TranslatedDocumentsCount: 0, DocumentsWithErrorsCount: 0, InputDocumentsCount: 0 };
      return;
    }
    const out = parseS3Uri(outputPrefix(job));
    let translated = 0;
    let errors = 0;
    for (const target of job.targetLanguageCodes) {
      const targetMemory = new Map<string, string>();
      for (const [source, targets] of memory) {
        const t = targets[target];
        if (t !== undefined) targetMemory.set(source, t);
      }
      const totals: TranslationStats = emptyStats();
      const translator =
        options.translator === null
          ? null
          : (options.translator ?? defaultTranslator)(job.sourceLanguageCode, target);
      let customerErrors = 0;
      const fail = (entry: Record<string, unknown>, error: unknown) => {
        if (!(error instanceof DocumentError)) throw error;
        delete entry.targetFile;
        entry.errorCode = error.code;
        entry.errorMessage = error.message;
        customerErrors++;
        errors++;
      };
      // First every document is read, then all of them are translated with ONE translator call (an
      // Apertium process costs ~3 s to start whatever its input), then each is written.
      const documents: { entry: Record<string, unknown>; targetRelative: string; text?: string }[] = [];
      for (const key of keys) {
        const relative = key.slice(inputPrefix.length);
        const slash = relative.lastIndexOf('/');
        const targetRelative = `${relative.slice(0, slash + 1)}${target}.${relative.slice(slash + 1)}`;
        const entry: Record<string, unknown> = { sourceFile: relative, targetFile: targetRelative };
        const doc: (typeof documents)[number] = { entry, targetRelative };
        documents.push(doc);
        try {
          if (faults.documentsFail?.some((s) => key.includes(s))) {
            throw new DocumentError('InternalServerException', 'injected document failure');
          }
          const bytes = await readS3(`s3://${input.bucket}/${key}`);
          if (bytes.length > MAX_DOCUMENT_BYTES)
            throw new DocumentError('DocumentTooLarge', 'the document exceeds 20 MB');
          try {
            doc.text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
          } catch {
            throw new DocumentError('InvalidEncoding', 'the document is not valid UTF-8');
          }
        } catch (error) {
          fail(entry, error);
        }
      }
      const readable = documents.filter((d) => d.text !== undefined);
      const texts = readable.map((d) => d.text as string);
      const results =
        job.input.ContentType === 'text/html'
          ? (await emulateHtmlTranslationsWith(texts, targetMemory, translator)).map((r) => ({
              body: r.html,
              stats: r.stats,
            }))
          : texts.map((text) => {
              const r = emulatePlainTranslation(text, targetMemory);
              return { body: r.text, stats: r.stats };
            });
      for (const [i, { entry, targetRelative, text }] of readable.entries()) {
        const result = results[i] as { body: string; stats: TranslationStats };
        try {
          if (
            Buffer.byteLength(text as string) > MAX_TRANSLATABLE_BYTES &&
            result.stats.characters > MAX_TRANSLATABLE_BYTES
          ) {
            throw new DocumentError('DocumentTooLarge', 'the translatable text exceeds 1 MB');
          }
          await s3.send(
            new PutObjectCommand({
              Bucket: out.bucket,
              Key: `${out.key}${targetRelative}`,
              Body: result.body,
              ContentType: job.input.ContentType,
            }),
          );
          for (const k of Object.keys(totals) as (keyof TranslationStats)[]) totals[k] += result.stats[k];
          entry.auxiliaryData = {
            charactersTranslated: String(result.stats.characters),
            emulator: {
              sentences: result.stats.sentences,
              sentencesFromParallelData: result.stats.sentencesFromParallelData,
              sentencesUntranslated: result.stats.sentencesUntranslated,
              sentencesMachineTranslated: result.stats.sentencesMachineTranslated,
              charactersMachineTranslated: result.stats.charactersMachineTranslated,
            },
          };
          translated++;
        } catch (error) {
          fail(entry, error);
        }
      }
      const details = documents.map((d) => d.entry);
      const aux = {
        sourceLanguageCode: job.sourceLanguageCode,
        targetLanguageCode: target,
        charactersTranslated: String(totals.characters),
        documentCountWithCustomerError: String(customerErrors),
        documentCountWithServerError: '0',
        inputDataPrefix: job.input.S3Uri,
        outputDataPrefix: outputPrefix(job),
        emulator: {
          note: translator
            ? `Offline emulator: exact sentence matches from the parallel data take its human target; everything else is machine translated by ${translator.name} (translate="no" content kept as it is).`
            : 'Offline emulator: only exact sentence matches from the parallel data are translated; everything else is returned unchanged inside <span class="amts-untranslated">.',
          machineTranslator: translator?.name ?? null,
          sentences: totals.sentences,
          sentencesFromParallelData: totals.sentencesFromParallelData,
          sentencesUntranslated: totals.sentencesUntranslated,
          sentencesMachineTranslated: totals.sentencesMachineTranslated,
          charactersMachineTranslated: totals.charactersMachineTranslated,
        },
        details,
      };
      await s3.send(
        new PutObjectCommand({
          Bucket: out.bucket,
          Key: `${out.key}details/${target}.auxiliary-translation-details.json`,
          Body: JSON.stringify(aux, null, 2),
          ContentType: 'application/json',
        }),
      );
    }
    const perTarget = job.targetLanguageCodes.length;
    job.details = {
      TranslatedDocumentsCount: translated / perTarget,
      DocumentsWithErrorsCount: errors / perTarget,
      InputDocumentsCount: keys.length,
    };
    if (errors === 0) job.status = 'COMPLETED';
    else if (translated === 0) {
      job.status = 'FAILED';
      job.message = 'All documents failed to translate; see the details file in the output location';
    } else {
      job.status = 'COMPLETED_WITH_ERROR';
      job.message = `${errors / perTarget} document(s) failed; see the details file in the output location`;
    }
  }

  function getJob(id: unknown): JobRecord {
    if (typeof id !== 'string' || !id) throw validation('JobId is required');
    const job = state.jobs[id];
    if (!job) throw new TranslateApiError('ResourceNotFoundException', `The job ${id} does not exist`);
    return job;
  }

  // ── S3 helpers ───────────────────────────────────────────────────────────────────────────────

  async function readS3(uri: string): Promise<Uint8Array> {
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

  async function listKeys(bucket: string, prefix: string): Promise<string[]> {
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

  // ── operations ───────────────────────────────────────────────────────────────────────────────

  /**
   * ClientToken as the Translate API reference describes it: "a unique identifier for the request". The
   * same token with the same parameters is the same request: its first result is answered again and
   * nothing happens twice. The same token with OTHER parameters is a different request reusing an
   * identifier: refused with ConflictException ("There was a conflict processing the request", the error
   * Create/UpdateParallelData and StartTextTranslationJob list for it; the reference names no dedicated
   * mismatch error).
   */
  function idempotent(op: string, body: Record<string, unknown>, fn: () => Record<string, unknown>) {
    const token = body.ClientToken;
    let fingerprint = '';
    if (token !== undefined) {
      if (typeof token !== 'string' || !TOKEN.test(token) || token.length > 64) {
        throw validation('ClientToken must match [a-zA-Z0-9-]+ (1–64 characters)');
      }
      const { ClientToken: _omit, ...parameters } = body;
      fingerprint = canonicalJson(parameters);
      const seen = state.clientTokens[`${op}:${token}`];
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          throw new TranslateApiError(
            'ConflictException',
            `ClientToken ${token} was already used for a ${op} request with other parameters`,
          );
        }
        return seen.result;
      }
    }
    const result = fn();
    if (typeof token === 'string') state.clientTokens[`${op}:${token}`] = { fingerprint, result };
    save();
    return result;
  }

  const handlers: Record<Operation, (body: Record<string, unknown>) => Promise<Record<string, unknown>>> = {
    async CreateParallelData(body) {
      return idempotent('CreateParallelData', body, () => {
        const name = body.Name;
        if (typeof name !== 'string' || !NAME.test(name) || name.length > 256) {
          throw validation('Name must match ^([A-Za-z0-9-]_?)+$ (1–256 characters)');
        }
        if (state.parallelData[name]) {
          throw new TranslateApiError('ConflictException', `The parallel data ${name} already exists`);
        }
        const config = parseParallelDataConfig(body.ParallelDataConfig);
        const t = now();
        state.parallelData[name] = {
          name,
          arn: `arn:aws:translate:${region}:${accountId}:parallel-data/${name}`,
          description: typeof body.Description === 'string' ? body.Description : undefined,
          status: 'CREATING',
          config,
          createdAt: t,
          lastUpdatedAt: t,
          pending: { config, dueAt: t + delays.parallelDataMs },
        };
        return { Name: name, Status: 'CREATING' };
      });
    },
    async UpdateParallelData(body) {
      const pd = getPd(body.Name);
      await advanceParallelData(pd);
      return idempotent('UpdateParallelData', body, () => {
        if (pd.pending || (pd.status !== 'ACTIVE' && pd.status !== 'FAILED')) {
          throw new TranslateApiError(
            'ConcurrentModificationException',
            `The parallel data ${pd.name} is ${pd.latestUpdateAttemptStatus === 'UPDATING' ? 'UPDATING' : pd.status}; another modification must complete first`,
          );
        }
        const config = parseParallelDataConfig(body.ParallelDataConfig);
        const t = now();
        if (typeof body.Description === 'string') pd.description = body.Description;
        if (pd.status === 'FAILED') pd.status = 'UPDATING';
        pd.latestUpdateAttemptStatus = 'UPDATING';
        pd.latestUpdateAttemptAt = t;
        pd.pending = { config, dueAt: t + delays.parallelDataMs };
        return {
          Name: pd.name,
          Status: pd.status,
          LatestUpdateAttemptStatus: 'UPDATING',
          LatestUpdateAttemptAt: t / 1000,
        };
      });
    },
    async GetParallelData(body) {
      const pd = getPd(body.Name);
      await advanceParallelData(pd);
      return {
        ParallelDataProperties: pdProperties(pd),
        DataLocation: { RepositoryType: 'S3', Location: pd.config.S3Uri },
      };
    },
    async ListParallelData() {
      const all = Object.values(state.parallelData);
      for (const pd of all) await advanceParallelData(pd);
      return { ParallelDataPropertiesList: all.map(pdProperties) };
    },
    async DeleteParallelData(body) {
      const pd = getPd(body.Name);
      delete state.parallelData[pd.name];
      save();
      return { Name: pd.name, Status: 'DELETING' };
    },
    async StartTextTranslationJob(body) {
      const input = body.InputDataConfig as { S3Uri?: unknown; ContentType?: unknown } | undefined;
      const output = body.OutputDataConfig as { S3Uri?: unknown; EncryptionKey?: unknown } | undefined;
      if (!input || typeof input.S3Uri !== 'string' || typeof input.ContentType !== 'string') {
        throw validation('InputDataConfig.S3Uri and InputDataConfig.ContentType are required');
      }
      if (!output || typeof output.S3Uri !== 'string') throw validation('OutputDataConfig.S3Uri is required');
      parseS3Uri(input.S3Uri);
      parseS3Uri(output.S3Uri);
      const contentType = input.ContentType;
      if (!['text/html', 'text/plain'].includes(contentType)) {
        throw new TranslateApiError(
          'InvalidRequestException',
          `The emulator supports text/html and text/plain, not ${contentType}`,
        );
      }
      if (typeof body.DataAccessRoleArn !== 'string' || !ROLE.test(body.DataAccessRoleArn)) {
        throw validation('DataAccessRoleArn must be an IAM role ARN');
      }
      const source = body.SourceLanguageCode;
      const targets = body.TargetLanguageCodes;
      if (typeof source !== 'string' || !Array.isArray(targets) || targets.length === 0) {
        throw validation('SourceLanguageCode and TargetLanguageCodes are required');
      }
      if (targets.includes(source)) {
        throw new TranslateApiError(
          'UnsupportedLanguagePairException',
          `${source} → ${source} is not a language pair`,
        );
      }
      const pdNames = (body.ParallelDataNames as string[] | undefined) ?? [];
      if (pdNames.length > 1) throw validation('At most one parallel data resource per job');
      const memory: [string, Record<string, string>][] = [];
      for (const name of pdNames) {
        const pd = getPd(name);
        await advanceParallelData(pd);
        if (!pd.entries) {
          throw new TranslateApiError(
            'InvalidRequestException',
            `The parallel data ${name} is ${pd.status}; it must be ACTIVE to be used by a job`,
          );
        }
        if (
          pd.sourceLanguageCode !== source ||
          !targets.every((t: string) => pd.targetLanguageCodes?.includes(t))
        ) {
          throw new TranslateApiError(
            'InvalidParameterValueException',
            `The parallel data ${name} (${pd.sourceLanguageCode} → ${pd.targetLanguageCodes?.join(',')}) does not match ${source} → ${targets.join(',')}`,
          );
        }
        memory.push(...pd.entries);
      }
      return idempotent('StartTextTranslationJob', body, () => {
        const running = Object.values(state.jobs).filter((j) =>
          ['SUBMITTED', 'IN_PROGRESS'].includes(j.status),
        );
        if (running.length >= 10) {
          throw new TranslateApiError('LimitExceededException', 'There are already 10 concurrent jobs');
        }
        const t = now();
        const id = randomUUID().replace(/-/g, '');
        state.jobs[id] = {
          id,
          name: typeof body.JobName === 'string' ? body.JobName : undefined,
          status: 'SUBMITTED',
          sourceLanguageCode: source,
          targetLanguageCodes: targets as string[],
          parallelDataNames: pdNames,
          terminologyNames: (body.TerminologyNames as string[] | undefined) ?? [],
          input: { S3Uri: input.S3Uri as string, ContentType: contentType },
          output: strip({
            S3Uri: output.S3Uri as string,
            EncryptionKey: output.EncryptionKey,
          }) as JobRecord['output'],
          dataAccessRoleArn: body.DataAccessRoleArn as string,
          settings: body.Settings as Record<string, unknown> | undefined,
          submittedAt: t,
          inProgressAt: t + delays.jobQueuedMs,
          dueAt: t + delays.jobQueuedMs + delays.jobRunMs,
          memory,
        };
        return { JobId: id, JobStatus: 'SUBMITTED' };
      });
    },
    async DescribeTextTranslationJob(body) {
      const job = getJob(body.JobId);
      await advanceJob(job);
      return { TextTranslationJobProperties: jobProperties(job) };
    },
    async StopTextTranslationJob(body) {
      const job = getJob(body.JobId);
      await advanceJob(job);
      if (job.status === 'SUBMITTED' || job.status === 'IN_PROGRESS') {
        job.status = 'STOP_REQUESTED';
        save();
      }
      return { JobId: job.id, JobStatus: job.status };
    },
    async ListTextTranslationJobs(body) {
      const filter = (body.Filter as { JobName?: string; JobStatus?: string } | undefined) ?? {};
      const jobs = Object.values(state.jobs);
      for (const j of jobs) await advanceJob(j);
      return {
        TextTranslationJobPropertiesList: jobs
          .filter((j) => (filter.JobName ? j.name === filter.JobName : true))
          .filter((j) => (filter.JobStatus ? j.status === filter.JobStatus : true))
          .map(jobProperties),
      };
    },
    async TranslateText(body) {
      const text = body.Text;
      const source = body.SourceLanguageCode;
      const target = body.TargetLanguageCode;
      if (typeof text !== 'string' || typeof source !== 'string' || typeof target !== 'string') {
        throw validation('Text, SourceLanguageCode and TargetLanguageCode are required');
      }
      if (Buffer.byteLength(text) > MAX_TEXT_BYTES) {
        throw new TranslateApiError('TextSizeLimitExceededException', 'Text exceeds 10,000 bytes');
      }
      // Real TranslateText ignores parallel data; the emulator has nothing else to translate with, so it
      // uses exact sentence matches from any ACTIVE parallel data of the same pair (documented).
      const memory = new Map<string, string>();
      for (const pd of Object.values(state.parallelData)) {
        if (pd.sourceLanguageCode !== source || !pd.entries) continue;
        for (const [s, targets] of pd.entries)
          if (targets[target] !== undefined) memory.set(s, targets[target]);
      }
      const { text: translated } = emulatePlainTranslation(text, memory);
      return { TranslatedText: translated, SourceLanguageCode: source, TargetLanguageCode: target };
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    let body: Record<string, unknown> = {};
    const event: OperationEvent = { operation: operation || target, request: body };
    try {
      if (req.method !== 'POST')
        throw new TranslateApiError('UnknownOperationException', 'POST / expected', 404);
      if (!(OPERATIONS as readonly string[]).includes(operation)) {
        throw new TranslateApiError(
          'UnknownOperationException',
          `Unknown operation ${target || '(no X-Amz-Target)'}`,
        );
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        throw new TranslateApiError('SerializationException', 'The request body is not valid JSON');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new TranslateApiError('SerializationException', 'The request body must be a JSON object');
      }
      event.request = body;
      const fault = injected(operation as Operation);
      if (fault) throw fault;
      const result = await handlers[operation as Operation](body);
      event.response = result;
      send(res, 200, result);
    } catch (error) {
      const e =
        error instanceof TranslateApiError
          ? error
          : new TranslateApiError(
              'InternalServerException',
              error instanceof Error ? error.message : String(error),
              500,
            );
      event.error = { type: e.type, message: e.message };
      send(res, e.status, { __type: e.type, message: e.message }, e.type);
    }
    calls.push(event);
    options.onOperation?.(event);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { __type: 'InternalServerException', message: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    accountId,
    region,
    calls,
    setFaults(next) {
      faults = next;
      faultCounts = [];
    },
    state: () => structuredClone(state),
    reset() {
      state.parallelData = {};
      state.jobs = {};
      state.clientTokens = {};
      faultCounts = [];
      calls.length = 0;
      save();
    },
    async stop() {
      await Promise.allSettled([...busy.values()]);
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closing;
    },
  };
}

class DocumentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, errorType?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}

function validation(message: string): TranslateApiError {
  return new TranslateApiError('ValidationException', message);
}

/** `s3://bucket/key` → parts; InvalidParameterValueException otherwise. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new TranslateApiError('InvalidParameterValueException', `${uri} is not an s3:// URI`);
  return { bucket: m[1] as string, key: m[2] as string };
}

function strip<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function loadState(file: string | undefined): EmulatorState {
  const empty: EmulatorState = { parallelData: {}, jobs: {}, clientTokens: {} };
  if (!file) return empty;
  try {
    const loaded = { ...empty, ...(JSON.parse(readFileSync(file, 'utf8')) as EmulatorState) };
    // Tokens recorded before requests were fingerprinted cannot be compared: forget them.
    loaded.clientTokens = Object.fromEntries(
      Object.entries(loaded.clientTokens ?? {}).filter(([, v]) => typeof v?.fingerprint === 'string'),
    );
    return loaded;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty;
    throw new Error(`${file}: the emulator state is not readable JSON`, { cause: error });
  }
}

export { normalizeSentence };
