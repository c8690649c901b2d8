/**
 * The sync state of a language pair in S3, with optimistic concurrency and a per-pair run lock.
 *
 * - State (sharded, lambdas/core/sync/state-index.ts): the index `state/<src>-<tgt>/sync-state.json`,
 *   read with its ETag and committed with `IfMatch: <etag>` (or `IfNoneMatch: '*'` when it did not
 *   exist): a run that read an older state can never overwrite a newer one. One shard per document
 *   under `state/<src>-<tgt>/documents/`, written before the index (conditional on the ETag read when
 *   this process read the shard): a run reads and writes only the documents it works on. A shard
 *   written by a commit whose index write then failed (a crash, a lost race) holds the state of the
 *   `translated/` file that commit wrote (files are written first, each conditional on its own ETag,
 *   so no two runs write the same document): the next run reads it as the document's state. S3 conditional writes: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 *   (412 Precondition Failed when the condition fails; 409 ConditionalRequestConflict when another
 *   conditional write to the key is in flight — both mean "someone else got there first").
 * - Lock: `state/<src>-<tgt>/run.lock`, created with `IfNoneMatch: '*'`, holding `{ runId, acquiredAt,
 *   expiresAt }`. Re-acquiring with the same run id succeeds (a retried task is idempotent); a lock past
 *   its `expiresAt` (the execution's own timeout: it cannot run any more) or, without one, older than the
 *   TTL is taken over with `IfMatch` on its ETag (a crashed run cannot block a pair forever). Executions
 *   that end without releasing it (TIMED_OUT, ABORTED) have it released by lambdas/release-lock.
 *
 * S3-compatible servers that ignore conditional headers on PUT (s3rver 3.7 does: it only honours
 * If-None-Match on GET) get `conditionalWrites: 'emulated'`: compare-then-put serialised inside this
 * process. That is exact for the local runner (one process) and NOT safe across processes.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ConcurrentRunError, InvalidInputError } from '../core/errors';
import { PAIR_ID } from '../core/language';
import { mapBounded } from '../core/pool';
import type { DocumentState, SyncState } from '../core/sync/api';
import type { SettledDocument } from '../core/sync/changes';
import { parseSyncState } from '../core/sync/state';
import {
  applyIndexChange,
  emptyStateIndex,
  indexOfState,
  parseShard,
  parseStateObject,
  type StateIndex,
  serializeShard,
  serializeStateIndex,
  shardName,
} from '../core/sync/state-index';
import { EXECUTION_TIMEOUT_SECONDS } from '../core/workflow/execution-event';
import { requireConditionHeader } from './s3';

/** Options of {@link StateStore}. */
export interface StateStoreOptions {
  client: S3Client;
  bucket: string;
  /** `<src>-<tgt>`, e.g. `en-zh`. */
  pair: string;
  /** `native` (AWS S3, default) or `emulated` (single-process S3-compatible servers without conditional PUT). */
  conditionalWrites?: 'native' | 'emulated';
  /**
   * Age after which a lock without `expiresAt` is considered abandoned and may be taken over. Default: the
   * execution timeout (EXECUTION_TIMEOUT_SECONDS, 6 days): no lock outlives the execution that took it.
   */
  lockTtlMs?: number;
  /** Clock (injectable for tests). */
  now?: () => Date;
}

/** The state as read, with the ETag to commit against (`null`: no state object yet). */
export interface ReadState {
  state: SyncState;
  etag: string | null;
}

/** The index as read, with the ETag to commit against (`null`: no state object yet). */
export interface ReadIndex {
  index: StateIndex;
  etag: string | null;
}

/** What {@link StateStore.commitDocuments} records besides the documents it writes. */
export interface CommitOptions {
  /** The committing run: becomes `lastRunId` (omit to record listings only, as Plan does). */
  runId?: string;
  /** Documents found up to date (their listing and report line), or changed (`null`). */
  settled?: ReadonlyMap<string, SettledDocument | null>;
}

/** Shards read or written at once. */
const SHARD_CONCURRENCY = 16;

const eachLimited = async <T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> => {
  await mapBounded(items, SHARD_CONCURRENCY, task);
};

