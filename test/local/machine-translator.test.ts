import { describe, expect, it } from 'vitest';
import { mergeTranslationReport, toTranslateHtml } from '../../lambdas/core/markdown';
import { apertiumTranslator, type HtmlTranslator } from '../../local/emulator/apertium';
import {
  emulateHtmlTranslationsWith,
  emulateHtmlTranslationWith,
  restoreAtoms,
  UNTRANSLATED_CLASS,
} from '../../local/emulator/emulated-translation';

/** Uppercases text outside tags, like a translator that keeps every tag where it was. */
const upper: HtmlTranslator = {
  name: 'upper',
  async translate(fragments) {
    this.calls = (this.calls ?? 0) + 1;
    return fragments.map((f) =>
      f.replace(/(^|>)([^<]*)/g, (_m, a: string, t: string) => a + t.toUpperCase()),
    );
  },
} as HtmlTranslator & { calls?: number };

const md =
  'We set the beam size to $2$ at step $\\mathbf{x}$; see :numref:`fig_qkv`.\n\nKnown sentence.\n\n## A *new* heading\n';
const memory = new Map([['Known sentence.', 'Frase conocida.']]);

describe('the Translate emulator with a machine translator', () => {
  it('translates every run without a parallel-data match in one call, keeping translate="no" spans as they were', async () => {
    const calls = { n: 0 };
    const counting: HtmlTranslator = {
      name: 'upper',
      translate: async (f) => {
        calls.n++;
        return upper.translate(f);
      },
    };
    const { html, stats } = await emulateHtmlTranslationWith(toTranslateHtml(md), memory, counting);
    expect(calls.n).toBe(1);
    expect(html).toContain('WE SET THE BEAM SIZE TO <span translate="no" id="u1.p1">$2$</span>');
    expect(html).toContain('<span translate="no" id="u1.p2">$\\mathbf{x}$</span>');
    expect(html).toContain('Frase conocida.');
    expect(html).not.toContain(UNTRANSLATED_CLASS);
    expect(stats).toMatchObject({ sentencesFromParallelData: 1, sentencesUntranslated: 0 });
    expect(stats.sentencesMachineTranslated).toBe(2);
    const merged = mergeTranslationReport(md, html);
    expect(merged.problems).toEqual([]);
    expect(merged.markdown).toContain('$2$ AT STEP $\\mathbf{x}$; SEE :numref:`fig_qkv`.');
    expect(merged.markdown).toContain('## A *NEW* HEADING');
  });

  it.each([
    ['drops a placeholder', (f: string) => f.replace('<amts-x id="0"></amts-x>', '')],
    ['duplicates a placeholder', (f: string) => f.replace('<amts-x id="0"></amts-x>', '$&$&')],
    ['invents a placeholder', (f: string) => `${f}<amts-x id="9"></amts-x>`],
  ])('keeps a run untranslated (marked) when the translator %s', async (_what, damage) => {
    const bad: HtmlTranslator = { name: 'bad', translate: async (fs) => fs.map(damage) };
    const { html, stats } = await emulateHtmlTranslationWith(toTranslateHtml(md), memory, bad);
    expect(html).toMatch(new RegExp(`<span class="${UNTRANSLATED_CLASS}">We set the beam size to`));
    expect(stats.sentencesUntranslated).toBeGreaterThan(0);
    expect(mergeTranslationReport(md, html).problems).toEqual([]);
  });

  it('returns the document as without a translator when the translator fails', async () => {
    const broken: HtmlTranslator = {
      name: 'broken',
      translate: async () => Promise.reject(new Error('gone')),
    };
    const { html } = await emulateHtmlTranslationWith(toTranslateHtml(md), memory, broken);
    expect(html).toContain(UNTRANSLATED_CLASS);
  });

  it('keeps a run untranslated (marked), never empty, when the translator loses its fragment', async () => {
    const losing: HtmlTranslator = {
      name: 'losing',
      translate: async (fs) => fs.map((f, i) => (i === fs.length - 1 ? undefined : f.toUpperCase())),
    };
    const { html } = await emulateHtmlTranslationWith(toTranslateHtml(md), memory, losing);
    expect(html).toMatch(new RegExp(`<span class="${UNTRANSLATED_CLASS}">new</span>`));
    expect(mergeTranslationReport(md, html).markdown).toContain('## A *new* heading');
  });

  it('translates several documents with one translator call and gives each its own fragments back', async () => {
    let calls = 0;
    const counting: HtmlTranslator = {
      name: 'upper',
      translate: async (f) => {
        calls++;
        return upper.translate(f);
      },
    };
    const docs = [md, 'Second *document* here.\n', 'Known sentence.\n', 'Third with `code`.\n'];
    const results = await emulateHtmlTranslationsWith(
      docs.map((d) => toTranslateHtml(d)),
      memory,
      counting,
    );
    expect(calls).toBe(1);
    const merged = results.map((r, i) => mergeTranslationReport(docs[i] as string, r.html));
    expect(merged.map((m) => m.problems)).toEqual([[], [], [], []]);
    expect(merged.map((m) => m.markdown.trim())).toEqual([
      expect.stringContaining('WE SET THE BEAM SIZE TO $2$'),
      'SECOND *DOCUMENT* HERE.',
      'Frase conocida.',
      'THIRD WITH `code`.',
    ]);
    expect(results.map((r) => r.stats.sentencesMachineTranslated)).toEqual([2, 1, 0, 1]);
  });

  it('restoreAtoms() accepts the self-closing form and refuses leftovers', () => {
    expect(restoreAtoms('a <amts-x id="0"/> b', ['<span translate="no">$x$</span>'])).toBe(
      'a <span translate="no">$x$</span> b',
    );
    expect(restoreAtoms('a <amts-x id="0"></amts-x> </amts-x>', ['X'])).toBeUndefined();
  });
});

const apertium = apertiumTranslator('en', 'es');
describe.skipIf('missing' in apertium)(
  `Apertium en→es${'missing' in apertium ? ` (skipped: ${apertium.missing})` : ''}`,
  () => {
    it('translates to Spanish and keeps math, code and roles byte-identical', async () => {
      const { html } = await emulateHtmlTranslationWith(
        toTranslateHtml(md),
        memory,
        apertium as HtmlTranslator,
      );
      const merged = mergeTranslationReport(md, html);
      expect(merged.problems).toEqual([]);
      expect(merged.markdown).toMatch(/Ponemos|Pusimos|Fijamos/);
      for (const item of ['$2$', '$\\mathbf{x}$', ':numref:`fig_qkv`'])
        expect(merged.markdown).toContain(item);
      expect(merged.markdown).toContain('Frase conocida.');
    });
  },
);
