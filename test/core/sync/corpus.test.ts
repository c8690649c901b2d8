import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractSegments, type Segment } from '../../../lambdas/core/markdown';
import { emptySyncState, type SyncState } from '../../../lambdas/core/sync/api';
import { type Book, syncRun } from './helpers';

const EN = join(import.meta.dirname, '..', '..', 'fixtures', 'corpus', 'd2l', 'en');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]))
    .sort();
}

const chapters = new Map(walk(EN).map((f) => [relative(EN, f), readFileSync(f, 'utf8')]));
const chars = (s: Segment) => [...s.text].length;

/** The paragraph of median length: a typical one-paragraph edit. */
function medianParagraph(md: string): Segment {
  const paras = extractSegments(md)
    .filter((s) => s.kind === 'paragraph' && /^[A-Z]/.test(s.markdown))
    .sort((a, b) => chars(a) - chars(b));
  return paras[Math.floor(paras.length / 2)] as Segment;
}

function editParagraph(md: string, seg: Segment): string {
  const edited = seg.markdown.replace(/^(\S+)/, '$1 really');
  return md.slice(0, seg.start.offset) + edited + md.slice(seg.end.offset);
}

let base: { book: Book; state: SyncState };

beforeAll(() => {
  const book: Book = { source: new Map(chapters), translated: new Map() };
  const { state } = syncRun(book, emptySyncState('en-zh'), 'r1');
  base = { book, state };
});

function copy(book: Book): Book {
  return { source: new Map(book.source), translated: new Map(book.translated) };
}

describe('sync on the shared D2L corpus (10 sections, test/fixtures/corpus/d2l)', () => {
  it('sends 0 characters and starts no job when nothing changed', () => {
    const run = syncRun(copy(base.book), base.state, 'r2');
    expect(run.plan.charactersSent).toBe(0);
    expect(run.plan.needsJob).toBe(false);
    expect(run.written).toEqual([]);
  });

  it.each([...chapters.keys()])(
    'a one-paragraph edit in %s sends only that paragraph, and nothing of the other chapters',
    (path) => {
      const book = copy(base.book);
      const md = chapters.get(path) as string;
      const para = medianParagraph(md);
      book.source.set(path, editParagraph(md, para));
      const run = syncRun(book, base.state, 'r2');
      for (const doc of run.plan.documents) {
        if (doc.path === path) {
          expect(doc.machineUnitIds).toHaveLength(1);
          expect(doc.charactersSent).toBe(chars(para) + ' really'.length);
        } else expect(doc.charactersSent).toBe(0);
      }
      expect(run.written).toEqual([path]);
    },
  );

  it.each([...chapters.keys()])(
    'with sentenceLevel, a one-sentence edit in %s sends only that sentence',
    (path) => {
      const book = copy(base.book);
      const md = chapters.get(path) as string;
      const para = medianParagraph(md);
      book.source.set(path, editParagraph(md, para));
      const run = syncRun(book, base.state, 'r2', { sentenceLevel: true });
      const doc = run.plan.documents.find((d) => d.path === path);
      const firstSentence = para.text.split(/(?<=[.!?])\s+(?=[A-Z])/)[0] as string;
      expect(doc?.machineUnitIds).toHaveLength(1);
      expect(doc?.charactersSent).toBeLessThanOrEqual([...firstSentence].length + ' really'.length);
      expect(run.plan.charactersSent).toBe(doc?.charactersSent);
      expect(book.translated.get(path)).toContain('really');
    },
  );

  it('keeps a post-edit in hardware.md when another paragraph of it changes', () => {
    const path = 'chapter_computational-performance/hardware.md';
    const book = copy(base.book);
    const tr = book.translated.get(path) as string;
    const segs = extractSegments(tr);
    const victim = segs.find((s) => s.kind === 'paragraph' && s.text.length > 200) as Segment;
    const postEdited = `${tr.slice(0, victim.start.offset)}人工修订：这一段由译者改写。${tr.slice(victim.end.offset)}`;
    book.translated.set(path, postEdited);
    const md = chapters.get(path) as string;
    const other = medianParagraph(md);
    expect(victim.text).not.toContain(other.text.slice(0, 30));
    book.source.set(path, editParagraph(md, other));
    const run = syncRun(book, base.state, 'r2');
    expect(book.translated.get(path)).toContain('人工修订：这一段由译者改写。');
    expect(run.reports.find((r) => r.path === path)?.units).toMatchObject({
      postEditsKept: 1,
      machineTranslated: 1,
    });
  });
});
