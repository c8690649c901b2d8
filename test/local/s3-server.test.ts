import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, localS3ClientConfig, startLocalS3 } from '../../local/s3/server';
import { connectionHeaders } from '../helpers/keep-alive';

let dir: string;
let server: LocalS3;
let s3: S3Client;
const Bucket = 'book';

const text = async (Key: string) =>
  (await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString('utf-8')) ?? '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'amts-s3-'));
  server = await startLocalS3({ directory: join(dir, 's3'), buckets: [Bucket] });
  s3 = server.client();
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('startLocalS3()', () => {
  it('binds 127.0.0.1 on a free port and creates the configured bucket', async () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a.md', Body: '# A\n' }));
    expect(await text('a.md')).toBe('# A\n');
  });

  it('stores bodies without aws-chunked framing (checksums only when required)', async () => {
    const body = '中文 ✓\n'.repeat(1000);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'big.md', Body: body }));
    expect(await text('big.md')).toBe(body);
  });

  it('never closes an idle connection on its own: keep-alive with no announced timeout (stop() closes them)', async () => {
    // Node's default (close after 5 s idle, announced as "timeout=5" so the client drops it after 4 s)
    // reset requests in the process of its clients whenever one event-loop turn outlasted the 1 s
    // margin: `TimeoutError: read ECONNRESET` under load (local/idle-connections.ts).
    expect(await connectionHeaders(`${server.endpoint}/${Bucket}`)).toEqual({
      connection: 'keep-alive',
      keepAlive: undefined,
    });
  });

  it('answers simultaneous PUTs and DELETEs in one folder tree, every one at its first attempt', async () => {
    // s3rver's own DELETE tidied empty parent folders with a check-then-rmdir that raced the others (500).
    const once = new S3Client({ ...localS3ClientConfig(server.endpoint), maxAttempts: 1 });
    try {
      await Promise.all(
        [0, 1, 2, 3].map(async (w) => {
          for (let i = 0; i < 15; i++) {
            const Key = `churn/${w}/${i % 2}.json`;
            await once.send(new PutObjectCommand({ Bucket, Key, Body: '{}' }));
            await once.send(new DeleteObjectCommand({ Bucket, Key }));
          }
        }),
      );
      const left = await once.send(new ListObjectsV2Command({ Bucket, Prefix: 'churn/' }));
      expect(left.KeyCount).toBe(0);
      await once.send(new PutObjectCommand({ Bucket, Key: 'churn/0/again.json', Body: '[]' }));
      expect(await text('churn/0/again.json')).toBe('[]');
    } finally {
      once.destroy();
    }
  });

  it('keeps keys with spaces and Chinese characters, in listings and copies', async () => {
    const Key = 'source/en/第一章 intro/my file.md';
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'source/en/' }));
    expect(listed.Contents?.map((o) => o.Key)).toContain(Key);
    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'copy/第一章 copy.md',
        CopySource: encodeURI(`${Bucket}/${Key}`),
      }),
    );
    expect(await text('copy/第一章 copy.md')).toBe('x');
  });

  it('honours If-None-Match: * (create only if absent) with 412 PreconditionFailed', async () => {
    const put = () =>
      s3.send(new PutObjectCommand({ Bucket, Key: 'lock.json', Body: '{}', IfNoneMatch: '*' }));
    await put();
    await expect(put()).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
  });

  it('lets exactly one of many simultaneous If-None-Match writes win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        s3.send(new PutObjectCommand({ Bucket, Key: 'race.json', Body: String(i), IfNoneMatch: '*' })),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('honours If-Match on PUT and DELETE (stale ETag → 412)', async () => {
    const first = await s3.send(new PutObjectCommand({ Bucket, Key: 'state.json', Body: 'v1' }));
    const second = await s3.send(
      new PutObjectCommand({ Bucket, Key: 'state.json', Body: 'v2', IfMatch: first.ETag }),
    );
    await expect(
      s3.send(new PutObjectCommand({ Bucket, Key: 'state.json', Body: 'v3', IfMatch: first.ETag })),
    ).rejects.toMatchObject({ name: 'PreconditionFailed' });
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket, Key: 'state.json', IfMatch: first.ETag })),
    ).rejects.toMatchObject({ name: 'PreconditionFailed' });
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'state.json', IfMatch: second.ETag }));
    await expect(text('state.json')).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('pages a listing of more than 1000 keys (no --openssl-legacy-provider needed)', async () => {
    const keys = Array.from({ length: 1005 }, (_, i) => `many/${String(i).padStart(4, '0')}.md`);
    for (let i = 0; i < keys.length; i += 100) {
      await Promise.all(
        keys.slice(i, i + 100).map((Key) => s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }))),
      );
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await s3.send(
        new ListObjectsV2Command({ Bucket, Prefix: 'many/', ContinuationToken: token }),
      );
      for (const o of r.Contents ?? []) seen.push(o.Key ?? '');
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toEqual(keys);
  });

  it('keeps the data folder: a restarted server sees the objects of the first', async () => {
    const other = await startLocalS3({ directory: join(dir, 'persist'), buckets: [Bucket] });
    const c1 = other.client();
    await c1.send(new PutObjectCommand({ Bucket, Key: 'kept.md', Body: 'kept' }));
    await other.stop();
    const again = await startLocalS3({ directory: join(dir, 'persist'), buckets: [Bucket] });
    const c2 = again.client();
    const r = await c2.send(new GetObjectCommand({ Bucket, Key: 'kept.md' }));
    expect(await r.Body?.transformToString()).toBe('kept');
    await again.stop();
  });
});
