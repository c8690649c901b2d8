import { readFileSync, rmSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { uploadEventBatch } from '../../local/run/upload-events';
import {
  callsOf,
  copyExamples,
  listFiles,
  NIN,
  PAIR,
  RCNN,
  runOnce,
  sourcePath,
  translatedPath,
  useHarness,
  writeFile,
} from './helpers';

const h = useHarness();
beforeEach(async () => {
  await h.env.reset();
});

/** A book with only rcnn.md (no reference): small and fast, one job. */
function smallBook(): string {
  const book = copyExamples(h);
  rmSync(`${book}/reference`, { recursive: true });
  for (const doc of listFiles(`${book}/source/en`)) if (doc !== RCNN) rmSync(sourcePath(book, doc));
  return book;
}

describe('amts run --local: bad input is rejected before any work, with a named error', () => {
  it.each([
    ['an unknown input field', { documnets: [RCNN] }, /documnets/],
    ['a wrong type', { dryRun: 'yes' }, /dryRun/],
    ['a document path with ..', { documents: ['../secrets.md'] }, /documents\[0\]/],
    ['a document that is not Markdown', { documents: ['chapter_computer-vision/rcnn.txt'] }, /\.md/],
  ])('%s: FAILED with InvalidInputError, a failure report, no job', async (_what, input, message) => {
    const book = smallBook();
    const { outcome, reportPath, lines } = await runOnce(h, book, input);

    expect(outcome.status).toBe('FAILED');
    expect(outcome.error?.name).toBe('InvalidInputError');
    expect(outcome.error?.cause).toMatch(message);
    expect(outcome.report).toMatchObject({ status: 'FAILED', error: { name: 'InvalidInputError' } });
    expect(lines.at(-1)).toBe(reportPath);
    expect(callsOf(h, 'StartTextTranslationJob')).toBe(0);
    expect(listFiles(`${book}/translated`)).toEqual([]);
  });

  it('a document that does not exist: FAILED with InvalidInputError naming it', async () => {
    const book = smallBook();
    const { outcome } = await runOnce(h, book, { documents: ['chapter_nowhere/missing.md'] });

    expect(outcome.status).toBe('FAILED');
    expect(outcome.error?.name).toBe('InvalidInputError');
    expect(outcome.error?.cause).toMatch(/chapter_nowhere\/missing\.md/);
    expect(callsOf(h, 'StartTextTranslationJob')).toBe(0);
  });
});

describe('amts run --local: awkward files in the book', () => {
  it('ignores a non-Markdown upload under source/ (no output for it) and translates the rest', async () => {
    const book = smallBook();
    writeFile(`${book}/source/en/chapter_computer-vision/notes.txt`, 'not a chapter\n');
    writeFile(`${book}/source/en/img/figure.png`, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff]));

    const { outcome } = await runOnce(h, book);

    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.report?.documents.map((d) => d.path)).toEqual([RCNN]);
    expect(listFiles(`${book}/translated/zh`)).toEqual([RCNN]);
  });

  it('handles a 0-byte Markdown file without failing the run', async () => {
    const book = smallBook();
    writeFile(sourcePath(book, 'chapter_empty/empty.md'), '');

    const { outcome } = await runOnce(h, book);

    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.report?.status).toBe('SUCCEEDED');
    const empty = outcome.report?.documents.find((d) => d.path === 'chapter_empty/empty.md');
    expect(empty).toMatchObject({
      charactersSent: 0,
      error: null,
      units: { total: 0, machineTranslated: 0 },
    });
    expect(readFileSync(translatedPath(book, 'chapter_empty/empty.md'), 'utf8')).toBe('');
  });

  it('keeps a key with spaces and Chinese characters intact from upload to translated output', async () => {
    const book = smallBook();
    const doc = '第一章 简介/my first chapter.md';
    writeFile(sourcePath(book, doc), '# Summary\n\nThis chapter has `code` and $x$ in it.\n');
    writeFile(`${book}/reference/zh/${doc}`, '# 小结\n\n本章包含`code`和$x$。\n');

    const { outcome } = await runOnce(h, book);

    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.report?.documents.map((d) => d.path).sort()).toEqual([RCNN, doc].sort());
    expect(readFileSync(translatedPath(book, doc), 'utf8')).toContain('# 小结');
    expect(listFiles(`${book}/translated/zh`).sort()).toEqual([RCNN, doc].sort());
  });

  it('input "dryRun": plans and estimates the cost, calls no Translate API, writes no translation', async () => {
    const book = copyExamples(h);
    const { outcome } = await runOnce(h, book, { dryRun: true });

    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.report).toMatchObject({ dryRun: true, job: null, status: 'SUCCEEDED' });
    expect(outcome.report?.estimatedCostUsd).toBeGreaterThan(0);
    expect(outcome.report?.documents.find((d) => d.path === RCNN)?.charactersSent).toBeGreaterThan(0);
    expect(h.env.translate?.calls).toEqual([]);
    expect(listFiles(`${book}/translated`)).toEqual([]);
  });

  it('triggered by S3 events (SQS batch from the Pipe, URL-encoded keys): a key with spaces and Chinese is decoded', async () => {
    const book = smallBook();
    const doc = '第一章 简介/my first chapter.md';
    writeFile(sourcePath(book, doc), '# Summary\n\nThis chapter has `code` and $x$ in it.\n');
    const up = await h.env.uploadBook(PAIR, { book });
    const batch = uploadEventBatch(h.env.bucket, PAIR, up.uploaded) as { body: string }[];
    expect(batch.map((m) => JSON.parse(m.body).detail.object.key)).toContain(
      'source/en/%E7%AC%AC%E4%B8%80%E7%AB%A0+%E7%AE%80%E4%BB%8B/my+first+chapter.md',
    );

    const outcome = await h.env.execute(PAIR, batch);
    await h.env.downloadResults(PAIR, { book });

    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.report?.documents.map((d) => d.path).sort()).toEqual([RCNN, doc].sort());
    expect(readFileSync(translatedPath(book, doc), 'utf8')).toContain(
      'This chapter has `code` and $x$ in it.',
    );
  });

  it('input "documents" limits the run to the named document', async () => {
    const book = copyExamples(h);
    const { outcome } = await runOnce(h, book, { documents: [NIN] });

    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.report?.documents.filter((d) => d.status === 'translated').map((d) => d.path)).toEqual([
      NIN,
    ]);
    expect(listFiles(`${book}/translated/zh`)).toEqual([NIN]);
  });
});
