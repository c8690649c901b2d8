/**
 * End to end with a real machine translator: English chapters of the test corpus go through the codec,
 * the Translate emulator with Apertium (en→es) and the merge, as in a run. Every document is either
 * written with every protected item byte-identical (checked by test/workflow/protected.ts, independent
 * of the codec) or reported; both are counted. Apertium runs ONCE for all of them. Three chapters that
 * hold code, math, roles, links, images, emphasis and directives prove the point; the whole corpus
 * and a held-out set are measured by `npm run bench -- apertium` (an apertium run costs seconds).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  mergeTranslationReport,
  toTranslateHtml,
  writtenMarkdownProblems,
} from '../../lambdas/core/markdown';
import { apertiumTranslator, type HtmlTranslator } from '../../local/emulator/apertium';
import {
  emulateHtmlTranslationsWith,
  type TranslationStats,
} from '../../local/emulator/emulated-translation';
import { protectedContent, protectedDifferences } from '../workflow/protected';

const apertium = apertiumTranslator('en', 'es');
const root = join(__dirname, '..', 'fixtures', 'corpus', 'd2l', 'en');
const CHAPTERS = [
  'chapter_recurrent-neural-networks/index.md',
  'chapter_natural-language-processing-pretraining/approx-training.md',
  'chapter_convolutional-modern/nin.md',
];

describe.skipIf('missing' in apertium)(
  `the test corpus through Apertium en→es${'missing' in apertium ? ` (skipped: ${apertium.missing})` : ''}`,
  () => {
    it('writes every document with its protected items byte-identical, or reports it (both counted)', {
      timeout: 120_000,
    }, async () => {
      const files = CHAPTERS.map((f) => join(root, f));
      const sources = files.map((f) => readFileSync(f, 'utf8'));
      let calls = 0;
      const counting: HtmlTranslator = {
        name: (apertium as HtmlTranslator).name,
        translate: (fragments) => {
          calls++;
          return (apertium as HtmlTranslator).translate(fragments);
        },
      };
      const results = await emulateHtmlTranslationsWith(
        sources.map((md, i) => toTranslateHtml(md, { file: files[i] })),
        new Map(),
        counting,
      );
      expect(calls).toBe(1); // one apertium process for all the documents

      let written = 0;
      let reported = 0;
      let kept = 0;
      let total = 0;
      let unitsReported = 0;
      let apertiumCharacters = 0;
      results.forEach(({ html, stats }: { html: string; stats: TranslationStats }, i) => {
        const source = sources[i] as string;
        apertiumCharacters += stats.charactersMachineTranslated;
        const items = protectedContent(source);
        const count = items.blocks.length + items.inline.length;
        total += count;
        const merged = mergeTranslationReport(source, html, { file: files[i] });
        if (merged.problems.length > 0) {
          reported++;
          unitsReported += new Set(merged.problems.map((p) => p.unitId)).size;
          return;
        }
        // Written: every protected item byte-identical and nothing escaped, or the test fails.
        expect(protectedDifferences(source, merged.markdown), files[i]).toEqual({ missing: [], extra: [] });
        expect(writtenMarkdownProblems(source, merged.markdown, files[i]), files[i]).toEqual([]);
        expect(merged.markdown).not.toBe(source);
        written++;
        kept += count;
      });
      console.log(
        `chapters en→es with ${apertium && 'name' in apertium ? apertium.name : ''}: ${files.length} documents, ${written} written (protected items kept ${kept}/${kept}), ${reported} reported (${unitsReported} units); protected items kept/total over them ${kept}/${total}; ${apertiumCharacters} characters machine translated (one apertium process)`,
      );
      expect(written + reported).toBe(files.length);
      // Measured with Debian's apertium-eng-spa: Apertium splits emphasis and links when it reorders
      // words, which the merge joins again (codec.test.ts); nothing else it does damages these chapters.
      expect(reported).toBe(0);
      expect(apertiumCharacters).toBeGreaterThan(10_000);
    });
  },
);
