/**
 * End to end with a real machine translator: every English chapter of the test corpus goes through the
 * codec, the Translate emulator with Apertium (en→es) and the merge, as in a run. Every document is
 * either written with every protected item byte-identical (checked by test/workflow/protected.ts,
 * independent of the codec) or reported; both are counted. Apertium runs ONCE for the whole corpus.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFiles } from '../../cli/files';
import {
  mergeTranslationReport,
  toTranslateHtml,
  writtenMarkdownProblems,
} from '../../lambdas/core/markdown';
import { apertiumTranslator, type HtmlTranslator } from '../../local/apertium';
import { emulateHtmlTranslationWith, type TranslationStats } from '../../local/emulated-translation';
import { protectedContent, protectedDifferences } from '../workflow/protected';

const apertium = apertiumTranslator('en', 'es');
const root = join(__dirname, '..', 'fixtures', 'corpus', 'd2l', 'en');

/** Collects every document's fragments and answers them all with one call of `inner`. */
function batching(inner: HtmlTranslator) {
  const queue: {
    fragments: readonly string[];
    resolve: (v: string[]) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const translator: HtmlTranslator = {
    name: inner.name,
    translate: (fragments) => new Promise((resolve, reject) => queue.push({ fragments, resolve, reject })),
  };
  const flush = async () => {
    const all = queue.flatMap((q) => q.fragments);
    try {
      const out = await inner.translate(all);
      let at = 0;
      for (const q of queue) {
        q.resolve(out.slice(at, at + q.fragments.length));
        at += q.fragments.length;
      }
    } catch (error) {
      for (const q of queue) q.reject(error);
    }
  };
  return { translator, flush, calls: () => queue.length };
}

describe.skipIf('missing' in apertium)(
  `the test corpus through Apertium en→es${'missing' in apertium ? ` (skipped: ${apertium.missing})` : ''}`,
  () => {
    it('writes every document with its protected items byte-identical, or reports it (both counted)', {
      timeout: 120_000,
    }, async () => {
      const files = markdownFiles(root).map((f) => join(root, f));
      const sources = files.map((f) => readFileSync(f, 'utf8'));
      const batch = batching(apertium as HtmlTranslator);
      const t0 = Date.now();
      const pending = sources.map((md, i) =>
        emulateHtmlTranslationWith(toTranslateHtml(md, { file: files[i] }), new Map(), batch.translator),
      );
      await Promise.resolve();
      expect(batch.calls()).toBe(files.length);
      await batch.flush(); // one apertium process for the whole corpus
      const results = await Promise.all(pending);
      const ms = Date.now() - t0;

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
        `corpus en→es with ${apertium && 'name' in apertium ? apertium.name : ''}: ${files.length} documents, ${written} written (protected items kept ${kept}/${kept}), ${reported} reported (${unitsReported} units); protected items kept/total over the corpus ${kept}/${total}; ${apertiumCharacters} characters machine translated in ${ms} ms (one apertium process)`,
      );
      expect(written + reported).toBe(files.length);
      expect(apertiumCharacters).toBeGreaterThan(50_000);
    });
  },
);
