/**
 * The book folder ⇄ bucket sync reads back only what changed: the ETag the listing reports, recorded
 * beside the manifest's hash, tells an object synced last time from a new one (issue 17: a run with no
 * change costs a listing, also on the way back).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../lambdas/core/hash';
import { type BookSyncHost, downloadResults, uploadBook } from '../../local/run/book-sync';

const pair = { source: 'en', target: 'zh' };
const TRANSLATED = 'translated/zh/ch/a.md';

/** A bucket in memory (ETag: a hash of the bytes, as S3's MD5 is) that counts the objects read. */
class FakeBucket implements BookSyncHost {
  readonly objects = new Map<string, Uint8Array>();
  reads: string[] = [];
  /** Listings without ETags (some S3-compatible servers). */
  etagsListed = true;
  readonly bucket = 'book';
  readonly s3 = {
    send: async (command: unknown) => {
      if (command instanceof PutObjectCommand) {
        const { Key, Body } = command.input;
        this.put(Key as string, Body as Uint8Array);
        return { ETag: this.etag(Key as string) };
      }
      if (command instanceof DeleteObjectCommand) this.objects.delete(command.input.Key as string);
      return {};
    },
  } as unknown as S3Client;

  constructor(readonly data: string) {}

  put(key: string, body: string | Uint8Array): void {
    this.objects.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : body);
  }

  etag(key: string): string | null {
    const bytes = this.objects.get(key);
    return bytes ? `"${sha256(bytes).slice(0, 32)}"` : null;
  }

  async listObjects(prefix: string) {
    return [...this.objects.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .map((key) => ({ key, etag: this.etagsListed ? this.etag(key) : null }));
  }

  async getObject(key: string) {
    this.reads.push(key);
    const bytes = this.objects.get(key);
    return bytes ? { bytes, etag: this.etag(key) } : null;
  }
}

let root: string;
let book: string;
let bucket: FakeBucket;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'amts-book-sync-'));
  book = join(root, 'book');
  mkdirSync(join(book, 'source/en/ch'), { recursive: true });
  writeFileSync(join(book, 'source/en/ch/a.md'), '# A\n');
  mkdirSync(join(root, 'data'));
  bucket = new FakeBucket(join(root, 'data'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const local = (path: string) => join(book, path);
const readLocal = (path: string) => readFileSync(local(path), 'utf8');
async function firstRunWrote(text: string): Promise<void> {
  await uploadBook(bucket, pair, { book });
  bucket.put(TRANSLATED, text);
  expect((await downloadResults(bucket, pair, { book })).downloaded).toEqual([TRANSLATED]);
  bucket.reads = [];
}

describe('downloadResults() reads only what changed', () => {
  it('reads no object back when nothing changed since the last sync', async () => {
    await firstRunWrote('# 甲\n');
    const down = await downloadResults(bucket, pair, { book });
    expect(down.downloaded).toEqual([]);
    expect(bucket.reads).toEqual([]);
    expect(readLocal(TRANSLATED)).toBe('# 甲\n');
  });

  it('reads and writes an object the run rewrote (a new ETag)', async () => {
    await firstRunWrote('# 甲\n');
    bucket.put(TRANSLATED, '# 乙\n');
    const down = await downloadResults(bucket, pair, { book });
    expect(bucket.reads).toEqual([TRANSLATED]);
    expect(down.downloaded).toEqual([TRANSLATED]);
    expect(readLocal(TRANSLATED)).toBe('# 乙\n');
  });

  it('brings back a translated file deleted from the book folder', async () => {
    await firstRunWrote('# 甲\n');
    unlinkSync(local(TRANSLATED));
    const down = await downloadResults(bucket, pair, { book });
    expect(down.downloaded).toEqual([TRANSLATED]);
    expect(readLocal(TRANSLATED)).toBe('# 甲\n');
  });

  it("never overwrites a human's edit of an unchanged object, and offers a new machine version beside it", async () => {
    await firstRunWrote('# 甲\n');
    writeFileSync(local(TRANSLATED), '# 甲（人工）\n');
    expect((await downloadResults(bucket, pair, { book })).downloaded).toEqual([]);
    expect(readLocal(TRANSLATED)).toBe('# 甲（人工）\n');
    bucket.put(TRANSLATED, '# 乙\n');
    const down = await downloadResults(bucket, pair, { book });
    expect(down.kept).toEqual([{ key: TRANSLATED, machineCopy: 'translated/zh/ch/a.amts-machine.md' }]);
    expect(readLocal(TRANSLATED)).toBe('# 甲（人工）\n');
  });

  it('reads every object when the listing reports no ETag', async () => {
    await firstRunWrote('# 甲\n');
    bucket.etagsListed = false;
    expect((await downloadResults(bucket, pair, { book })).downloaded).toEqual([]);
    expect(bucket.reads).toEqual([TRANSLATED]);
  });

  it('reads nothing back after uploading a human edit of a translated file', async () => {
    await firstRunWrote('# 甲\n');
    writeFileSync(local(TRANSLATED), '# 甲（人工）\n');
    expect((await uploadBook(bucket, pair, { book })).uploaded).toEqual([TRANSLATED]);
    expect((await downloadResults(bucket, pair, { book })).downloaded).toEqual([]);
    expect(bucket.reads).toEqual([]);
  });

  it('reads an object again after the data folder lost its record of ETags', async () => {
    await firstRunWrote('# 甲\n');
    rmSync(join(root, 'data', 'sync-etags.json'));
    expect((await downloadResults(bucket, pair, { book })).downloaded).toEqual([]);
    expect(bucket.reads).toEqual([TRANSLATED]);
    bucket.reads = [];
    await downloadResults(bucket, pair, { book });
    expect(bucket.reads).toEqual([]);
  });
});

describe('uploadBook()', () => {
  it('forgets the ETag of a file deleted from the book (mirrored: deleted in the bucket)', async () => {
    await uploadBook(bucket, pair, { book });
    const etags = () => JSON.parse(readFileSync(join(root, 'data', 'sync-etags.json'), 'utf8'));
    expect(Object.keys(etags())).toEqual(['source/en/ch/a.md']);
    unlinkSync(local('source/en/ch/a.md'));
    mkdirSync(dirname(local('source/en/ch/b.md')), { recursive: true });
    writeFileSync(local('source/en/ch/b.md'), '# B\n');
    const up = await uploadBook(bucket, pair, { book });
    expect(up).toMatchObject({ uploaded: ['source/en/ch/b.md'], deleted: ['source/en/ch/a.md'] });
    expect(Object.keys(etags())).toEqual(['source/en/ch/b.md']);
  });
});
