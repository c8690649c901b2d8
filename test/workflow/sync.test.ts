import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALL_DOCUMENTS,
  APPROX,
  callsOf,
  copyExamples,
  type Harness,
  listFiles,
  NIN,
  RCNN,
  readTranslated,
  runOnce,
  sourcePath,
  startHarness,
  translatedPath,
  writeFile,
} from './helpers';
import { protectedDifferences } from './protected';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  await h.env.reset();
});

describe('amts run --local: synchronising the example book', () => {
  it('first sync: builds parallel data, runs one job for what has no translation, writes every document and a report', async () => {
    const book = copyExamples(h);
    const { outcome, reportPath, lines } = await runOnce(h, book);

    expect(outcome.status).toBe('SUCCEEDED');
    const report = outcome.report;
    expect(report).not.toBeNull();
    expect(report).toMatchObject({ status: 'SUCCEEDED', pair: 'en-zh', runId: outcome.runId });
    expect(report?.parallelData).toMatchObject({ name: 'amts-en-zh', updated: true });
    expect(report?.parallelData?.pairs).toBeGreaterThan(50);
    expect(report?.job?.status).toBe('COMPLETED');
    expect(report?.charactersSent).toBeGreaterThan(0);
    expect(report?.documents.map((d) => d.path).sort()).toEqual(ALL_DOCUMENTS);
    const rcnn = report?.documents.find((d) => d.path === RCNN);
    expect(rcnn).toMatchObject({ status: 'translated', scores: null, error: null });
    expect(rcnn?.units.machineTranslated).toBeGreaterThan(0);
    for (const d of report?.documents ?? []) {
      if (d.path !== RCNN) expect(d.scores?.bleu, d.path).toBeGreaterThan(50);
    }
    expect(listFiles(`${book}/translated/zh`)).toEqual(ALL_DOCUMENTS);
    // The emulator translates only exact parallel-data matches: rcnn's "Summary" heading is one.
    expect(readTranslated(book, RCNN)).toContain('## 小结');
    expect(reportPath && existsSync(reportPath)).toBe(true);
    expect(lines.at(-1)).toBe(reportPath);
    expect(existsSync(reportPath?.replace(/\.json$/, '.md') ?? '')).toBe(true);
    expect(lines).toContain('▶ Start Translation Job');
    expect(lines.some((l) => /Check Translation Job .*COMPLETED/.test(l))).toBe(true);
  });

  it('keeps protected content (code, math, roles, URLs, directives) byte-identical in every written document', async () => {
    const book = copyExamples(h);
    await runOnce(h, book);
    const problems: Record<string, { missing: string[]; extra: string[] }> = {};
    for (const doc of ALL_DOCUMENTS) {
      const diff = protectedDifferences(
        readFileSync(sourcePath(book, doc), 'utf8'),
        readTranslated(book, doc),
      );
      // Known bug, tracked below: units taken from the human reference carry the reference's link URLs.
      const missing = diff.missing.filter((x) => !x.startsWith('url https://discuss.d2l.ai/'));
      const extra = diff.extra.filter((x) => !x.startsWith('url https://discuss.d2l.ai/'));
      if (missing.length || extra.length) problems[doc] = { missing, extra };
    }
    expect(problems).toEqual({});
  });

  // KNOWN BUG (sync/assemble, issue 7): a unit taken from the human reference (here the d2l
  // "[Discussions](https://discuss.d2l.ai/t/79)" paragraph) is written with the reference's own URL
  // (zh forum topic t/1868), so link targets are not byte-identical to the English. `it.fails` keeps the
  // evidence executable: once fixed, this test fails and the exclusion above must be removed.
  it.fails('KNOWN BUG: link URLs of units taken from the human reference are the source URLs', async () => {
    const book = copyExamples(h);
    await runOnce(h, book);
    const problems: Record<string, { missing: string[]; extra: string[] }> = {};
    for (const doc of ALL_DOCUMENTS) {
      const diff = protectedDifferences(
        readFileSync(sourcePath(book, doc), 'utf8'),
        readTranslated(book, doc),
      );
      if (diff.missing.length || diff.extra.length) problems[doc] = diff;
    }
    expect(problems).toEqual({});
  });

  it('second run with nothing changed: no job, nothing sent, every document unchanged, files untouched', async () => {
    const book = copyExamples(h);
    await runOnce(h, book);
    const before = ALL_DOCUMENTS.map((d) => readTranslated(book, d));
    const from = h.env.translate?.calls.length ?? 0;

    const second = await runOnce(h, book);

    expect(second.uploaded.uploaded).toEqual([]);
    expect(second.outcome.status).toBe('SUCCEEDED');
    expect(second.outcome.report).toMatchObject({ job: null, charactersSent: 0 });
    expect(callsOf(h, 'StartTextTranslationJob', from)).toBe(0);
    expect(callsOf(h, 'UpdateParallelData', from)).toBe(0);
    expect(ALL_DOCUMENTS.map((d) => readTranslated(book, d))).toEqual(before);
    for (const d of second.outcome.report?.documents ?? []) expect(d.charactersSent, d.path).toBe(0);
  });

  it('one changed paragraph: only that document is sent, a small part of it, the rest reused', async () => {
    const book = copyExamples(h);
    const first = await runOnce(h, book);
    const firstRcnn = first.outcome.report?.documents.find((d) => d.path === RCNN);
    const source = readFileSync(sourcePath(book, RCNN), 'utf8');
    const edited = source.replace(
      'Due to limited space, we will only\nfocus on the design of these models.',
      'Due to limited space, we will only\nfocus on the design of these four models.',
    );
    expect(edited).not.toBe(source);
    writeFile(sourcePath(book, RCNN), edited);

    const second = await runOnce(h, book);

    expect(second.uploaded.uploaded).toEqual([`source/en/${RCNN}`]);
    const report = second.outcome.report;
    expect(report?.status).toBe('SUCCEEDED');
    expect(report?.job?.status).toBe('COMPLETED');
    const rcnn = report?.documents.find((d) => d.path === RCNN);
    expect(rcnn?.charactersSent).toBeGreaterThan(0);
    expect(rcnn?.charactersSent).toBeLessThanOrEqual(0.05 * (firstRcnn?.charactersSent ?? 0));
    expect(rcnn?.units.reused).toBeGreaterThan(0);
    for (const d of report?.documents ?? []) if (d.path !== RCNN) expect(d.charactersSent, d.path).toBe(0);
    expect(readTranslated(book, RCNN)).toContain('these four models.');
  });

  it('keeps a human post-edit of translated/ when the English changes elsewhere in the same document', async () => {
    const book = copyExamples(h);
    await runOnce(h, book);
    const translated = readTranslated(book, RCNN);
    const postEdited = translated.replace('## 小结', '## 本节小结');
    expect(postEdited).not.toBe(translated);
    writeFile(translatedPath(book, RCNN), postEdited);
    const source = readFileSync(sourcePath(book, RCNN), 'utf8');
    writeFile(sourcePath(book, RCNN), source.replace('## R-CNNs', '## The R-CNN Family'));

    const second = await runOnce(h, book);

    expect(second.outcome.status).toBe('SUCCEEDED');
    const out = readTranslated(book, RCNN);
    expect(out).toContain('## 本节小结');
    expect(out).toContain('The R-CNN Family');
    expect(
      second.outcome.report?.documents.find((d) => d.path === RCNN)?.units.postEditsKept,
    ).toBeGreaterThan(0);
  });

  it('a deleted source document is reported orphaned and its translation is kept', async () => {
    const book = copyExamples(h);
    await runOnce(h, book);
    const kept = readTranslated(book, APPROX);
    const { rmSync } = await import('node:fs');
    rmSync(sourcePath(book, APPROX));

    const second = await runOnce(h, book);

    expect(second.uploaded.deleted).toEqual([`source/en/${APPROX}`]);
    expect(second.outcome.status).toBe('SUCCEEDED');
    expect(second.outcome.report?.documents.find((d) => d.path === APPROX)?.status).toBe('orphaned');
    expect(readTranslated(book, APPROX)).toBe(kept);
    expect(second.outcome.report?.documents.find((d) => d.path === NIN)?.status).toBe('unchanged');
  });
});
