/**
 * Sync of chapters that already have a human translation (issue 10), on the D2L corpus copy with its
 * Chinese reference: characters sent for a one-sentence English edit (a sentence added to the median
 * paragraph that has a human translation; goal ≤ 2 % of the chapter), for a reference-only fix (goal 0),
 * and for the real upstream update r0.17 → d2l-en master (against the changed sentences' total).
 *
 *   npx tsx bench/human-sync.bench.ts      (or npm run bench -- human-sync)
 */
import { extractSegments } from '../lambdas/core/markdown';
import { emptySyncState, referenceAlignment } from '../lambdas/core/sync/api';
import { type Book, syncRun } from '../test/core/sync/helpers';
import { read, runUpstream, upstreamSections } from '../test/core/sync/upstream';

const NEW = ' This sentence was added upstream.';
const ZH = '这句话是上游新增的。';
const inputs = (en: string, zh: string) => {
  const a = referenceAlignment({ sourceMarkdown: en, referenceMarkdown: zh, from: 'en', to: 'zh' });
  return { referencePairs: a.pairs, referenceWeak: a.weak, referenceUnits: a.units };
};

console.log(
  '| chapter | chapter chars | one-sentence edit: sent | % | stale | reference-only fix: sent | fix landed |',
);
console.log('|---|---:|---:|---:|---:|---:|---|');
for (const path of upstreamSections()) {
  const en = read('en', path);
  const zh = read('zh', path);
  const total = extractSegments(en).reduce((n, s) => n + [...s.text].length, 0);
  const book: Book = { source: new Map([[path, en]]), translated: new Map() };
  const first = syncRun(book, emptySyncState('en-zh'), 'r1', {
    sentenceLevel: true,
    perDocument: () => inputs(en, zh),
  });
  const pairs = inputs(en, zh).referencePairs;
  const units = extractSegments(en).filter(
    (s) => s.kind === 'paragraph' && pairs.has(s.text) && /\.$/.test(s.markdown),
  );
  const para = units.sort((a, b) => a.text.length - b.text.length)[Math.floor(units.length / 2)];
  if (!para) continue;
  const edited = en.slice(0, para.end.offset) + NEW + en.slice(para.end.offset);
  const b1: Book = { source: new Map([[path, edited]]), translated: new Map(book.translated) };
  const run = syncRun(b1, first.state, 'r2', { sentenceLevel: true, perDocument: () => inputs(edited, zh) });
  // The translator adds the missing sentence to the reference paragraph: no English change.
  const ref = pairs.get(para.text) as string;
  const fixedZh = zh.replace(ref, ref + ZH);
  const fix = syncRun(b1, run.state, 'r3', {
    sentenceLevel: true,
    perDocument: () => inputs(edited, fixedZh),
  });
  console.log(
    `| ${path} | ${total} | ${run.plan.charactersSent} | ${((100 * run.plan.charactersSent) / total).toFixed(2)}% | ${run.reports[0]?.units.stale} | ${fix.plan.charactersSent} | ${b1.translated.get(path)?.includes(ref + ZH) ? 'yes' : 'NO'} |`,
  );
}

for (const withOrigin of [false, true]) {
  const r = runUpstream({ withOrigin });
  const changed = [...r.changedSentenceChars.values()].reduce((a, b) => a + b, 0);
  const stale = r.second.reports.reduce((n, d) => n + (d.units.stale ?? 0), 0);
  const fuzzy = r.second.reports.reduce((n, d) => n + (d.units.fuzzy ?? 0), 0);
  console.log(
    `\nupstream r0.17 → master (${r.paths.length} chapters, origin files ${withOrigin ? 'present' : 'absent'}): ` +
      `${r.second.plan.charactersSent} characters sent for ${changed} characters of changed sentences ` +
      `(×${(r.second.plan.charactersSent / changed).toFixed(2)}); ${stale} units stale, ${fuzzy} fuzzy`,
  );
}
