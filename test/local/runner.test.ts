import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { causeMessage } from '../../lambdas/core/workflow/step-error';
import { lockDataFolder } from '../../local/run/data-folder';
import { LocalEnvironment } from '../../local/run/environment';
import { invokeLikeLambda } from '../../local/run/handlers';
import { checkBook } from '../../local/run/run-book';
import { encodeS3EventKey, uploadEventBatch } from '../../local/run/upload-events';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'amts-runner-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('invokeLikeLambda()', () => {
  it('passes a JSON copy of the event and returns the JSON result (undefined → null)', async () => {
    const event = { a: 1, nested: { b: [1, 2] } };
    let seen: unknown;
    const result = await invokeLikeLambda(
      'x',
      async (e) => {
        seen = structuredClone(e);
        (e as { a: number }).a = 99;
        return { ok: true, when: new Date(0) };
      },
      event,
    );
    expect(seen).toEqual({ a: 1, nested: { b: [1, 2] } });
    expect(event.a).toBe(1);
    expect(result).toEqual({ ok: true, when: '1970-01-01T00:00:00.000Z' });
    expect(await invokeLikeLambda('x', async () => undefined, {})).toBeNull();
  });

  it('raises the handler error under its name, with the Lambda cause JSON', async () => {
    class ParallelDataFailedError extends Error {
      override name = 'ParallelDataFailedError';
    }
    const error = await invokeLikeLambda(
      'x',
      async () => {
        throw new ParallelDataFailedError('import FAILED: line 3');
      },
      {},
    ).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('ParallelDataFailedError');
    expect(JSON.parse((error as Error).message)).toMatchObject({
      errorType: 'ParallelDataFailedError',
      errorMessage: 'import FAILED: line 3',
    });
    expect(causeMessage((error as Error).message)).toBe('import FAILED: line 3');
  });

  it('refuses a result over the 256 KiB state payload limit with States.DataLimitExceeded', async () => {
    const error = await invokeLikeLambda('big', async () => ({ text: 'x'.repeat(300 * 1024) }), {}).catch(
      (e: Error) => e,
    );
    expect((error as Error).name).toBe('States.DataLimitExceeded');
  });
});

describe('uploadEventBatch()', () => {
  const pair = { source: 'en', target: 'zh' };

  it('makes one SQS message per Markdown upload the EventBridge rule matches, with the S3 event as body', () => {
    const batch = uploadEventBatch('bucket', pair, [
      'source/en/a.md',
      'reference/zh/a.md',
      'source/en/img/x.png',
      'translated/zh/a.md',
      'reference/ja/a.md',
    ]) as { body: string; eventSource: string }[];
    expect(batch).toHaveLength(2);
    const events = batch.map((m) => JSON.parse(m.body));
    expect(events.map((e) => e.detail.object.key)).toEqual(['source/en/a.md', 'reference/zh/a.md']);
    expect(events[0]).toMatchObject({
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { bucket: { name: 'bucket' } },
    });
    expect(batch[0]?.eventSource).toBe('aws:sqs');
  });

  it('returns null when nothing matches (no event, no execution)', () => {
    expect(uploadEventBatch('b', pair, ['translated/zh/a.md', 'source/en/notes.txt'])).toBeNull();
  });

  it.each([
    ['source/en/a b.md', 'source/en/a+b.md'],
    ['source/en/第一章/x.md', 'source/en/%E7%AC%AC%E4%B8%80%E7%AB%A0/x.md'],
    ['source/en/a+b&c.md', 'source/en/a%2Bb%26c.md'],
  ])('encodes %j as S3 notifications do', (key, encoded) => {
    expect(encodeS3EventKey(key)).toBe(encoded);
  });
});

