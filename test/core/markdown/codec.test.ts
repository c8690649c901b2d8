import { describe, expect, it } from 'vitest';
import { InvalidInputError, ProtectedContentError } from '../../../lambdas/core/errors';
import {
  extractSegments,
  mergeTranslation,
  mergeTranslationReport,
  readTranslatedUnits,
  replaceUnits,
  toTranslateHtml,
} from '../../../lambdas/core/markdown';
import { shout, translateProse } from '../../helpers/fake-translator';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const para = (html: string, id: string) =>
  new RegExp(`<(?:p|h\\d) id="${id}">(.*?)</(?:p|h\\d)>`).exec(html)?.[1] ?? '';

describe('toTranslateHtml()', () => {
  it('writes a complete html/body document with one block element per unit and stable ids', () => {
    const html = toTranslateHtml('# Title\n\nOne.\n\nTwo.\n');
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain(
      '<body>\n<h1 id="u1">Title</h1>\n<p id="u2">One.</p>\n<p id="u3">Two.</p>\n</body>\n</html>',
    );
    expect(toTranslateHtml('# Title\n\nOne.\n\nTwo.\n')).toBe(html);
  });

  it('escapes <, > and & in text', () => {
    expect(para(toTranslateHtml('a < b > c & d\n'), 'u1')).toBe('a &lt; b &gt; c &amp; d');
  });

  it('turns soft line breaks (and trailing spaces) into single spaces', () => {
    expect(para(toTranslateHtml('one clause,  \nanother clause\n  indented.\n'), 'u1')).toBe(
      'one clause, another clause indented.',
    );
  });

  it('joins Chinese lines without inventing a space between CJK characters', () => {
    expect(para(toTranslateHtml('这是第一行\n这是第二行。\n'), 'u1')).toBe('这是第一行这是第二行。');
  });

  it.each([
    ['inline code', 'Use `x = 1` here.', '`x = 1`'],
    ['inline math', 'Let $\\hat{y} < 1$ hold.', '$\\hat{y} &lt; 1$'],
    ['single-line display math in a sentence', 'So $$a+b$$ holds.', '$$a+b$$'],
    ['a role with its argument', 'See :numref:`sec_x` now.', ':numref:`sec_x`'],
    ['a citation', 'As shown :cite:`A.B.2020,C.D.2021`.', ':cite:`A.B.2020,C.D.2021`'],
    ['an equation ref', 'By :eqref:`eq_1` we get.', ':eqref:`eq_1`'],
    ['an HTML entity', 'The &lt;eos&gt; token.', '&amp;lt;'],
    ['inline HTML', 'Water is H<sub>2</sub>O.', '&lt;sub&gt;'],
    ['a backslash escape', 'It costs \\$5 today.', '\\$'],
    ['a bare URL', 'Visit https://d2l.ai today.', 'https://d2l.ai'],
    ['an autolink', 'Visit <https://d2l.ai> today.', '&lt;https://d2l.ai&gt;'],
  ])('protects %s in a translate="no" span', (_what, md, span) => {
    expect(para(toTranslateHtml(`${md}\n`), 'u1')).toContain(
      `<span translate="no" id="u1.p1">${span}</span>`,
    );
  });

  it('keeps link and image targets out of the text: only the link text and alt text are translatable', () => {
    const html = toTranslateHtml('Read [the guide](https://x.y/a?b=1 "Title") and ![a cat](cat.png).\n');
    expect(html).toContain('<a id="u1.w1">the guide</a>');
    expect(html).toContain('<span id="u1.w2">a cat</span>');
    expect(html).not.toContain('https://x.y');
    expect(html).not.toContain('cat.png');
  });

  it.each([
    ['math in image alt text', '![Sequences $A$, $AB$.](../img/s.svg)', ['$A$', '$AB$']],
    ['inline code in image alt text', '![Call `f(x)` here.](a.svg)', ['`f(x)`']],
    ['a role in image alt text', '![As in :numref:`fig_qkv`.](a.svg)', [':numref:`fig_qkv`']],
    ['math across a line break in alt text', '![Let $a +\nb$ be.](a.svg)', ['$a +\nb$']],
    ['math in link text', 'See [the $x$ case](u.html).', ['$x$']],
    ['code and a role in link text', 'See [`f` and :numref:`sec_a`](u.html).', ['`f`', ':numref:`sec_a`']],
  ])('protects %s like anywhere else', (_what, md, items) => {
    const [segment] = extractSegments(`${md}\n`);
    expect(segment?.protectedItems.filter((p) => /[`$]/.test(p))).toEqual(items);
    const html = toTranslateHtml(`${md}\n`);
    for (const item of items)
      expect(html).toMatch(new RegExp(`<span translate="no" id="u1\\.p\\d+">${escapeRe(item)}</span>`));
  });

  it('leaves an escaped dollar in alt text an escape, not math', () => {
    const [segment] = extractSegments('![It costs \\$5 and \\$6.](a.svg)\n');
    expect(segment?.protectedItems).toEqual(['\\$', '\\$']);
  });

  it('keeps slide-marker brackets with their markup, outside the text', () => {
    const html = toTranslateHtml('[**Read it**] and (**keep it**) and (~~hide it~~).\n');
    expect(html).toContain(
      '<strong id="u1.w1">Read it</strong> and <strong id="u1.w2">keep it</strong> and <del id="u1.w3">hide it</del>.',
    );
    expect(html).not.toMatch(/\[|\]|\(\*|~~/);
  });

  it('never makes units of code, display math, directives, toc or eval_rst blocks, front matter or HTML blocks', () => {
    const md = [
      '---',
      'title: Front matter words',
      '---',
      '```toc',
      'chapter_one',
      '```',
      '',
      '```eval_rst',
      '.. automodule:: d2l',
      '```',
      '',
      '$$',
      'x = \\text{words}',
      '$$',
      ':eqlabel:`eq_words`',
      '',
      '<div>block html words</div>',
      '',
      ':label:`sec_words`',
      '',
      '    indented code words',
      '',
    ].join('\n');
    expect(extractSegments(md)).toEqual([]);
  });

  it('writes only the requested units for a partial document', () => {
    const html = toTranslateHtml('A.\n\nB.\n\nC.\n', { only: new Set(['u2']) });
    expect(html).toContain('<p id="u2">B.</p>');
    expect(html).not.toContain('id="u1"');
    expect(html).not.toContain('id="u3"');
  });

  it('is not fooled by hostile text: a script tag in prose is escaped, inline HTML is protected', () => {
    const html = toTranslateHtml('Look: &lt;script&gt; and <script>alert(1)</script> end.\n');
    expect(html).not.toMatch(/<script>/);
    expect(html).toContain('<span translate="no" id="u1.p3">&lt;script&gt;</span>');
  });
});

describe('mergeTranslation()', () => {
  const source = [
    '# Compilers and `Interpreters`',
    ':label:`sec_hybridize`',
    '',
    'Python is an *interpreted language*: it evaluates `e = add(a, b)`',
    'and stores the result, see :numref:`fig_graph` and $e^x$.',
    '',
    '| Name | Value |',
    '|---|---|',
    '| speed | $v$ fast |',
    '',
    ':begin_tab:`pytorch`',
    '[Discussions](https://discuss.d2l.ai/t/2490)',
    ':end_tab:',
    '',
  ].join('\n');

  it('returns the source unchanged for an identity translation', () => {
    expect(mergeTranslation(source, toTranslateHtml(source))).toBe(source);
  });

  it('replaces the prose and keeps every protected item byte-identical', () => {
    const out = mergeTranslation(source, shout(toTranslateHtml(source)));
    expect(out).toContain('# COMPILERS AND `Interpreters`\n:label:`sec_hybridize`');
    expect(out).toContain(
      'PYTHON IS AN *INTERPRETED LANGUAGE*: IT EVALUATES `e = add(a, b)` AND STORES THE RESULT, SEE :numref:`fig_graph` AND $e^x$.',
    );
    expect(out).toContain('| SPEED | $v$ FAST |');
    expect(out).toContain(':begin_tab:`pytorch`\n[DISCUSSIONS](https://discuss.d2l.ai/t/2490)\n:end_tab:\n');
  });

  it('accepts protected spans that the translator moved within their unit', () => {
    const html = toTranslateHtml('See :numref:`fig_a` for $x$ details.\n').replace(
      '<p id="u1">See <span translate="no" id="u1.p1">:numref:`fig_a`</span> for <span translate="no" id="u1.p2">$x$</span> details.</p>',
      '<p id="u1"><span translate="no" id="u1.p2">$x$</span> 的细节见<span translate="no" id="u1.p1">:numref:`fig_a`</span>。</p>',
    );
    expect(mergeTranslation('See :numref:`fig_a` for $x$ details.\n', html)).toBe(
      '$x$ 的细节见:numref:`fig_a`。\n',
    );
  });

  it('matches a protected span that lost its id by its content', () => {
    const md = 'Use `foo` now.\n';
    const html = toTranslateHtml(md).replace(' id="u1.p1"', '');
    expect(
      mergeTranslation(
        md,
        translateProse(html, (t) => t.replace('Use', 'Utilice')),
      ),
    ).toBe('Utilice `foo` now.\n');
  });

  it('leaves directive lines at the edges of a unit out of it: they are never sent and stay verbatim', () => {
    const md =
      ':begin_tab:`mxnet`\nBy calling `hybridize` we compile.\n:end_tab:\n\n![A cat.](cat.png)\n:label:`fig_cat`\n:width:`400px`\n';
    const html = toTranslateHtml(md);
    expect(html).not.toMatch(/begin_tab|end_tab|fig_cat|400px/);
    const out = mergeTranslation(
      md,
      html
        .replace(/>By calling </, '>通过调用<')
        .replace(/> we compile\.</, '>我们编译。<')
        .replace('>A cat.<', '>一只猫。<'),
    );
    expect(out).toBe(
      ':begin_tab:`mxnet`\n通过调用`hybridize`我们编译。\n:end_tab:\n\n![一只猫。](cat.png)\n:label:`fig_cat`\n:width:`400px`\n',
    );
  });

  it('keeps a directive inside a unit on its own line even when the translator joins the lines', () => {
    const md = 'See the figure ![a cat](cat.png)\n:width:`400px`\nand read on.\n';
    const html = toTranslateHtml(md);
    expect(html).toContain('<span translate="no" id="u1.p2">:width:`400px`</span>');
    const joined = html
      .replace(' <span translate="no" id="u1.p2">', '<span translate="no" id="u1.p2">')
      .replace(/<\/span> and read on\./, '</span>然后继续读。');
    expect(mergeTranslation(md, joined)).toBe(
      'See the figure ![a cat](cat.png)\n:width:`400px`\n然后继续读。\n',
    );
  });

  it('escapes Markdown syntax that appears in translated text', () => {
    const md = '| a | b |\n|---|---|\n| cell | x |\n';
    const html = toTranslateHtml(md).replace('>cell<', '>a|b *c* $d [e] &lt;f&gt;<');
    expect(mergeTranslation(md, html)).toContain('| a\\|b \\*c\\* \\$d \\[e\\] &lt;f> | x |');
  });

  it.each([
    [
      'math of a human sentence returned as text beside the spans',
      'We set the beam size to $2$ at step $1$.',
      '<p id="u1">设置束宽为$2$，在时间步<span translate="no" id="u1.p2">$1$</span>。</p>',
    ],
    [
      'a role returned as text besides its kept span',
      'See :numref:`fig_qkv` now.',
      '<p id="u1">见<span translate="no" id="u1.p1">:numref:`fig_qkv`</span>（:numref:`fig_qkv`）。</p>',
    ],
    [
      'math of a caption returned as text',
      '![Sequences $A$ and $C$.](a.svg)',
      '<p id="u1"><span id="u1.w1">序列$A$和$C$。</span></p>',
    ],
  ])('reports protected-as-text when %s', (_what, md, unitHtml) => {
    const html = toTranslateHtml(`${md}\n`).replace(/<p id="u1">.*<\/p>/, unitHtml);
    const report = mergeTranslationReport(`${md}\n`, html);
    expect(report.problems.map((p) => p.kind)).toContain('protected-as-text');
    expect(() => mergeTranslation(`${md}\n`, html)).toThrow(ProtectedContentError);
  });

  it('does not report a lone dollar or backtick the translator wrote, nor one the source had', () => {
    const md = 'A lone ` mark and `code`.\n';
    const html = toTranslateHtml(md).replace('A lone ` mark and', 'Costs $5, a ` mark and');
    expect(mergeTranslationReport(md, html).problems).toEqual([]);
  });

  it('escapes a translated paragraph that would start a list or a heading', () => {
    const html = toTranslateHtml('Hello world.\n').replace('>Hello world.<', '>- not a list<');
    expect(mergeTranslation('Hello world.\n', html)).toBe('\\- not a list\n');
  });

  it('keeps CRLF line endings and the BOM', () => {
    const md = '\uFEFF# T\r\n\r\nA `b`\r\nc.\r\n';
    expect(mergeTranslation(md, toTranslateHtml(md))).toBe(md);
    expect(mergeTranslation(md, shout(toTranslateHtml(md)))).toBe('\uFEFF# T\r\n\r\nA `b` C.\r\n');
  });

  it('keeps blockquote markers on continuation lines', () => {
    const md = '> Premise: a horse.\n> Hypothesis: a rider.\n';
    expect(mergeTranslation(md, toTranslateHtml(md))).toBe(md);
    expect(extractSegments(md)[0]?.text).toBe('Premise: a horse. Hypothesis: a rider.');
  });

  describe('when the translation damaged protected content', () => {
    const md = 'Line one.\n\nSee `code` and $x$ here.\n';
    const html = toTranslateHtml(md, { file: 'ch/a.md' });

    function problemsOf(damaged: string) {
      try {
        mergeTranslation(md, damaged, { file: 'ch/a.md' });
      } catch (error) {
        expect(error).toBeInstanceOf(ProtectedContentError);
        expect((error as Error).name).toBe('ProtectedContentError');
        return (error as ProtectedContentError).problems;
      }
      throw new Error('expected a ProtectedContentError');
    }

    it('reports a missing span with file:line:column', () => {
      const problems = problemsOf(html.replace('<span translate="no" id="u2.p2">$x$</span>', ''));
      expect(problems).toEqual([
        {
          where: 'ch/a.md:3:16',
          unitId: 'u2',
          kind: 'missing-protected',
          detail: '`$x$` is missing from the translation',
        },
      ]);
    });

    it('reports a duplicated span', () => {
      const span = '<span translate="no" id="u2.p1">`code`</span>';
      expect(problemsOf(html.replace(span, span + span))).toMatchObject([
        { where: 'ch/a.md:3:5', kind: 'duplicated-protected' },
      ]);
    });

    it('reports an altered span with expected and actual', () => {
      expect(problemsOf(html.replace('>$x$<', '>$y$<'))).toMatchObject([
        { where: 'ch/a.md:3:16', kind: 'altered-protected', detail: 'expected `$x$`, got `$y$`' },
      ]);
    });

    it('reports a missing unit', () => {
      expect(problemsOf(html.replace('<p id="u1">Line one.</p>', ''))).toMatchObject([
        { where: 'ch/a.md:1:1', unitId: 'u1', kind: 'missing-unit' },
      ]);
    });

    it('reports a unit id the source does not have, and a unit given twice', () => {
      const extra = html.replace('</body>', '<p id="u9">extra</p><p id="u1">again</p></body>');
      expect(problemsOf(extra).map((p) => p.kind)).toEqual(['malformed-html', 'malformed-html']);
    });

    it('reports a lost link (its URL is protected content)', () => {
      const md2 = 'Read [the guide](https://x.y).\n';
      const damaged = toTranslateHtml(md2).replace('<a id="u1.w1">the guide</a>', 'the guide');
      expect(() => mergeTranslation(md2, damaged)).toThrow(/markup `\[…\]\(https:\/\/x\.y\)` is missing/);
    });

    it('still gives a report with every problem when asked not to throw', () => {
      const report = mergeTranslationReport(md, '<html><body></body></html>', { file: 'ch/a.md' });
      expect(report.problems.map((p) => p.kind)).toEqual(['missing-unit', 'missing-unit']);
      expect(report.unitsTranslated).toBe(0);
    });
  });
});

describe('mergeTranslation() when a translator split one inline element in two (Apertium reorders words)', () => {
  it.each([
    [
      'emphasis around the reordered phrase',
      'Lastly, *processor cores* are fast.\n',
      (h: string) =>
        h.replace(
          '<em id="u1.w1">processor cores</em>',
          '<em id="u1.w1">núcleos</em> de <em id="u1.w1">procesador</em>',
        ),
      'Lastly, *núcleos de procesador* are fast.\n',
    ],
    [
      'strong split around math, which stays once and byte-identical',
      'So **a** $x$ here.\n',
      (h: string) =>
        h.replace(
          '<strong id="u1.w1">a</strong> <span translate="no" id="u1.p2">$x$</span>',
          '<strong id="u1.w1">uno</strong> <span translate="no" id="u1.p2">$x$</span> <strong id="u1.w1">dos</strong>',
        ),
      'So **uno $x$ dos** here.\n',
    ],
    [
      'a link in three pieces (its URL written once)',
      'Read [the good guide](https://x.y).\n',
      (h: string) =>
        h.replace(
          '<a id="u1.w1">the good guide</a>',
          '<a id="u1.w1">la</a> <a id="u1.w1">guía</a> <em>buena</em><a id="u1.w1"></a>',
        ),
      'Read [la guía buena](https://x.y).\n',
    ],
    [
      'two adjacent copies',
      'A *b* c.\n',
      (h: string) => h.replace('<em id="u1.w1">b</em>', '<em id="u1.w1">b</em><em id="u1.w1">e</em>'),
      'A *be* c.\n',
    ],
  ])('joins the pieces of %s', (_what, md, damage, expected) => {
    const report = mergeTranslationReport(md, damage(toTranslateHtml(md)));
    expect(report.problems).toEqual([]);
    expect(report.markdown).toBe(expected);
  });

  it.each([
    [
      'a link split around another link',
      'See [one](https://a.b) and [two](https://c.d).\n',
      (h: string) => h.replace(' and <a id="u1.w2">two</a>', ' <a id="u1.w2">two</a> <a id="u1.w1">uno</a>'),
      'markup `[…](https://a.b)` appears 2 times, expected once',
    ],
    [
      'a protected item the translator copied into both pieces',
      'So **a $x$** here.\n',
      (h: string) =>
        h.replace(
          '<strong id="u1.w1">a <span translate="no" id="u1.p2">$x$</span></strong>',
          '<strong id="u1.w1">a <span translate="no" id="u1.p2">$x$</span></strong> y <strong id="u1.w1"><span translate="no" id="u1.p2">$x$</span></strong>',
        ),
      '`$x$` appears 2 times, expected once',
    ],
    [
      'pieces at different depths',
      'A *b* and **c**.\n',
      (h: string) =>
        h.replace('<strong id="u1.w2">c</strong>', '<strong id="u1.w2">c <em id="u1.w1">d</em></strong>'),
      'markup `*…*` appears 2 times, expected once',
    ],
  ])('still reports %s', (_what, md, damage, detail) => {
    const html = damage(toTranslateHtml(md));
    expect(html).not.toBe(toTranslateHtml(md));
    expect(mergeTranslationReport(md, html).problems.map((p) => p.detail)).toEqual([detail]);
    expect(() => mergeTranslation(md, html)).toThrow(ProtectedContentError);
  });
});

describe('readTranslatedUnits() and replaceUnits()', () => {
  const md = '# A\n\nFirst paragraph.\n\nSecond `x` paragraph.\n';

  it('reads only the units present in a partial translation and splices them', () => {
    const partial = toTranslateHtml(md, { only: new Set(['u3']) })
      .replace('Second ', '第二')
      .replace(' paragraph.', '段。');
    const units = readTranslatedUnits(md, partial);
    expect([...units.keys()]).toEqual(['u3']);
    expect(units.get('u3')).toEqual({ markdown: '第二`x`段。', problems: [] });
    const out = replaceUnits(md, new Map([['u3', units.get('u3')?.markdown ?? '']]));
    expect(out).toBe('# A\n\nFirst paragraph.\n\n第二`x`段。\n');
  });

  it('rejects replacement ids the document does not have', () => {
    expect(() => replaceUnits(md, new Map([['u42', 'x']]))).toThrow(InvalidInputError);
  });
});

describe('extractSegments()', () => {
  it('gives id, kind, depth, plain text, position, markdown and protected items', () => {
    const [h, p] = extractSegments('## Hello *world*\n\nSee `x`\nnow.\n');
    expect(h).toMatchObject({
      id: 'u1',
      kind: 'heading',
      depth: 2,
      text: 'Hello world',
      markdown: 'Hello *world*',
    });
    expect(h?.start).toEqual({ line: 1, column: 4, offset: 3 });
    expect(p).toMatchObject({ id: 'u2', kind: 'paragraph', text: 'See `x` now.', protectedItems: ['`x`'] });
    expect(p?.end).toEqual({ line: 4, column: 5, offset: 30 });
  });

  it.each([
    ['list item', '* one item\n', 'list-item'],
    ['table cell', '| a |\n|---|\n| b |\n', 'table-cell'],
    ['block quote', '> quoted\n', 'blockquote'],
    ['figure', '![A cat.](cat.png)\n:width:`400px`\n', 'image-alt'],
    ['d2lbook caption', ':Common Latency Numbers.\n', 'caption'],
  ])('classifies a %s', (_what, md, kind) => {
    expect(extractSegments(md)[0]?.kind).toBe(kind);
  });

  it('hashes the normalised source: re-wrapping keeps the hash, any edit changes it', () => {
    const [a] = extractSegments('One two\nthree.\n');
    const [b] = extractSegments('One two three.\n');
    const [c] = extractSegments('One two three!\n');
    const [d] = extractSegments('One `two` three.\n');
    expect(a?.hash).toBe(b?.hash);
    expect(a?.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set([b?.hash, c?.hash, d?.hash]).size).toBe(3);
  });

  it('skips paragraphs without words (punctuation or protected content only)', () => {
    expect(extractSegments('$x$.\n\n:label:`a`\n\n---\n\n...\n')).toEqual([]);
  });
});
