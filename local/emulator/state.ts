/**
 * What the emulator remembers: parallel-data resources, jobs and client tokens, optionally kept in a
 * JSON file so a later process sees the resources of an earlier one (`DATADIR/translate-state.json`).
 * Also the two rules that guard that state: one advance at a time per resource, and ClientToken
 * idempotency.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { canonicalJson } from '../../lambdas/core/workflow/names';
import { TranslateApiError, validation } from './protocol';

export interface ParallelDataConfig {
  S3Uri: string;
  Format: 'CSV' | 'TSV' | 'TMX';
}

export interface ParallelDataRecord {
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

export type JobStatus =
  | 'SUBMITTED'
  | 'IN_PROGRESS'
  | 'COMPLETED'
  | 'COMPLETED_WITH_ERROR'
  | 'FAILED'
  | 'STOP_REQUESTED'
  | 'STOPPED';

export interface JobRecord {
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

const TOKEN = /^[a-zA-Z0-9-]+$/;

/** The state, where it is saved, and the work in flight on it. */
export class EmulatorStore {
  readonly state: EmulatorState;
  private readonly busy = new Map<string, Promise<void>>();

  constructor(private readonly file?: string) {
    this.state = loadState(file);
  }

  /** Writes the state to its file, when it has one. */
  save(): void {
    if (this.file) writeFileSync(this.file, `${JSON.stringify(this.state)}\n`);
  }

  /** Forgets every resource, job and client token. */
  clear(): void {
    this.state.parallelData = {};
    this.state.jobs = {};
    this.state.clientTokens = {};
    this.save();
  }

  /** Runs `fn` once at a time per key (two Describe calls must not both run the job). */
  async exclusive(key: string, fn: () => Promise<void>): Promise<void> {
    const previous = this.busy.get(key);
    if (previous) await previous.catch(() => undefined);
    const current = fn();
    this.busy.set(key, current);
    try {
      await current;
    } finally {
      if (this.busy.get(key) === current) this.busy.delete(key);
    }
  }

  /** Settles when the work in flight has (for a clean stop). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.busy.values()]);
  }

  /**
   * ClientToken as the Translate API reference describes it: "a unique identifier for the request". The
   * same token with the same parameters is the same request: its first result is answered again and
   * nothing happens twice. The same token with OTHER parameters is a different request reusing an
   * identifier: refused with ConflictException ("There was a conflict processing the request", the error
   * Create/UpdateParallelData and StartTextTranslationJob list for it; the reference names no dedicated
   * mismatch error).
   */
  idempotent(
    op: string,
    body: Record<string, unknown>,
    fn: () => Record<string, unknown>,
  ): Record<string, unknown> {
    const token = body.ClientToken;
    let fingerprint = '';
    if (token !== undefined) {
      if (typeof token !== 'string' || !TOKEN.test(token) || token.length > 64) {
        throw validation('ClientToken must match [a-zA-Z0-9-]+ (1–64 characters)');
      }
      const { ClientToken: _omit, ...parameters } = body;
      fingerprint = canonicalJson(parameters);
      const seen = this.state.clientTokens[`${op}:${token}`];
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
    if (typeof token === 'string') this.state.clientTokens[`${op}:${token}`] = { fingerprint, result };
    this.save();
    return result;
  }
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