/** Contents of the lock object. */
export interface RunLock {
  runId: string;
  acquiredAt: string;
  /** When the holder can no longer be running (its execution's timeout); absent in older locks. */
  expiresAt?: string;
}

const DEFAULT_LOCK_TTL_MS = EXECUTION_TIMEOUT_SECONDS * 1000;

/** Serialises emulated conditional writes per object within this process. */
const emulationQueues = new Map<string, Promise<unknown>>();
function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = emulationQueues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  emulationQueues.set(key, settled);
  void settled.then(() => {
    if (emulationQueues.get(key) === settled) emulationQueues.delete(key);
  });
  return run;
}

function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isConditionFailure(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return (
    name === 'PreconditionFailed' ||
    name === 'ConditionalRequestConflict' ||
    status(error) === 412 ||
    status(error) === 409
  );
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound' || status(error) === 404;
}

/** Reads and commits the sync state of one pair, and holds its run lock. */
export class StateStore {
  readonly stateKey: string;
  readonly lockKey: string;
  /** Folder of the per-document shards. */
  readonly shardPrefix: string;
  /** Per path: the shard's ETag and text as this process last read or wrote it. */
  private readonly shards = new Map<string, { etag: string; text: string }>();
  /** A whole (version 1–3) state read from the state key: its documents, until a commit shards them. */
  private whole: SyncState | null = null;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly pair: string;
  private readonly mode: 'native' | 'emulated';
  private readonly lockTtlMs: number;
  private readonly now: () => Date;

  constructor(options: StateStoreOptions) {
    if (!PAIR_ID.test(options.pair)) {
      throw new InvalidInputError(`pair ${JSON.stringify(options.pair)}: expected <src>-<tgt>, e.g. en-zh`);
    }
    this.client = options.client;
    this.bucket = options.bucket;
    this.pair = options.pair;
    this.mode = options.conditionalWrites ?? 'native';
    this.lockTtlMs = options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
    this.now = options.now ?? (() => new Date());
    this.stateKey = `state/${options.pair}/sync-state.json`;
    this.lockKey = `state/${options.pair}/run.lock`;
    this.shardPrefix = `state/${options.pair}/documents/`;
  }

  /** Key of a document's shard. */
  shardKey(path: string): string {
    return this.shardPrefix + shardName(path);
  }

  private uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private async get(key: string): Promise<{ text: string; etag: string } | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const text = out.Body ? await out.Body.transformToString('utf-8') : '';
      if (!out.ETag) throw new InvalidInputError(`${this.uri(key)}: S3 returned no ETag`);
      return { text, etag: out.ETag };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /**
   * Conditional PUT: `etag` = the ETag the writer last saw, `null` = the object must not exist.
   * @returns the new ETag.
   * @throws ConcurrentRunError when the object changed (or appeared) since.
   */
  private async putIf(key: string, body: string, etag: string | null, what: string): Promise<string> {
    const input: PutObjectCommandInput = {
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ContentType: 'application/json',
    };
    const conflict = (cause?: unknown) =>
      new ConcurrentRunError(
        `${this.uri(key)}: ${what} changed since it was read (expected ${etag === null ? 'no object' : `ETag ${etag}`}); another run of ${this.pair} got there first`,
        cause === undefined ? undefined : { cause },
      );
    if (this.mode === 'emulated') {
      return serialised(`${this.bucket}/${key}`, async () => {
        const current = await this.get(key);
        if ((current?.etag ?? null) !== etag) throw conflict();
        const out = await this.client.send(new PutObjectCommand(input));
        return out.ETag ?? '';
      });
    }
    if (etag === null) input.IfNoneMatch = '*';
    else input.IfMatch = etag;
    const command = new PutObjectCommand(input);
    requireConditionHeader(command, etag === null ? 'if-none-match' : 'if-match', 'PutObject');
    try {
      const out = await this.client.send(command);
      return out.ETag ?? '';
    } catch (error) {
      if (isConditionFailure(error)) throw conflict(error);
      throw error;
    }
  }

  /**
   * The index and its ETag (an empty index, ETag `null`, when the pair has no state yet). A whole
   * version 1–3 state is indexed as it is (nothing settled); its documents are kept for readDocuments.
   */
  async readIndex(): Promise<ReadIndex> {
    const got = await this.get(this.stateKey);
    if (!got) {
      this.whole = null;
      return { index: emptyStateIndex(this.pair), etag: null };
    }
    const parsed = parseStateObject(got.text, this.uri(this.stateKey), this.pair);
    this.whole = parsed.whole;
    return { index: parsed.index ?? indexOfState(parsed.whole), etag: got.etag };
  }

