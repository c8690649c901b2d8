import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownFiles } from '../../../cli/files';
import {
  decodeMarkdown,
  extractSegments,
  mergeTranslation,
  mergeTranslationReport,
  toTranslateHtml,
} from '../../../lambdas/core/markdown';
import { toHan } from '../../helpers/fake-translator';

// A copy of the shared D2L corpus (en, zh, pt; CC BY-SA 4.0, see test/fixtures/corpus/README.md).
const corpusDir = join(import.meta.dirname, '../../fixtures/corpus/d2l');
const corpus = markdownFiles(corpusDir).map(
  (p) => [p, decodeMarkdown(readFileSync(join(corpusDir, p)), p)] as const,
);

/** Occurrences of `needle` in `hay`. */
const count = (hay: string, needle: string) => hay.split(needle).length - 1;

describe('codec on the D2L corpus', () => {
  it('covers en, zh and pt', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(23);
    expect(new Set(corpus.map(([f]) => f.split('/')[0]))).toEqual(new Set(['en', 'zh', 'pt']));
  });

  it.each(corpus)('%s: identity translation round-trips byte for byte', (file, md) => {
    expect(mergeTranslation(md, toTranslateHtml(md, { file }), { file })).toBe(md);
  });

  it.each(corpus)(
    '%s: a full translation keeps every protected item and every untranslated block',
    (file, md) => {
      const out = mergeTranslation(md, toHan(toTranslateHtml(md, { file })), { file });
      const before = extractSegments(md);
      const after = extractSegments(out);
      // Same unit structure (kinds in order) and every protected item still there, as often as before.
      expect(after.map((s) => s.kind)).toEqual(before.map((s) => s.kind));
      for (const item of new Set(before.flatMap((s) => s.protectedItems))) {
        expect(count(out, item), item).toBeGreaterThanOrEqual(count(md, item) > 0 ? 1 : 0);
      }
      // Fenced code blocks are byte-identical.
      const fences = md.match(/^```[^\n]*\n[\s\S]*?^```$/gm) ?? [];
      for (const fence of fences) expect(out).toContain(fence);
    },
  );

  // Big inputs (1–4 MB, and the linear-time check) live in bench/codec.bench.ts; test/core/markdown/
  // tree.test.ts proves without timing that the parse work is linear.
  it('the corpus joined into one 200 KB document (parsed in pieces) round-trips byte for byte', () => {
    let big = '';
    for (let i = 0; big.length < 200 * 1024; i++) big += `${corpus[i % corpus.length]?.[1]}\n\n`;
    const report = mergeTranslationReport(big, toTranslateHtml(big));
    expect(report.problems).toEqual([]);
    expect(report.unitsTotal).toBeGreaterThan(500);
    expect(report.markdown === big).toBe(true);
  });
});

describe('round-trip property', () => {
  const fragment = fc.constantFrom(
    '# Heading',
    '## [**Slide heading**]',
    'Plain prose with *emphasis*, **strong** and `code`.',
    'Math $x_i^2$ next to punctuation: $y$, $z$; (see $$a=b$$).',
    'Roles :numref:`sec_a`, :cite:`A.B.2020`, :eqref:`eq_b`.',
    ':label:`sec_x`',
    '* item one\n* item two\n  continued',
    '1. first\n1. second',
    '> quoted text\n> more quoted',
    '| a | `b\\|c` |\n|---|---|\n| $x$ | y |',
    '![alt text](img.png)\n:width:`300px`',
    '```python\nprint("x")\n```',
    '$$\n\\begin{aligned}\na &= b\n\\end{aligned}\n$$',
    ':begin_tab:`pytorch`\n[Discussions](https://discuss.d2l.ai/t/1)\n:end_tab:',
    '中文段落，包含 :numref:`sec_c`中的内容\n以及换行。',
    'Entities &lt;eos&gt; and escapes \\$ \\* and <sup>1</sup>.',
    '(**continue**) and (((copy))) and (~~hide~~)',
    '',
    '   ',
  );
  const eol = fc.constantFrom('\n', '\r\n');

  it('merge(md, html(md)) === md for any mix of d2lbook constructs, blank lines and line endings', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 12 }), eol, fc.boolean(), (parts, nl, bom) => {
        const md = (bom ? '\uFEFF' : '') + parts.join(`${nl}${nl}`).replace(/\n/g, nl);
        expect(mergeTranslation(md, toTranslateHtml(md))).toBe(md);
      }),
      { numRuns: 300 },
    );
  });
});
