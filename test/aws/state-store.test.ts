import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../lambdas/aws/state-store';
import { ConcurrentRunError, InvalidInputError } from '../../lambdas/core/errors';
import { emptySyncState, SYNC_STATE_VERSION, serializeSyncState } from '../../lambdas/core/sync/state';
import { STATE_INDEX_VERSION, shardName } from '../../lambdas/core/sync/state-index';
import { EXECUTION_TIMEOUT_SECONDS, lockExpiry } from '../../lambdas/core/workflow/execution-event';

const s3Mock = mockClient(S3Client);

function s3Error(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message: name });
}

/** An in-memory bucket that honours If-Match / If-None-Match like S3 (412 when the condition fails). */
function fakeBucket(opts: { honourConditions: boolean } = { honourConditions: true }) {
  const objects = new Map<string, { body: string; etag: string }>();
  let version = 0;
  s3Mock.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const o = objects.get(input.Key);
    if (!o) throw s3Error('NoSuchKey', 404);
    return { ETag: o.etag, Body: { transformToString: async () => o.body } };
  });
  s3Mock
    .on(PutObjectCommand)
    .callsFake((input: { Key: string; Body: string; IfMatch?: string; IfNoneMatch?: string }) => {
      const o = objects.get(input.Key);
      if (opts.honourConditions) {
        if (input.IfNoneMatch === '*' && o) throw s3Error('PreconditionFailed', 412);
        if (input.IfMatch !== undefined && o?.etag !== input.IfMatch)
          throw s3Error('PreconditionFailed', 412);
      }
      version++;
      const etag = `"${createHash('md5').update(`${input.Body}#${version}`).digest('hex')}"`;
      objects.set(input.Key, { body: String(input.Body), etag });
      return { ETag: etag };
    });
  s3Mock.on(DeleteObjectCommand).callsFake((input: { Key: string; IfMatch?: string }) => {
    const o = objects.get(input.Key);
    if (opts.honourConditions && input.IfMatch !== undefined && o?.etag !== input.IfMatch) {
      throw s3Error('PreconditionFailed', 412);
    }
    objects.delete(input.Key);
    return {};
  });
  return objects;
}

const client = new S3Client({ region: 'us-east-1' });
const store = (extra: Partial<ConstructorParameters<typeof StateStore>[0]> = {}) =>
  new StateStore({ client, bucket: 'b', pair: 'en-zh', ...extra });

const doc = { units: [], runId: 'r1' };

beforeEach(() => s3Mock.reset());
afterEach(() => s3Mock.reset());

describe('StateStore constructor', () => {
  it.each(['', 'en', 'en_zh', '../x', 'en-zh/../../etc'])('rejects the pair %j', (pair) => {
    expect(() => store({ pair })).toThrow(InvalidInputError);
  });
});

describe('StateStore.read()', () => {
  it('rejects a corrupt state object with a clear error naming the object', async () => {
    const objects = fakeBucket();
    objects.set('state/en-zh/sync-state.json', { body: '{"version":1,"pair":"en-zh",', etag: '"e1"' });
    await expect(store().read()).rejects.toThrow(
      /s3:\/\/b\/state\/en-zh\/sync-state.json: corrupt sync state/,
    );
  });

  it('rejects a state of another pair', async () => {
    const objects = fakeBucket();
    objects.set('state/en-zh/sync-state.json', {
      body: serializeSyncState(emptySyncState('en-ja')),
      etag: '"e1"',
    });
    await expect(store().read()).rejects.toThrow(/for pair en-ja, expected en-zh/);
  });

  it('returns an empty state and a null ETag when the pair has no state yet', async () => {
    fakeBucket();
    expect(await store().read()).toEqual({ state: emptySyncState('en-zh'), etag: null });
  });

  it('returns the state with the ETag to commit against', async () => {
    const objects = fakeBucket();
    const state = { ...emptySyncState('en-zh'), lastRunId: 'r1', documents: { 'a.md': doc } };
    objects.set('state/en-zh/sync-state.json', { body: serializeSyncState(state), etag: '"e1"' });
    expect(await store().read()).toEqual({ state, etag: '"e1"' });
  });

  it('migrates a version-1 state on read and commits it sharded: an index and one shard per document at the current version', async () => {
    const objects = fakeBucket();
    const unit = {
      sourceHash: 'h',
      sourceText: 'A. Smola wrote it. Next one.',
      targetMarkdown: '译',
      origin: 'machine',
      sentenceHashes: ['old1', 'old2', 'old3'],
    };
    const v1 = {
      version: 1,
      pair: 'en-zh',
      lastRunId: 'r1',
      documents: { 'a.md': { units: [unit], runId: 'r1' } },
    };
    objects.set('state/en-zh/sync-state.json', { body: JSON.stringify(v1), etag: '"e1"' });
    const { state, etag } = await store().read();
    expect(state.version).toBe(SYNC_STATE_VERSION);
    // the old splitter cut after the initial "A.", the shared one does not: the hashes are dropped
    expect(state.documents['a.md']?.units[0]).not.toHaveProperty('sentenceHashes');
    await store().commit(state, etag);
    expect(JSON.parse(objects.get('state/en-zh/sync-state.json')?.body ?? '{}')).toEqual({
      version: STATE_INDEX_VERSION,
      pair: 'en-zh',
      lastRunId: 'r1',
      documents: { 'a.md': { runId: 'r1' } },
    });
    const shard = JSON.parse(objects.get(`state/en-zh/documents/${shardName('a.md')}`)?.body ?? '{}');
    expect(shard).toMatchObject({ version: SYNC_STATE_VERSION, pair: 'en-zh', path: 'a.md' });
    expect(shard.document.units[0]).not.toHaveProperty('sentenceHashes');
    expect((await store().read()).state).toEqual(state);
  });

  it('lets other S3 errors through (access denied is not "no state")', async () => {
    s3Mock.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));
    await expect(store().read()).rejects.toThrow('AccessDenied');
  });
});

