import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keyUnder, relativeKeyProblem } from '../../lambdas/core/workflow/keys';
import { HISTORY_FOLDER, MACHINE_COPY_SUFFIX, machineCopyPath } from '../../local/run/book-sync';
import { LocalEnvironment } from '../../local/run/environment';
import { localPathFor } from '../../local/run/safe-paths';

const pair = { source: 'en', target: 'zh' };
let root: string;
let env: LocalEnvironment;
let n = 0;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'amts-guard-'));
  env = await LocalEnvironment.start({ data: join(root, 'data') });
});
afterAll(async () => {
  await env?.stop();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(async () => {
  await env.reset();
});

function newBook(): string {
  const book = join(root, `book-${++n}`, 'inner');
  mkdirSync(book, { recursive: true });
  return book;
}
function put(book: string, path: string, text: string): void {
  mkdirSync(dirname(join(book, path)), { recursive: true });
  writeFileSync(join(book, path), text);
}
const read = (book: string, path: string) => readFileSync(join(book, path), 'utf8');
/** What a run's Assemble does: a new machine version in the bucket. */
const machineWrites = (key: string, text: string) =>
  env.s3.send(new PutObjectCommand({ Bucket: env.bucket, Key: key, Body: text }));

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

describe('downloading results never overwrites a file a human changed since the run started', () => {
  it('keeps the human file and writes the machine version beside it when both changed', async () => {
    const book = newBook();
    put(book, 'source/en/a.md', '# A\n');
    put(book, 'translated/zh/a.md', '# 甲\n');
    put(book, 'translated/zh/b.md', '# 乙\n');
    await env.uploadBook(pair, { book });
    // During the run: the machine writes new versions of both, the human edits a.md.
    await machineWrites('translated/zh/a.md', '# 甲（新）\n');
    await machineWrites('translated/zh/b.md', '# 乙（新）\n');
    put(book, 'translated/zh/a.md', '# 甲（人工修改）\n');

    const down = await env.downloadResults(pair, { book });

    expect(read(book, 'translated/zh/a.md')).toBe('# 甲（人工修改）\n');
    expect(read(book, `translated/zh/a${MACHINE_COPY_SUFFIX}`)).toBe('# 甲（新）\n');
    expect(read(book, 'translated/zh/b.md')).toBe('# 乙（新）\n');
    expect(down.downloaded).toEqual(['translated/zh/b.md']);
    expect(down.kept).toEqual([
      { key: 'translated/zh/a.md', machineCopy: `translated/zh/a${MACHINE_COPY_SUFFIX}` },
    ]);
    // The next run uploads the human's file (never the machine copy beside it).
    const next = await env.uploadBook(pair, { book });
    expect(next.uploaded).toEqual(['translated/zh/a.md']);
    expect(await env.getText('translated/zh/a.md')).toBe('# 甲（人工修改）\n');
    expect(await env.getText(`translated/zh/a${MACHINE_COPY_SUFFIX}`)).toBeNull();
  });

  it('keeps a human edit of a file the run did not touch, without a machine copy', async () => {
    const book = newBook();
    put(book, 'source/en/a.md', '# A\n');
    put(book, 'translated/zh/nin.md', '# 网络中的网络\n');
    await env.uploadBook(pair, { book });
    put(book, 'translated/zh/nin.md', '# 网络中的网络（NiN）\n');

    const down = await env.downloadResults(pair, { book });

    expect(read(book, 'translated/zh/nin.md')).toBe('# 网络中的网络（NiN）\n');
    expect(down.kept).toEqual([]);
    expect(filesUnder(join(book, 'translated'))).toEqual(['zh/nin.md']);
  });

  it('keeps a file a human created during the run for a document the run translated', async () => {
    const book = newBook();
    put(book, 'source/en/c.md', '# C\n');
    await env.uploadBook(pair, { book });
    await machineWrites('translated/zh/c.md', '# 丙（机器）\n');
    put(book, 'translated/zh/c.md', '# 丙（人工）\n');

    const down = await env.downloadResults(pair, { book });

    expect(read(book, 'translated/zh/c.md')).toBe('# 丙（人工）\n');
    expect(read(book, `translated/zh/c${MACHINE_COPY_SUFFIX}`)).toBe('# 丙（机器）\n');
    expect(down.kept?.map((k) => k.key)).toEqual(['translated/zh/c.md']);
  });

  it('still writes a file the human did not touch, and one deleted locally (nothing is lost)', async () => {
    const book = newBook();
    put(book, 'source/en/a.md', '# A\n');
    put(book, 'translated/zh/a.md', '# 甲\n');
    put(book, 'translated/zh/b.md', '# 乙\n');
    await env.uploadBook(pair, { book });
    await machineWrites('translated/zh/a.md', '# 甲（新）\n');
    rmSync(join(book, 'translated/zh/b.md'));

    const down = await env.downloadResults(pair, { book });

    expect(down.downloaded.sort()).toEqual(['translated/zh/a.md', 'translated/zh/b.md']);
    expect(read(book, 'translated/zh/a.md')).toBe('# 甲（新）\n');
    expect(read(book, 'translated/zh/b.md')).toBe('# 乙\n');
    expect(down.kept).toEqual([]);
  });
});

describe('the local bucket keeps no versions: the runner keeps the text of each translated/ file it replaces', () => {
  it('copies a replaced file to <data>/history/<run id>/ and names it; a new file or a report needs no copy', async () => {
    const book = newBook();
    put(book, 'source/en/a.md', '# A\n');
    put(book, 'translated/zh/a.md', '# 甲（人工）\n');
    await env.uploadBook(pair, { book });
    await machineWrites('translated/zh/a.md', '# 甲（强制重译）\n');
    await machineWrites('translated/zh/new.md', '# 新\n');
    await machineWrites('reports/en-zh/run-9.json', '{}\n');

    const down = await env.downloadResults(pair, { book }, { runId: 'run-9' });

    const history = join(root, 'data', HISTORY_FOLDER, 'run-9');
    expect(down.historyDir).toBe(history);
    expect(down.replaced).toEqual([
      { key: 'translated/zh/a.md', previous: join(history, 'translated', 'zh', 'a.md') },
    ]);
    expect(read(book, 'translated/zh/a.md')).toBe('# 甲（强制重译）\n');
    expect(filesUnder(history)).toEqual(['translated/zh/a.md']);
    expect(readFileSync(join(history, 'translated', 'zh', 'a.md'), 'utf8')).toBe('# 甲（人工）\n');
  });

  it('replaces nothing and copies nothing when the bucket holds what the folder holds', async () => {
    const book = newBook();
    put(book, 'source/en/a.md', '# A\n');
    put(book, 'translated/zh/a.md', '# 甲\n');
    await env.uploadBook(pair, { book });

    const down = await env.downloadResults(pair, { book }, { runId: 'run-10' });

    expect(down.replaced).toEqual([]);
    expect(down.historyDir).toBeUndefined();
    expect(existsSync(join(root, 'data', HISTORY_FOLDER, 'run-10'))).toBe(false);
  });
});

describe('keys listed from the bucket are validated before they become paths', () => {
  const hostile = [
    'translated/zh/../../../x/evil.md',
    'translated/zh/../../evil.md',
    'translated/zh/a/../../../../evil.md',
    'translated/zh//etc/evil.md',
    'translated/zh/./evil.md',
    'translated/zh/..',
    'translated/zh/a\\..\\..\\evil.md',
    'translated/zh/C:/evil.md',
    'translated/zh/evil\u0000.md',
    'translated/zh/',
    `translated/zh/${'x'.repeat(300)}.md`,
    'reports/en-zh/../../../evil.json',
  ];

  it('writes nothing outside --out whatever the bucket holds, and reports each rejected key', async () => {
    const book = newBook();
    const out = join(dirname(book), 'out');
    put(book, 'source/en/a.md', '# A\n');
    await env.uploadBook(pair, { book, out });
    // S3 itself stores such keys as given (s3rver normalises them away), so the listing is the bucket's word.
    const stored = new Map<string, string>([
      ...hostile.map((k) => [k, 'evil'] as [string, string]),
      ['translated/zh/good.md', '# 好\n'],
    ]);
    const scoped = Object.create(env) as LocalEnvironment;
    scoped.listObjects = async (prefix: string) =>
      [...stored.keys()]
        .filter((k) => k.startsWith(prefix))
        .sort()
        .map((key) => ({ key, etag: null }));
    scoped.getObject = async (key: string) => {
      const text = stored.get(key);
      return text === undefined ? null : { bytes: new TextEncoder().encode(text), etag: null };
    };
    const before = filesUnder(root);

    const down = await scoped.downloadResults(pair, { book, out });

    const written = filesUnder(root).filter((f) => !before.includes(f));
    expect(written.filter((f) => !f.startsWith(relative(root, out)))).toEqual([]);
    expect(written.filter((f) => !f.startsWith('data/'))).toEqual([
      `${relative(root, out).split(sep).join('/')}/translated/zh/good.md`,
    ]);
    expect(down.downloaded).toEqual(['translated/zh/good.md']);
    expect(down.rejected?.map((r) => r.key).sort()).toEqual([...hostile].sort());
    for (const r of down.rejected ?? []) expect(r.reason).toMatch(/\S/);
  });

  it.each([
    ['a.md', null],
    ['chapter 1/第二.md', null],
    ['', /empty/],
    ['/abs.md', /absolute/],
    ['a/../b.md', /"\.\." segment/],
    ['./b.md', /"\." segment/],
    ['a//b.md', /empty segment/],
    ['a/', /empty segment/],
    ['a\\b.md', /backslash/],
    ['a\u0007.md', /control character/],
    ['C:/x.md', /drive letter/],
    [`${'é'.repeat(128)}.md`, /segment longer than 255 bytes/],
    [`${'a/'.repeat(600)}b.md`, /longer than 1024 bytes/],
  ])('relativeKeyProblem(%j) is %s', (rel, expected) => {
    const problem = relativeKeyProblem(rel);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it('keyUnder refuses a key outside its prefix and names the bad part', () => {
    expect(keyUnder('translated/zh/a.md', 'translated/zh/')).toEqual({ rel: 'a.md' });
    expect(keyUnder('source/en/a.md', 'translated/zh/')).toMatchObject({ reason: /not under/ });
    expect(keyUnder('translated/zh/../x.md', 'translated/zh/')).toMatchObject({
      reason: '"../x.md" has a ".." segment',
    });
  });

  it('localPathFor refuses a key that would resolve outside the root', () => {
    expect(localPathFor('/tmp/out', 'translated/zh/a.md')).toBe('/tmp/out/translated/zh/a.md');
    expect(() => localPathFor('/tmp/out', 'translated/../../evil.md')).toThrow(/"\.\." segment/);
  });

  it('machineCopyPath keeps the copy beside the file', () => {
    expect(machineCopyPath('/b/translated/zh/x/rcnn.md')).toBe(
      `/b/translated/zh/x/rcnn${MACHINE_COPY_SUFFIX}`,
    );
  });
});
