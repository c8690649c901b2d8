import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers';

const D2L = join(__dirname, '../fixtures/corpus/d2l');
const DOC = 'chapter_natural-language-processing-pretraining/approx-training.md';
const EN = join(D2L, 'en', DOC);
const ZH = join(D2L, 'zh', DOC);

const scratch = mkdtempSync(join(tmpdir(), 'amts-pair-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(path: string, content: string | Uint8Array): string {
  const full = join(scratch, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  return full;
}

describe('amts pair', () => {
  describe('bad arguments and input', () => {
    it.each([
      [['--to', 'zh', EN, ZH], /--from and --to are required/],
      [['--from', 'en', '--to', 'EN!', EN, ZH], /not a language code/],
      [['--from', 'en', '--to', 'en', EN, ZH], /both 'en'/],
      [['--from', 'en', '--to', 'zh', '--level', 'word', EN, ZH], /--level must be sentence or paragraph/],
      [['--from', 'en', '--to', 'zh', '--format', 'xml', EN, ZH], /--format must be json or csv/],
      [['--from', 'en', '--to', 'zh', EN], /expected SOURCE.md and TARGET.md/],
      [['--from', 'en', '--to', 'zh', '--book', scratch, EN], /--book takes no file arguments/],
      [['--from', 'en', '--to', 'zh', '--book', join(scratch, 'nope')], /no such directory/],
      [['--from', 'en', '--to', 'zh', join(scratch, 'missing.md'), ZH], /no such file/],
    ])('exits 2 with a clear message for %j', async (args, message) => {
      const r = await runCli('pair', ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    });

    it('exits 1 with EncodingError for a file that is not UTF-8', async () => {
      const latin1 = write('latin1.md', new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x2e, 0x0a]));
      const r = await runCli('pair', '--from', 'en', '--to', 'zh', latin1, ZH);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/EncodingError/);
    });

    it('prints [] for two empty documents', async () => {
      const empty = write('empty.md', '');
      const r = await runCli('pair', '--from', 'en', '--to', 'zh', empty, empty);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([]);
    });
  });

  it('prints sentence pairs as JSON by default, counts on stderr', async () => {
    const r = await runCli('pair', '--from', 'en', '--to', 'zh', EN, ZH);
    expect(r.code).toBe(0);
    const pairs = JSON.parse(r.stdout) as { source: string; target: string }[];
    expect(pairs[0]).toEqual({ source: 'Approximate Training', target: '近似训练' });
    expect(pairs).toContainEqual({
      source: 'Of course, such results are meaningless.',
      target: '当然，这样的结果毫无意义。',
    });
    expect(r.stderr).toMatch(/50 pairs; units 29\/29/);
  });

  it('prints paragraph pairs with --level paragraph', async () => {
    const r = await runCli('pair', '--from', 'en', '--to', 'zh', '--level', 'paragraph', EN, ZH);
    const pairs = JSON.parse(r.stdout) as { source: string; target: string }[];
    expect(pairs).toHaveLength(29);
    expect(pairs[1]?.source).toMatch(/^Recall our discussions in :numref:`sec_word2vec`\. The main idea/);
  });

  it('prints a Translate parallel-data CSV with --format csv (identical pairs left out and counted)', async () => {
    const r = await runCli('pair', '--from', 'en', '--to', 'zh', '--format', 'csv', EN, ZH);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('en,zh\n')).toBe(true);
    const rows = Papa.parse<string[]>(r.stdout, { skipEmptyLines: true }).data;
    expect(rows.length - 1).toBe(49);
    expect(r.stderr).toMatch(/49 rows written of 50 pairs.*identical 1/);
  });

  it('ends every CSV line with \\r\\n when asked', async () => {
    const r = await runCli('pair', '--from', 'en', '--to', 'zh', '--format', 'csv', '--crlf', EN, ZH);
    expect(r.stdout.split('\r\n').length - 1).toBe(50);
    expect(r.stdout.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  describe('--book', () => {
    const book = join(scratch, 'book');
    write(`book/source/en/${DOC}`, readFileSync(EN));
    write(`book/reference/zh/${DOC}`, readFileSync(ZH));
    write('book/source/en/only-english.md', '# Only English\n\nNo translation yet.\n');
    write('book/reference/zh/only-chinese.md', '# 只有中文\n');
    write('book/source/en/notes.txt', 'not Markdown');

    it('pairs documents with the same relative path into one CSV and lists the rest on stderr', async () => {
      const r = await runCli('pair', '--from', 'en', '--to', 'zh', '--book', book);
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith('en,zh\n')).toBe(true);
      expect(Papa.parse(r.stdout, { skipEmptyLines: true }).data.length - 1).toBe(49);
      expect(r.stderr).toContain(`${DOC}: 50 pairs`);
      expect(r.stderr).toMatch(/only-english\.md: no zh reference/);
      expect(r.stderr).toMatch(/only-chinese\.md: no en source/);
      expect(r.stderr).toMatch(/book: 1 documents paired, 1 without reference, 1 without source/);
      expect(r.stderr).not.toContain('notes.txt');
    });

    it('refuses --format json', async () => {
      const r = await runCli('pair', '--from', 'en', '--to', 'zh', '--format', 'json', '--book', book);
      expect(r.code).toBe(2);
    });

    it('refuses a book without the reference language folder', async () => {
      const r = await runCli('pair', '--from', 'en', '--to', 'ja', '--book', book);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/reference[/\\]ja: no such directory/);
    });
  });
});