describe('StateStore.commit()', () => {
  it('creates the first state with IfNoneMatch: *', async () => {
    fakeBucket();
    await store().commit({ ...emptySyncState('en-zh'), lastRunId: 'r1' }, null);
    const put = s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ Key: 'state/en-zh/sync-state.json', IfNoneMatch: '*' });
    expect(put?.IfMatch).toBeUndefined();
  });

  it('updates the state with IfMatch on the ETag it read', async () => {
    fakeBucket();
    const s = store();
    const etag = await s.commit({ ...emptySyncState('en-zh'), lastRunId: 'r1' }, null);
    const read = await s.read();
    expect(read.etag).toBe(etag);
    await s.commit({ ...read.state, lastRunId: 'r2' }, read.etag);
    expect(s3Mock.commandCalls(PutObjectCommand)[1]?.args[0].input.IfMatch).toBe(etag);
    expect((await s.read()).state.lastRunId).toBe('r2');
  });

  it('throws ConcurrentRunError and keeps the other run’s state when someone committed in between', async () => {
    const objects = fakeBucket();
    const s = store();
    await s.commit({ ...emptySyncState('en-zh'), lastRunId: 'r0' }, null);
    const runA = await s.read();
    const runB = await s.read();
    await s.commit(
      { ...runB.state, lastRunId: 'rB', documents: { 'b.md': { ...doc, runId: 'rB' } } },
      runB.etag,
    );
    const error = await s.commit({ ...runA.state, lastRunId: 'rA' }, runA.etag).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrentRunError);
    expect((error as Error).name).toBe('ConcurrentRunError');
    expect(JSON.parse(objects.get('state/en-zh/sync-state.json')?.body ?? '')).toMatchObject({
      lastRunId: 'rB',
      documents: { 'b.md': { runId: 'rB' } },
    });
    expect((await store().read()).state.documents['b.md']).toEqual({ ...doc, runId: 'rB' });
  });

  it('throws ConcurrentRunError when two first runs race to create the state', async () => {
    fakeBucket();
    const s = store();
    await s.commit({ ...emptySyncState('en-zh'), lastRunId: 'rA' }, null);
    await expect(s.commit({ ...emptySyncState('en-zh'), lastRunId: 'rB' }, null)).rejects.toBeInstanceOf(
      ConcurrentRunError,
    );
  });

  it('maps 409 ConditionalRequestConflict (a conditional write in flight) to ConcurrentRunError', async () => {
    const objects = fakeBucket();
    objects.set('state/en-zh/sync-state.json', {
      body: serializeSyncState(emptySyncState('en-zh')),
      etag: '"e1"',
    });
    s3Mock.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
    await expect(store().commit(emptySyncState('en-zh'), '"e1"')).rejects.toBeInstanceOf(ConcurrentRunError);
  });

  it('refuses to commit an invalid state or a state of another pair, without writing', async () => {
    fakeBucket();
    await expect(store().commit(emptySyncState('en-ja'), null)).rejects.toThrow(InvalidInputError);
    const bad = { ...emptySyncState('en-zh'), documents: { 'a.md': { units: 'x' } } } as never;
    await expect(store().commit(bad, null)).rejects.toThrow(/corrupt sync state/);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});

