import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateStore } from '../../lambdas/aws/state-store';
import { ConcurrentRunError } from '../../lambdas/core/errors';
import { emptySyncState } from '../../lambdas/core/sync/api';
import { type LocalS3, localS3ClientConfig, startLocalS3 } from '../../local/s3/server';

/**
 * The state store against real HTTP servers: the project's embedded S3 (s3rver wrapped to honour
 * conditional writes like S3) in `native` mode, and bare s3rver — which ignores If-Match / If-None-Match on
 * PUT — to show why `emulated` mode exists and that it holds.
 */
let dir: string;
let harness: LocalS3;
let bare: S3rver;
let bareClient: S3Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'amts-state-'));
  harness = await startLocalS3({ directory: join(dir, 'harness'), buckets: ['b'] });
  bare = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(dir, 'bare'),
    configureBuckets: [{ name: 'b' }],
  });
  const address = (await bare.run()) as { port: number };
  bareClient = new S3Client(localS3ClientConfig(`http://127.0.0.1:${address.port}`));
});

afterAll(async () => {
  await harness?.stop();
  await bare?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('StateStore on the embedded S3 (native conditional writes)', () => {
  it('commits, detects a concurrent commit from another client, and keeps the winner', async () => {
    const runA = new StateStore({ client: harness.client(), bucket: 'b', pair: 'en-zh' });
    const runB = new StateStore({ client: harness.client(), bucket: 'b', pair: 'en-zh' });
    await runA.commit({ ...emptySyncState('en-zh'), lastRunId: 'r0' }, null);
    const a = await runA.read();
    const b = await runB.read();
    await runB.commit({ ...b.state, lastRunId: 'rB' }, b.etag);
    await expect(runA.commit({ ...a.state, lastRunId: 'rA' }, a.etag)).rejects.toBeInstanceOf(
      ConcurrentRunError,
    );
    expect((await runA.read()).state.lastRunId).toBe('rB');
  });

  it('gives the run lock to one of two clients', async () => {
    const one = new StateStore({ client: harness.client(), bucket: 'b', pair: 'en-ja' });
    const two = new StateStore({ client: harness.client(), bucket: 'b', pair: 'en-ja' });
    await one.acquireLock('run-1');
    await expect(two.acquireLock('run-2')).rejects.toBeInstanceOf(ConcurrentRunError);
    expect(await one.releaseLock('run-1')).toBe(true);
    await expect(two.acquireLock('run-2')).resolves.toMatchObject({ runId: 'run-2' });
  });
});

describe('bare s3rver 3.7', () => {
  it('ignores If-None-Match: * on PUT (so native mode cannot detect conflicts there)', async () => {
    await bareClient.send(new PutObjectCommand({ Bucket: 'b', Key: 'probe', Body: '1' }));
    await expect(
      bareClient.send(new PutObjectCommand({ Bucket: 'b', Key: 'probe', Body: '2', IfNoneMatch: '*' })),
    ).resolves.toBeDefined();
  });

  it('still detects a concurrent commit in emulated mode', async () => {
    const store = new StateStore({
      client: bareClient,
      bucket: 'b',
      pair: 'en-zh',
      conditionalWrites: 'emulated',
    });
    await store.commit({ ...emptySyncState('en-zh'), lastRunId: 'r0' }, null);
    const a = await store.read();
    const b = await store.read();
    await store.commit({ ...b.state, lastRunId: 'rB' }, b.etag);
    await expect(store.commit({ ...a.state, lastRunId: 'rA' }, a.etag)).rejects.toBeInstanceOf(
      ConcurrentRunError,
    );
    expect((await store.read()).state.lastRunId).toBe('rB');
  });
});
