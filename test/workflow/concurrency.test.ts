import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ALL_DOCUMENTS,
  callsOf,
  copyExamples,
  listFiles,
  PAIR,
  RCNN,
  runOnce,
  sourcePath,
  useHarness,
  writeFile,
} from './helpers';

const h = useHarness({ earlierRunWaitMs: 50 });

describe('two executions of the same pair started together', () => {
  it('serialise on the pair lock: one waits, both succeed, nothing is lost, a third run has nothing to do', async () => {
    await h.env.reset();
    const book = copyExamples(h);
    await h.env.uploadBook(PAIR, { book });
    const logs: [string[], string[]] = [[], []];

    const [a, b] = await Promise.all([
      h.env.execute(PAIR, {}, { log: (l) => logs[0].push(l) }),
      h.env.execute(PAIR, {}, { log: (l) => logs[1].push(l) }),
    ]);
    await h.env.downloadResults(PAIR, { book });

    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect([a.report?.status, b.report?.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    // Exactly one of them waited for the other.
    const waited = [a, b].filter((o) => o.states.includes('Wait For Earlier Run'));
    expect(waited).toHaveLength(1);
    // The first translated everything once; the second found it done: one job in all.
    expect(callsOf(h, 'StartTextTranslationJob')).toBe(1);
    const jobs = [a.report?.job, b.report?.job].filter(Boolean);
    expect(jobs).toHaveLength(1);
    expect(listFiles(`${book}/translated/zh`)).toEqual(ALL_DOCUMENTS);
    expect(listFiles(`${book}/reports/en-zh`)).toHaveLength(6); // two runs: JSON, Markdown, review page each

    const third = await runOnce(h, book);
    expect(third.outcome.report).toMatchObject({ status: 'SUCCEEDED', job: null, charactersSent: 0 });
  });

  it('after one edit, two simultaneous runs translate it exactly once (one job, the other sends nothing)', async () => {
    await h.env.reset();
    const book = copyExamples(h);
    await runOnce(h, book);
    writeFile(
      sourcePath(book, RCNN),
      readFileSync(sourcePath(book, RCNN), 'utf8').replace('## R-CNNs', '## The R-CNN Family'),
    );
    await h.env.uploadBook(PAIR, { book });

    const [a, b] = await Promise.all([h.env.execute(PAIR, {}), h.env.execute(PAIR, {})]);
    await h.env.downloadResults(PAIR, { book });

    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(callsOf(h, 'StartTextTranslationJob')).toBe(2);
    expect(readFileSync(`${book}/translated/zh/${RCNN}`, 'utf8')).toContain('The R-CNN Family');
    const sent = [a, b].map((o) => o.report?.charactersSent ?? 0).sort((x, y) => x - y);
    expect(sent[0]).toBe(0);
    expect(sent[1]).toBeGreaterThan(0);
  });
});