describe('StateStore locks', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');

  it('rejects an empty run id', async () => {
    fakeBucket();
    await expect(store().acquireLock('')).rejects.toThrow(InvalidInputError);
  });

  it('gives the lock to one run and ConcurrentRunError to the next', async () => {
    fakeBucket();
    const s = store({ now: () => t0 });
    await expect(s.acquireLock('run-1')).resolves.toEqual({ runId: 'run-1', acquiredAt: t0.toISOString() });
    await expect(s.acquireLock('run-2')).rejects.toThrow(/run run-1 holds the lock/);
  });

  it('lets the same run acquire again (a retried task is idempotent)', async () => {
    fakeBucket();
    const s = store({ now: () => t0 });
    await s.acquireLock('run-1');
    await expect(s.acquireLock('run-1')).resolves.toMatchObject({ runId: 'run-1' });
  });

  it('takes over a lock older than the TTL', async () => {
    fakeBucket();
    let now = t0;
    const s = store({ now: () => now, lockTtlMs: 1000 });
    await s.acquireLock('crashed');
    now = new Date(t0.getTime() + 1001);
    await expect(s.acquireLock('run-2')).resolves.toMatchObject({ runId: 'run-2' });
    expect(await s.releaseLock('crashed')).toBe(false);
  });

  it('holds a lock until its execution timeout (expiresAt), then lets the next run take it over', async () => {
    fakeBucket();
    let now = t0;
    const s = store({ now: () => now });
    const start = t0.toISOString();
    await expect(s.acquireLock('timed-out', { expiresAt: lockExpiry(start) })).resolves.toEqual({
      runId: 'timed-out',
      acquiredAt: start,
      expiresAt: new Date(t0.getTime() + EXECUTION_TIMEOUT_SECONDS * 1000).toISOString(),
    });
    now = new Date(t0.getTime() + EXECUTION_TIMEOUT_SECONDS * 1000 - 1);
    await expect(s.acquireLock('run-2')).rejects.toThrow(/expires 2026-01-07T00:00:00.000Z/);
    now = new Date(t0.getTime() + EXECUTION_TIMEOUT_SECONDS * 1000);
    await expect(s.acquireLock('run-2')).resolves.toMatchObject({ runId: 'run-2' });
  });

  it('lets an old lock without expiresAt live no longer than the execution timeout', async () => {
    fakeBucket();
    let now = t0;
    const s = store({ now: () => now });
    await s.acquireLock('old-style');
    now = new Date(t0.getTime() + EXECUTION_TIMEOUT_SECONDS * 1000 + 1);
    await expect(s.acquireLock('run-2')).resolves.toMatchObject({ runId: 'run-2' });
  });

  it('refuses an expiresAt that is not a timestamp', async () => {
    fakeBucket();
    await expect(store().acquireLock('run-1', { expiresAt: 'soon' })).rejects.toThrow(InvalidInputError);
  });

  it('takes over an unreadable lock object', async () => {
    const objects = fakeBucket();
    objects.set('state/en-zh/run.lock', { body: 'garbage', etag: '"x"' });
    await expect(store().acquireLock('run-2')).resolves.toMatchObject({ runId: 'run-2' });
  });

  it('releases only its own lock', async () => {
    const objects = fakeBucket();
    const s = store();
    await s.acquireLock('run-1');
    expect(await s.releaseLock('run-2')).toBe(false);
    expect(objects.has('state/en-zh/run.lock')).toBe(true);
    expect(await s.releaseLock('run-1')).toBe(true);
    expect(objects.has('state/en-zh/run.lock')).toBe(false);
    expect(await s.releaseLock('run-1')).toBe(false);
    await expect(s.acquireLock('run-2')).resolves.toMatchObject({ runId: 'run-2' });
  });

  it('deletes the lock with IfMatch so a late release cannot free a lock taken over meanwhile', async () => {
    fakeBucket();
    const s = store();
    await s.acquireLock('run-1');
    await s.releaseLock('run-1');
    expect(s3Mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input.IfMatch).toMatch(/^"/);
  });
});

describe('StateStore with conditionalWrites: emulated (S3-compatible servers that ignore If-Match on PUT)', () => {
  it('still detects a concurrent commit, without sending conditional headers', async () => {
    const objects = fakeBucket({ honourConditions: false });
    const s = store({ conditionalWrites: 'emulated' });
    await s.commit({ ...emptySyncState('en-zh'), lastRunId: 'r0' }, null);
    const runA = await s.read();
    const runB = await s.read();
    await s.commit({ ...runB.state, lastRunId: 'rB' }, runB.etag);
    await expect(s.commit({ ...runA.state, lastRunId: 'rA' }, runA.etag)).rejects.toBeInstanceOf(
      ConcurrentRunError,
    );
    expect(JSON.parse(objects.get('state/en-zh/sync-state.json')?.body ?? '').lastRunId).toBe('rB');
    for (const call of s3Mock.commandCalls(PutObjectCommand)) {
      expect(call.args[0].input.IfMatch).toBeUndefined();
      expect(call.args[0].input.IfNoneMatch).toBeUndefined();
    }
  });

  it('serialises simultaneous commits in one process: exactly one wins', async () => {
    fakeBucket({ honourConditions: false });
    const s = store({ conditionalWrites: 'emulated' });
    const results = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map((id) => s.commit({ ...emptySyncState('en-zh'), lastRunId: id }, null)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrentRunError);
    }
  });

  it('gives simultaneous lock requests to exactly one run', async () => {
    fakeBucket({ honourConditions: false });
    const s = store({ conditionalWrites: 'emulated' });
    const results = await Promise.allSettled(['a', 'b', 'c'].map((id) => s.acquireLock(id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});
