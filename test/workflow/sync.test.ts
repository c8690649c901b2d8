import { readFileSync, rmSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_DOCUMENTS,
  APPROX,
  callsOf,
  copyExamples,
  listFiles,
  NIN,
  RCNN,
  type RunResult,
  readTranslated,
  runOnce,
  sourcePath,
  translatedPath,
  useHarness,
  writeFile,
} from './helpers';
import { protectedDifferences } from './protected';

// One book through its life, run after run (the cases share the book and the bucket on purpose:
// each run starts from what the previous one left, as in a translation team's repository).
const h = useHarness();
let book: string;
let first: RunResult;
/** The run after a one-sentence edit of rcnn.md. */
let oneEdit: RunResult;
beforeAll(() => {
  book = copyExamples(h);
});

/** Protected-content differences of every written document against its source. */
function protectedProblems() {
  const problems: Record<string, { missing: string[]; extra: string[] }> = {};
  for (const doc of listFiles(`${book}/translated/zh`)) {
    const source = sourcePath(book, doc);
    let text: string;
    try {
      text = readFileSync(source, 'utf8');
    } catch {
      continue; // orphaned: no source any more
    }
    const diff = protectedDifferences(text, readTranslated(book, doc));
    if (diff.missing.length || diff.extra.length) problems[doc] = diff;
  }
  return problems;
}

describe('amts run --local: the example book through successive runs', () => {
  it('first sync: builds parallel data, runs one job for what has no translation, writes every document and a report', async () => {
    first = await runOnce(h, book);
    const { outcome, reportPath, lines } = first;

    expect(outcome.status).toBe('SUCCEEDED');
    const report = outcome.report;
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
    expect(reportPath).not.toBeNull();
    expect(readFileSync(reportPath ?? '', 'utf8')).toContain(outcome.runId);
    expect(readFileSync(reportPath?.replace(/\.json$/, '.md') ?? '', 'utf8')).toContain(outcome.runId);
    expect(lines.at(-1)).toBe(reportPath);
    expect(lines).toContain('▶ Start Translation Job');
    expect(lines.some((l) => /Check Translation Job .*status=COMPLETED/.test(l))).toBe(true);
  });

  it('keeps protected content (code, math, roles, URLs, directives) byte-identical in every written document', () => {
    expect(protectedProblems()).toEqual({});
  });

  it('second run with nothing changed: no job, nothing sent, every document unchanged, files untouched', async () => {
    const before = ALL_DOCUMENTS.map((d) => readTranslated(book, d));
    const from = h.env.translate?.calls.length ?? 0;

    const second = await runOnce(h, book);

    expect(second.uploaded.uploaded).toEqual([]);
    expect(second.outcome.status).toBe('SUCCEEDED');
    expect(second.outcome.report).toMatchObject({ job: null, charactersSent: 0 });
    expect(callsOf(h, 'StartTextTranslationJob', from)).toBe(0);
    expect(callsOf(h, 'UpdateParallelData', from)).toBe(0);
    expect(ALL_DOCUMENTS.map((d) => readTranslated(book, d))).toEqual(before);
    for (const d of second.outcome.report?.documents ?? []) {
      expect(d.charactersSent, d.path).toBe(0);
      expect(d.status, d.path).toBe('unchanged');
    }
  });

  it('one changed paragraph: only that document is sent, at most 5% of it, the rest reused', async () => {
    const firstRcnn = first.outcome.report?.documents.find((d) => d.path === RCNN);
    const source = readFileSync(sourcePath(book, RCNN), 'utf8');
    const edited = source.replace(
      'Due to limited space, we will only\nfocus on the design of these models.',
      'Due to limited space, we will only\nfocus on the design of these four models.',
    );
    expect(edited).not.toBe(source);
    writeFile(sourcePath(book, RCNN), edited);

    const run = await runOnce(h, book);
    oneEdit = run;

    expect(run.uploaded.uploaded).toEqual([`source/en/${RCNN}`]);
    const report = run.outcome.report;
    expect(report?.status).toBe('SUCCEEDED');
    expect(report?.job?.status).toBe('COMPLETED');
    const rcnn = report?.documents.find((d) => d.path === RCNN);
    expect(rcnn?.charactersSent).toBeGreaterThan(0);
    expect(rcnn?.charactersSent).toBeLessThanOrEqual(0.05 * (firstRcnn?.charactersSent ?? 0));
    expect(rcnn?.units.reused).toBeGreaterThan(0);
    for (const d of report?.documents ?? []) if (d.path !== RCNN) expect(d.charactersSent, d.path).toBe(0);
    expect(readTranslated(book, RCNN)).toContain('these four models.');
    expect(protectedProblems()).toEqual({});
  });

  it('sentence level (the default): the one-sentence edit sent that sentence, not its long paragraph', async () => {
    const last = oneEdit.outcome.report;
    const rcnn = last?.documents.find((d) => d.path === RCNN);
    const paragraph = readFileSync(sourcePath(book, RCNN), 'utf8')
      .split(/\n{2,}/)
      .find((p) => p.includes('these four models.'));
    const paragraphText = (paragraph ?? '').replace(/\s+/g, ' ').trim();
    expect(paragraphText.length).toBeGreaterThan(400);
    const sentence = 'Due to limited space, we will only focus on the design of these four models.';
    expect(rcnn?.charactersSent).toBe(sentence.length);
    expect(rcnn?.charactersSent).toBeLessThan(paragraphText.length / 5);
    // The emulator answered the sentence element (`u<N>-s<M>`): no unit fell back to the English.
    expect(rcnn?.units.machineTranslated).toBe(1);
    expect(rcnn?.warnings.join('\n')).not.toMatch(/missing from the job output|source fallback/);
    const inputs = await h.env.listKeys(`work/en-zh/${oneEdit.outcome.runId}/input/`);
    const html = (await Promise.all(inputs.map((k) => h.env.getText(k)))).join('\n');
    expect(html).toMatch(
      /<p id="u\d+-s\d+">Due to limited space, we will only\s+focus on the design of these four models\.<\/p>/,
    );
    expect(html).not.toContain('pioneering');
  });

  it('keeps a human post-edit of translated/ when the English changes elsewhere in the same document', async () => {
    const translated = readTranslated(book, RCNN);
    const postEdited = translated.replace('## 小结', '## 本节小结');
    expect(postEdited).not.toBe(translated);
    writeFile(translatedPath(book, RCNN), postEdited);
    const source = readFileSync(sourcePath(book, RCNN), 'utf8');
    writeFile(sourcePath(book, RCNN), source.replace('## R-CNNs', '## The R-CNN Family'));

    const run = await runOnce(h, book);

    expect(run.outcome.status).toBe('SUCCEEDED');
    const out = readTranslated(book, RCNN);
    expect(out).toContain('## 本节小结');
    expect(out).toContain('The R-CNN Family');
    expect(run.outcome.report?.documents.find((d) => d.path === RCNN)?.units.postEditsKept).toBeGreaterThan(
      0,
    );
  });

  it('a deleted source document is reported orphaned and its translation is kept', async () => {
    const kept = readTranslated(book, APPROX);
    rmSync(sourcePath(book, APPROX));

    const run = await runOnce(h, book);

    expect(run.uploaded.deleted).toEqual([`source/en/${APPROX}`]);
    expect(run.outcome.status).toBe('SUCCEEDED');
    expect(run.outcome.report?.documents.find((d) => d.path === APPROX)?.status).toBe('orphaned');
    expect(readTranslated(book, APPROX)).toBe(kept);
    expect(run.outcome.report?.documents.find((d) => d.path === NIN)?.status).toBe('unchanged');
  });
});
