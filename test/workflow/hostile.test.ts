import { describe, expect, it } from 'vitest';
import { HOSTILE_CHAPTERS as ALL_HOSTILE } from '../fixtures/hostile-chapters';
import { ALL_DOCUMENTS, copyExamples, PAIR, runOnce, useHarness, writeFile } from './helpers';

// The classes that cost the codec more than ~50 ms run in bench/hostile.bench.ts (by hand), not here.
const HOSTILE_CHAPTERS = ALL_HOSTILE.filter((c) => !c.slow);

const h = useHarness();

const under = (book: string, root: string, path: string) => `${book}/${root}/${path}`;

describe(`a book with ${HOSTILE_CHAPTERS.length} hostile chapters beside the good ones`, () => {
  it('fails each bad chapter alone (named, with the reason), translates the rest, and the run is PARTIAL', async () => {
    const book = copyExamples(h);
    for (const c of HOSTILE_CHAPTERS) {
      writeFile(under(book, `source/${PAIR.source}`, c.path), c.source);
      if (c.translated !== undefined)
        writeFile(under(book, `translated/${PAIR.target}`, c.path), c.translated);
      if (c.reference !== undefined) writeFile(under(book, `reference/${PAIR.target}`, c.path), c.reference);
    }

    const { outcome, lines } = await runOnce(h, book);

    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.report?.status).toBe('PARTIAL');
    const byPath = new Map(outcome.report?.documents.map((d) => [d.path, d]));
    for (const doc of ALL_DOCUMENTS) expect(byPath.get(doc)?.status, doc).toBe('translated');
    const handled: string[] = [];
    for (const c of HOSTILE_CHAPTERS) {
      const d = byPath.get(c.path);
      expect(d, `${c.name}: ${c.path} is in the report`).toBeDefined();
      if (c.expect === 'ok' || (c.expect === 'named' && d?.status !== 'failed')) {
        expect(d?.status, `${c.name}: ${d?.error}`).toMatch(/^(translated|unchanged)$/);
      } else if (c.expect === 'named') {
        expect(d?.error, c.name).toContain(c.path);
      } else {
        expect(d?.status, c.name).toBe('failed');
        expect(d?.error, c.name).toMatch(c.expect);
        // The reason names the file it is about.
        expect(d?.error, c.name).toContain(c.path);
        expect(d?.charactersSent, c.name).toBe(0);
        expect(d?.units.machineTranslated, c.name).toBe(0);
        // Its line is written without review list or review counts; the runner reads the report with
        // the report schema, which fills them in.
        expect(d?.review, c.name).toEqual([]);
        expect(d?.units, c.name).toMatchObject({ stale: 0, fuzzy: 0, conflicts: 0 });
      }
      handled.push(c.name);
    }
    expect(handled).toHaveLength(HOSTILE_CHAPTERS.length);
    // The summary names every failed chapter.
    for (const c of HOSTILE_CHAPTERS.filter((x) => x.expect instanceof RegExp)) {
      expect(lines.some((l) => l.includes('failed') && l.includes(c.path))).toBe(true);
    }
  });
});