  /**
   * The states of the given documents (those without one are left out), from their shards (or from a
   * whole older state read by readIndex). Call readIndex first.
   */
  async readDocuments(paths: Iterable<string>): Promise<Record<string, DocumentState>> {
    const out: Record<string, DocumentState> = {};
    const wanted = [...new Set(paths)];
    if (this.whole) {
      for (const path of wanted) {
        const doc = this.whole.documents[path];
        if (doc) out[path] = doc;
      }
      return out;
    }
    await eachLimited(wanted, async (path) => {
      const key = this.shardKey(path);
      const got = await this.get(key);
      if (!got) return;
      out[path] = parseShard(got.text, this.uri(key), this.pair, path);
      this.shards.set(path, got);
    });
    return out;
  }

  /** The whole state (the index and every shard) and the index's ETag; empty (ETag `null`) when none. */
  async read(): Promise<ReadState> {
    const { index, etag } = await this.readIndex();
    const documents = await this.readDocuments(Object.keys(index.documents));
    return { state: { version: 3, pair: this.pair, lastRunId: index.lastRunId, documents }, etag };
  }

  /**
   * Commits the given documents (one shard each) and the index, if nobody committed since `etag` was
   * read. Documents not given keep their shard and entry. Call it only after every translated document
   * of the run is written. A whole older state is sharded by the first commit (every document written).
   * @returns the index's new ETag.
   * @throws ConcurrentRunError when another run committed in between (the index is left as that run wrote it).
   */
  async commitDocuments(
    documents: ReadonlyMap<string, DocumentState>,
    etag: string | null,
    options: CommitOptions = {},
  ): Promise<string> {
    const current = await this.get(this.stateKey);
    if ((current?.etag ?? null) !== etag) {
      throw new ConcurrentRunError(
        `${this.uri(this.stateKey)}: the sync state changed since it was read (expected ${etag === null ? 'no object' : `ETag ${etag}`}); another run of ${this.pair} got there first`,
      );
    }
    const parsed = current ? parseStateObject(current.text, this.uri(this.stateKey), this.pair) : null;
    const index = parsed ? (parsed.index ?? indexOfState(parsed.whole)) : emptyStateIndex(this.pair);
    const written = new Map<string, DocumentState>(
      parsed?.whole ? Object.entries(parsed.whole.documents) : [],
    );
    for (const [path, doc] of documents) written.set(path, doc);
    await eachLimited([...written], async ([path, doc]) => {
      const text = serializeShard(this.pair, path, doc);
      const known = this.shards.get(path);
      if (known?.text === text && !parsed?.whole) return; // unchanged
      const key = this.shardKey(path);
      const newEtag = known
        ? await this.putIf(key, text, known.etag, `the sync state of ${path}`)
        : await this.put(key, text);
      this.shards.set(path, { etag: newEtag, text });
    });
    const next = applyIndexChange(index, {
      written,
      ...(options.settled ? { settled: options.settled } : {}),
      ...(options.runId !== undefined ? { lastRunId: options.runId } : {}),
    });
    this.whole = null;
    return this.putIf(this.stateKey, serializeStateIndex(next), etag, 'the sync state');
  }

  /**
   * Commits a whole state (every document of it; those unchanged since this process read them are not
   * rewritten) if nobody committed since `etag` was read.
   * @returns the new ETag.
   * @throws ConcurrentRunError when another run committed in between.
   */
  async commit(state: SyncState, etag: string | null): Promise<string> {
    if (state.pair !== this.pair) {
      throw new InvalidInputError(`refusing to commit a ${state.pair} state to ${this.uri(this.stateKey)}`);
    }
    const checked = parseSyncState(state, 'state to commit');
    return this.commitDocuments(new Map(Object.entries(checked.documents)), etag, {
      ...(checked.lastRunId !== null ? { runId: checked.lastRunId } : {}),
    });
  }

