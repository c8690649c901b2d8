/**
 * Synchronisation figures (issue 7): what a run sends after a one-paragraph edit, per chapter, on the shared
 * D2L corpus copy (test/fixtures/corpus/d2l/en, 10 sections) and on the example book (examples/source/en);
 * a run with no change; planning time. Whole in-memory sync runs (plan → batch → fake job → assemble →
 * commit), the same code path as the workflow handlers minus S3.
 *
 *   npx tsx bench/sync.bench.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { extractSegments, type Segment } from '../lambdas/core/markdown';
import { emptySyncState, planRun, type SyncState } from '../lambdas/core/sync/api';
import { type Book, syncRun } from '../test/core/sync/helpers';

const root = join(import.meta.dirname, '..');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((f) =>
      statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : f.endsWith('.md') ? [join(dir, f)] : [],
    )
    .sort();
}

const chars = (s: Segment) => [...s.text].length;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;

function paragraphs(md: string): Segment[] {
  return extractSegments(md)
    .filter((s) => s.kind === 'paragraph')
    .sort((a, b) => chars(a) - chars(b));
}

function editParagraph(md: string, seg: Segment): string {
  return (
    md.slice(0, seg.start.offset) + seg.markdown.replace(/^(\S+)/, '$1 really') + md.slice(seg.end.offset)
  );
}

function copy(book: Book): Book {
  return { source: new Map(book.source), translated: new Map(book.translated) };
}

function benchBook(name: string, dir: string): void {
  const chapters = new Map(walk(dir).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
  const book: Book = { source: new Map(chapters), translated: new Map() };
  const first = syncRun(book, emptySyncState('en-zh'), 'r1');
  const state: SyncState = first.state;
  const again = syncRun(copy(book), state, 'r2');
  console.log(
    `\n## ${name}: ${chapters.size} chapters, first run sends ${first.plan.charactersSent} characters`,
  );
  console.log(
    `no change: ${again.plan.charactersSent} characters sent, job needed: ${again.plan.needsJob}, documents written: ${again.written.length}`,
  );
  console.log(
    '\nA word inserted in the first sentence of the median / the longest paragraph of one chapter. Characters sent' +
      ' with whole units (input `"sentenceLevel": false`) and with sentence level (the workflow default: only the changed' +
      ' sentences of an edited unit).',
  );
  console.log(
    '\n| chapter | units chars | median ¶: units | % | sentences | % | longest ¶: units | % | sentences | % | other chapters |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  let within = 0;
  let withinSentences = 0;
  let otherTotal = 0;
  for (const [path, md] of chapters) {
    const total = extractSegments(md).reduce((n, s) => n + chars(s), 0);
    const paras = paragraphs(md);
    const median = paras[Math.floor(paras.length / 2)];
    const cells: string[] = [];
    let otherSent = 0;
    for (const para of [median, paras[paras.length - 1]]) {
      if (!para) {
        cells.push('–', '–', '–', '–');
        continue;
      }
      for (const sentenceLevel of [false, true]) {
        const b = copy(book);
        b.source.set(path, editParagraph(md, para));
        const run = syncRun(b, state, 'r3', { sentenceLevel });
        const sent = run.plan.documents.find((d) => d.path === path)?.charactersSent ?? 0;
        otherSent += run.plan.charactersSent - sent;
        cells.push(String(sent), pct(sent, total));
        if (para === median && sent <= 0.05 * total) {
          if (sentenceLevel) withinSentences++;
          else within++;
        }
      }
    }
    otherTotal += otherSent;
    console.log(`| ${path} | ${total} | ${cells.join(' | ')} | ${otherSent} |`);
  }
  console.log(
    `\nmedian-paragraph edit within 5% of its chapter: ${within}/${chapters.size} chapters (whole units), ` +
      `${withinSentences}/${chapters.size} (sentence level, the default); characters sent for other chapters: ${otherTotal}`,
  );

  // Planning time of the whole book (no change), segments extracted beforehand (the codec's cost): median of 5.
  const docs = [...chapters].map(([path, md]) => {
    const tr = book.translated.get(path) ?? null;
    return {
      path,
      sourceMarkdown: md,
      source: extractSegments(md),
      translatedMarkdown: tr,
      translated: tr === null ? null : extractSegments(tr),
    };
  });
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    planRun({ pair: 'en-zh', state, documents: docs });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const bytes = [...chapters.values()].reduce((n, md) => n + Buffer.byteLength(md), 0);
  console.log(
    `planRun over ${chapters.size} chapters (${(bytes / 1024).toFixed(0)} KiB English + their translations, segments given): median ${(times[2] as number).toFixed(1)} ms`,
  );
}

benchBook('shared D2L corpus (test/fixtures/corpus/d2l/en)', join(root, 'test/fixtures/corpus/d2l/en'));
benchBook('example book (examples/source/en)', join(root, 'examples/source/en'));
