/**
 * `npm run bench -- apertium`: the codec against a real machine translator. Every English chapter of the
 * codec corpus (test/fixtures/corpus/d2l/en) and of the held-out upstream copy (test/fixtures/upstream,
 * d2l-en master, never used to tune the codec) goes through the codec, the Translate emulator with
 * Apertium en→es (one apertium process per set) and the merge. Prints, per set: documents clean
 * (written with every protected item byte-identical) / reported, protected items kept / total, units
 * reported, characters Apertium translated and its wall time. `AMTS_BENCH_VERBOSE=1` prints each problem.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownFiles } from '../cli/files';
import { mergeTranslationReport, toTranslateHtml } from '../lambdas/core/markdown';
import { apertiumTranslator, type HtmlTranslator } from '../local/emulator/apertium';
import { emulateHtmlTranslationsWith } from '../local/emulator/emulated-translation';
import { protectedContent, protectedDifferences } from '../test/workflow/protected';

const apertium = apertiumTranslator('en', 'es');
if ('missing' in apertium) {
  console.log(`skipped: ${apertium.missing}`);
  process.exit(0);
}
const verbose = process.env.AMTS_BENCH_VERBOSE === '1';
const fixtures = join(import.meta.dirname, '../test/fixtures');
const sets = [
  { name: 'codec corpus (d2l-en r0.17)', root: join(fixtures, 'corpus/d2l/en') },
  { name: 'held-out (d2l-en master)', root: join(fixtures, 'upstream/en-master') },
];

for (const set of sets) {
  const files = markdownFiles(set.root).filter((f) => !f.endsWith('README.md'));
  const sources = files.map((f) => readFileSync(join(set.root, f), 'utf8'));
  let calls = 0;
  let characters = 0;
  const counting: HtmlTranslator = {
    name: apertium.name,
    translate: async (fragments) => {
      calls++;
      characters += fragments.reduce((n, f) => n + f.length, 0);
      return apertium.translate(fragments);
    },
  };
  const t0 = performance.now();
  const results = await emulateHtmlTranslationsWith(
    sources.map((md, i) => toTranslateHtml(md, { file: files[i] })),
    new Map(),
    counting,
  );
  const ms = performance.now() - t0;
  let clean = 0;
  let kept = 0;
  let total = 0;
  let unitsReported = 0;
  let fellBack = 0;
  let machine = 0;
  for (const [i, { html, stats }] of results.entries()) {
    const source = sources[i] as string;
    const items = protectedContent(source);
    const count = items.blocks.length + items.inline.length;
    total += count;
    fellBack += stats.sentencesUntranslated;
    machine += stats.sentencesMachineTranslated;
    const merged = mergeTranslationReport(source, html, { file: files[i] });
    const units = new Set(merged.problems.map((p) => p.unitId));
    unitsReported += units.size;
    if (verbose)
      for (const p of merged.problems) console.log(`  ${files[i]}: ${JSON.stringify(p).slice(0, 400)}`);
    if (merged.problems.length > 0) continue;
    const diff = protectedDifferences(source, merged.markdown);
    if (diff.missing.length || diff.extra.length) {
      console.log(`  ${files[i]}: written with protected differences ${JSON.stringify(diff).slice(0, 400)}`);
      continue;
    }
    clean++;
    kept += count;
  }
  console.log(
    `${set.name}: ${files.length} documents, ${clean} clean, ${files.length - clean} reported (${unitsReported} units); protected items kept ${kept}/${total}; sentences machine translated ${machine}, left untranslated ${fellBack}; ${characters} characters sent to ${apertium.name} in ${calls} calls, ${Math.round(ms)} ms`,
  );
}
