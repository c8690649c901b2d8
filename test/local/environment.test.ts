/** local/run/environment.ts: the embedded AWS, the pair's definition, book ⇄ bucket sync through it. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEnvironment } from '../../local/run/environment';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'amts-environment-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
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
