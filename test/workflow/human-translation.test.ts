import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReviewItemSchema } from '../../lambdas/core/report';
import {
  APPROX,
  callsOf,
  copyExamples,
  readTranslated,
  runOnce,
  sourcePath,
  translatedPath,
  useHarness,
  writeFile,
} from './helpers';
import { protectedDifferences } from './protected';

// Issue 10: a chapter that already has a human translation (reference/zh), through `amts run --local`.
// The cases share one book and bucket on purpose: each run starts from what the previous one left.
const h = useHarness();
let book: string;
beforeAll(() => {
  book = copyExamples(h);
});

const referencePath = (doc: string) => join(book, 'reference', 'zh', ...doc.split('/'));
const NEW_SENTENCE = 'This section shows two cheaper alternatives.';
const OLD_ZH_FIRST = '回想一下我们在 :numref:`sec_word2vec`中的讨论。';
const NEW_ZH = '本节介绍两种更便宜的替代方法。';

async function parallelData(): Promise<string> {
  return (await h.env.getText('parallel-data/en-zh/parallel-data.csv')) ?? '';
}

function approxReport(run: Awaited<ReturnType<typeof runOnce>>) {
  const doc = run.outcome.report?.documents.find((d) => d.path === APPROX);
  if (!doc) throw new Error(`no report line for ${APPROX}`);
  return doc;
}

describe('amts run --local on a chapter with a human reference whose English changes', () => {
  it('first run: takes the reference as current and counts stale, fuzzy and conflicts (0)', async () => {
    const run = await runOnce(h, book);
    expect(run.outcome.status).toBe('SUCCEEDED');
    const doc = approxReport(run);
    expect(doc.units).toMatchObject({ stale: 0, fuzzy: 0, conflicts: 0 });
    expect(doc.units.fromReference).toBeGreaterThan(10);
    expect(readTranslated(book, APPROX)).toContain(OLD_ZH_FIRST);
    for (const d of run.outcome.report?.documents ?? []) {
      expect(Array.isArray(d.review), d.path).toBe(true);
      for (const entry of d.review ?? []) expect(() => ReviewItemSchema.parse(entry)).not.toThrow();
    }
  });

  it('a sentence added to a paragraph with a human translation: only that sentence is sent, the unit is reported stale with the old human text', async () => {
    const source = readFileSync(sourcePath(book, APPROX), 'utf8');
    const edited = source.replace(
      'the opposite of :eqref:`eq_skip-gram-log`.\n',
      `the opposite of :eqref:\`eq_skip-gram-log\`.\n${NEW_SENTENCE}\n`,
    );
    expect(edited).not.toBe(source);
    writeFile(sourcePath(book, APPROX), edited);

    const run = await runOnce(h, book);

    expect(run.outcome.status).toBe('SUCCEEDED');
    const doc = approxReport(run);
    expect(doc.charactersSent).toBe(NEW_SENTENCE.length);
    expect(doc.charactersSent).toBeLessThanOrEqual(0.02 * [...source].length);
    expect(doc.units.stale).toBe(1);
    const stale = doc.review?.filter((r) => r.kind === 'stale') ?? [];
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ line: 4 });
    expect(stale[0]?.previousHuman).toContain(OLD_ZH_FIRST);
    expect(stale[0]?.previousSource).not.toContain(NEW_SENTENCE);
    expect(stale[0]?.source).toContain(NEW_SENTENCE);
    expect(stale[0]?.translation).toContain(OLD_ZH_FIRST);
    expect(stale[0]?.reason).toMatch(/1 of 3 sentence/);
    const out = readTranslated(book, APPROX);
    // the human sentences are kept, the new one is machine text (the emulator leaves it in English)
    expect(out).toContain(`${OLD_ZH_FIRST}跳元模型的主要思想是`);
    expect(out).toContain(NEW_SENTENCE);
    expect(protectedDifferences(edited, out)).toEqual({ missing: [], extra: [] });
    // the parallel data never pairs the new English with the old human paragraph
    const csv = await parallelData();
    expect(csv).not.toContain(NEW_SENTENCE);
    expect(csv).not.toMatch(/Recall our discussions in/);
  });

  it('the next run with no change keeps the stale flag visible and sends nothing', async () => {
    const run = await runOnce(h, book);
    const doc = approxReport(run);
    expect(run.outcome.report?.charactersSent).toBe(0);
    expect(doc.status).toBe('unchanged');
    expect(doc.units.stale).toBe(1);
    expect(doc.review?.map((r) => r.kind)).toEqual(['stale']);
  });

  it('a translator fixes the reference (no English change): the fix lands in translated/ and the parallel data is rebuilt', async () => {
    const reference = readFileSync(referencePath(APPROX), 'utf8');
    const fixed = reference.replace('给出。\n', `给出。${NEW_ZH}\n`);
    expect(fixed).not.toBe(reference);
    writeFile(referencePath(APPROX), fixed);
    const from = h.env.translate?.calls.length ?? 0;

    const run = await runOnce(h, book, { documents: [APPROX] });

    expect(run.uploaded.uploaded).toEqual([`reference/zh/${APPROX}`]);
    expect(run.outcome.status).toBe('SUCCEEDED');
    const doc = approxReport(run);
    expect(doc.status).toBe('translated');
    expect(doc.charactersSent).toBe(0);
    expect(doc.units).toMatchObject({ stale: 0, conflicts: 0 });
    expect(readTranslated(book, APPROX)).toContain(`给出。${NEW_ZH}`);
    expect(readTranslated(book, APPROX)).not.toContain(NEW_SENTENCE);
    expect(callsOf(h, 'UpdateParallelData', from)).toBe(1);
    expect(await parallelData()).toContain(NEW_ZH);
  });

  it('a reference change against a human post-edit of the same unit is a conflict: the post-edit stays, both texts are reported', async () => {
    const translated = readTranslated(book, APPROX);
    const postEdit = '## 负采样（译者修订）';
    writeFile(translatedPath(book, APPROX), translated.replace('## 负采样', postEdit));
    const reference = readFileSync(referencePath(APPROX), 'utf8');
    writeFile(referencePath(APPROX), reference.replace('## 负采样', '## 负采样方法'));

    const run = await runOnce(h, book);

    const doc = approxReport(run);
    expect(doc.units.conflicts).toBe(1);
    const conflict = doc.review?.find((r) => r.kind === 'conflict');
    expect(conflict).toMatchObject({
      reference: '负采样方法',
      postEdit: '负采样（译者修订）',
      translation: '负采样（译者修订）',
    });
    expect(readTranslated(book, APPROX)).toContain(postEdit);
    expect(readTranslated(book, APPROX)).not.toContain('## 负采样方法');
  });

  it('a post-edit survives the next runs as before', async () => {
    const run = await runOnce(h, book);
    expect(run.outcome.status).toBe('SUCCEEDED');
    expect(readTranslated(book, APPROX)).toContain('## 负采样（译者修订）');
    expect(approxReport(run).units.postEditsKept).toBeGreaterThan(0);
  });
});