describe('checkBook()', () => {
  it.each([
    ['a missing folder', 'nope', /no such book folder/],
    ['a folder without source/en', '.', /expected source\/en\//],
  ])('rejects %s', (_what, sub, message) => {
    expect(() => checkBook({ book: join(dir, sub) }, { source: 'en', target: 'zh' })).toThrow(message);
  });
});

describe('lockDataFolder()', () => {
  it('takes over a lock left by a dead process', async () => {
    const data = mkdtempSync(join(dir, 'lock-'));
    writeFileSync(join(data, 'runner.lock'), '999999999\n');
    const release = await lockDataFolder(data, () => undefined);
    expect(readFileSync(join(data, 'runner.lock'), 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(existsSync(join(data, 'runner.lock'))).toBe(false);
  });

  it('waits while a live process holds the lock, and proceeds once it is released', async () => {
    const data = mkdtempSync(join(dir, 'lock-'));
    const first = await lockDataFolder(data, () => undefined);
    const lines: string[] = [];
    let second: (() => void) | undefined;
    const waiting = lockDataFolder(data, (l) => lines.push(l)).then((r) => {
      second = r;
    });
    // Wait for the behaviour (the waiting message), not for a fixed time.
    while (!lines.some((l) => /is using .*; waiting/.test(l))) await new Promise((r) => setTimeout(r, 20));
    expect(second).toBeUndefined();
    first();
    await waiting;
    expect(second).toBeTypeOf('function');
    second?.();
  });
});

describe('LocalEnvironment', () => {
  it('substitutes every placeholder of the workflow definition', async () => {
    const env = await LocalEnvironment.start({ data: join(dir, 'env') });
    try {
      const asl = env.definition({ source: 'en', target: 'zh' });
      const parsed = JSON.parse(asl) as { States: Record<string, { Resource?: string }> };
      const resources = Object.values(parsed.States)
        .map((s) => s.Resource)
        .filter(Boolean);
      expect(resources.length).toBeGreaterThan(5);
      for (const r of resources)
        expect(r).toMatch(/^arn:aws:lambda:us-east-1:000000000000:function:amts-local-/);
      expect(asl).not.toMatch(/\$\{/);
      expect(asl).toContain('"source": "en"');
    } finally {
      await env.stop();
    }
  });

  it('uploads only what changed, mirrors source deletions, never deletes translations, downloads results', async () => {
    const env = await LocalEnvironment.start({ data: join(dir, 'sync-data') });
    const pair = { source: 'en', target: 'zh' };
    const book = join(dir, 'sync-book');
    const put = (p: string, t: string) => {
      mkdirSync(join(book, p, '..'), { recursive: true });
      writeFileSync(join(book, p), t);
    };
    try {
      put('source/en/a.md', '# A\n');
      put('source/en/sub dir/第二.md', '# B\n');
      put('reference/zh/a.md', '# 甲\n');
      put('translated/zh/a.md', '# 甲（机器）\n');
      expect((await env.uploadBook(pair, { book })).uploaded.sort()).toEqual(
        ['reference/zh/a.md', 'source/en/a.md', 'source/en/sub dir/第二.md', 'translated/zh/a.md'].sort(),
      );
      expect(await env.uploadBook(pair, { book })).toEqual({ uploaded: [], deleted: [], downloaded: [] });

      rmSync(join(book, 'source/en/a.md'));
      rmSync(join(book, 'translated/zh/a.md'));
      put('source/en/sub dir/第二.md', '# B changed\n');
      const second = await env.uploadBook(pair, { book });
      expect(second).toEqual({
        uploaded: ['source/en/sub dir/第二.md'],
        deleted: ['source/en/a.md'],
        downloaded: [],
      });
      expect(await env.getText('translated/zh/a.md')).toBe('# 甲（机器）\n');

      const down = await env.downloadResults(pair, { book });
      expect(down.downloaded).toEqual(['translated/zh/a.md']);
      expect(readFileSync(join(book, 'translated/zh/a.md'), 'utf8')).toBe('# 甲（机器）\n');
      expect((await env.uploadBook(pair, { book })).uploaded).toEqual([]);
    } finally {
      await env.stop();
    }
  });
});