  /** Unconditional PUT of a shard (one this process never read: new, or written by a failed commit). */
  private async put(key: string, body: string): Promise<string> {
    const out = await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }),
    );
    return out.ETag ?? '';
  }

  /**
   * Takes the pair's run lock for `runId`; `expiresAt` (ISO 8601): when the run can no longer be running
   * (lockExpiry of its execution start), after which another run may take the lock over.
   * @throws ConcurrentRunError when another run holds a lock that has not expired.
   */
  async acquireLock(runId: string, options: { expiresAt?: string } = {}): Promise<RunLock> {
    if (runId.length === 0) throw new InvalidInputError('runId must not be empty');
    if (options.expiresAt !== undefined && Number.isNaN(Date.parse(options.expiresAt))) {
      throw new InvalidInputError(`expiresAt "${options.expiresAt}" is not an ISO 8601 timestamp`);
    }
    const lock: RunLock = { runId, acquiredAt: this.now().toISOString() };
    if (options.expiresAt !== undefined) lock.expiresAt = new Date(options.expiresAt).toISOString();
    const body = `${JSON.stringify(lock)}\n`;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.putIf(this.lockKey, body, null, 'the run lock');
        return lock;
      } catch (error) {
        if (!(error instanceof ConcurrentRunError)) throw error;
      }
      const current = await this.get(this.lockKey);
      if (!current) {
        // Released in between: try again (bounded: a flapping lock means heavy contention).
        if (attempt >= 3)
          throw new ConcurrentRunError(`${this.pair}: the run lock ${this.uri(this.lockKey)} keeps changing`);
        continue;
      }
      const held = parseLock(current.text);
      if (held?.runId === runId) return held;
      if (held && !this.expired(held)) {
        throw new ConcurrentRunError(
          `${this.pair}: run ${held.runId} holds the lock ${this.uri(this.lockKey)} since ${held.acquiredAt}; ` +
            `try again when it ends (the lock expires ${held.expiresAt ?? `${Math.round(this.lockTtlMs / 3600_000)} h after it was taken`})`,
        );
      }
      // Expired (or unreadable) lock: take it over, unless someone else does first.
      await this.putIf(this.lockKey, body, current.etag, 'the run lock');
      return lock;
    }
  }

  /** Past its `expiresAt`, or (an older lock without one) older than the TTL. */
  private expired(lock: RunLock): boolean {
    const now = this.now().getTime();
    if (lock.expiresAt !== undefined) return now >= Date.parse(lock.expiresAt);
    return now - Date.parse(lock.acquiredAt) > this.lockTtlMs;
  }

  /**
   * Releases the lock if `runId` holds it. Returns false (and leaves the lock alone) when another run
   * holds it or there is none: a late release never frees someone else's lock.
   */
  async releaseLock(runId: string): Promise<boolean> {
    const current = await this.get(this.lockKey);
    if (!current || parseLock(current.text)?.runId !== runId) return false;
    if (this.mode === 'emulated') {
      return serialised(`${this.bucket}/${this.lockKey}`, async () => {
        const again = await this.get(this.lockKey);
        if (again?.etag !== current.etag) return false;
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.lockKey }));
        return true;
      });
    }
    try {
      // Conditional delete (If-Match) is supported by general purpose buckets since 2024.
      const command = new DeleteObjectCommand({
        Bucket: this.bucket,
        Key: this.lockKey,
        IfMatch: current.etag,
      });
      requireConditionHeader(command, 'if-match', 'DeleteObject');
      await this.client.send(command);
      return true;
    } catch (error) {
      if (isConditionFailure(error) || isNotFound(error)) return false;
      throw error;
    }
  }
}

function parseLock(text: string): RunLock | null {
  try {
    const value = JSON.parse(text) as Partial<RunLock>;
    if (
      typeof value.runId === 'string' &&
      typeof value.acquiredAt === 'string' &&
      !Number.isNaN(Date.parse(value.acquiredAt))
    ) {
      const lock: RunLock = { runId: value.runId, acquiredAt: value.acquiredAt };
      if (typeof value.expiresAt === 'string' && !Number.isNaN(Date.parse(value.expiresAt))) {
        lock.expiresAt = value.expiresAt;
      }
      return lock;
    }
  } catch {
    // An unreadable lock is treated as abandoned.
  }
  return null;
}
