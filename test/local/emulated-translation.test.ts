import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emulateHtmlTranslation,
  emulatePlainTranslation,
  sentenceEnds,
  UNTRANSLATED_CLASS,
} from '../../local/emulator/emulated-translation';
import { tokenizeHtml } from '../../local/emulator/html-tokenizer';

const memory = (pairs: Record<string, string>) => new Map(Object.entries(pairs));
const unmark = (html: string) =>
  html.replace(new RegExp(`<span class="${UNTRANSLATED_CLASS}">([\\s\\S]*?)</span>`, 'g'), '$1');
const split = (text: string) => {
  const out: string[] = [];
  let start = 0;
  for (const end of [...sentenceEnds(text), text.length]) {
    out.push(text.slice(start, end).trim());
    start = end;
  }
  return out.filter(Boolean);
};

describe('tokenizeHtml()', () => {
  it.each([
    ['empty input', ''],
    ['a stray < in text', 'a < b and c<d'],
    ['an unterminated tag', '<p id="x">text <em'],
    ['an unterminated comment', '<!-- never closed'],
    ['attributes with > inside quotes are not supported but do not throw', '<a title="x">y</a>'],
  ])('keeps every byte of %s', (_what, html) => {
    expect(
      tokenizeHtml(html)
        .map((t) => t.raw)
        .join(''),
    ).toBe(html);
  });

  it('decodes entities in text and attributes, and keeps the raw form', () => {
    const [p, text] = tokenizeHtml('<p title="a&amp;b">x &lt;y&gt; &#20320;&#x597D; &bogus;</p>');
    expect(p).toMatchObject({ type: 'start', name: 'p', attrs: { title: 'a&b' } });
    expect(text).toMatchObject({
      type: 'text',
      text: 'x <y> 你好 &bogus;',
      raw: 'x &lt;y&gt; &#20320;&#x597D; &bogus;',
    });
  });
});

describe('sentenceEnds()', () => {
  it.each([
    ['Hello world. This is new.', ['Hello world.', 'This is new.']],
    ['We use e.g. cats and i.e. dogs. Next one.', ['We use e.g. cats and i.e. dogs.', 'Next one.']],
    ['See Fig. 3 and Sec. 2. Then go.', ['See Fig. 3 and Sec. 2.', 'Then go.']],
    ['Pi is 3.14 here. Yes.', ['Pi is 3.14 here.', 'Yes.']],
    ['By A. Smith et al. in 2020. Done.', ['By A. Smith et al. in 2020.', 'Done.']],
    ['这是第一句。这是第二句！第三句？', ['这是第一句。', '这是第二句！', '第三句？']],
    ['lower case after a period. does not split', ['lower case after a period. does not split']],
  ])('splits %j', (text, sentences) => {
    expect(split(text)).toEqual(sentences);
  });
});

describe('emulateHtmlTranslation()', () => {
  it('returns the document unchanged (but marked) when nothing matches: removing the markers gives the input back', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.constantFrom(
              '<p id="u1">',
              '</p>',
              '<em>',
              '</em>',
              '<span translate="no">$x$</span>',
              '&amp;',
              '<br>',
            ),
          ),
        ),
        (parts) => {
          const html = parts.join('');
          expect(unmark(emulateHtmlTranslation(html, new Map()).html)).toBe(html);
        },
      ),
    );
  });

  it('replaces a whole paragraph that matches, and a sentence that matches inside a longer paragraph', () => {
    const out = emulateHtmlTranslation(
      '<html><body><p id="u1">One sentence. Two sentence.</p><p id="u2">Alpha beta. Unknown gamma.</p></body></html>',
      memory({ 'One sentence. Two sentence.': '一句。两句。', 'Alpha beta.': '阿尔法贝塔。' }),
    );
    expect(out.html).toBe(
      '<html><body><p id="u1">一句。两句。</p><p id="u2">阿尔法贝塔。 <span class="amts-untranslated">Unknown gamma.</span></p></body></html>',
    );
    expect(out.stats).toMatchObject({ sentences: 4, sentencesFromParallelData: 3, sentencesUntranslated: 1 });
  });

  it('never touches translate="no" content, even when its text is in the parallel data', () => {
    const html =
      '<p><span translate="no">Summary</span> and <code translate="no">Summary</code></p><pre translate="no">Summary</pre>';
    const out = emulateHtmlTranslation(html, memory({ Summary: '小结' }));
    expect(out.html).toContain('<span translate="no">Summary</span>');
    expect(out.html).toContain('<code translate="no">Summary</code>');
    expect(out.html).toContain('<pre translate="no">Summary</pre>');
    expect(out.html).not.toContain('小结');
  });

  it('puts protected spans back where their text occurs in the target (Translate may move them)', () => {
    const out = emulateHtmlTranslation(
      '<p>See <span translate="no" id="p1">:numref:`sec_a`</span> for <span translate="no" id="p2">$x$</span>.</p>',
      memory({ 'See :numref:`sec_a` for $x$.': '关于$x$，参见 :numref:`sec_a`。' }),
    );
    expect(out.html).toBe(
      '<p>关于<span translate="no" id="p2">$x$</span>，参见 <span translate="no" id="p1">:numref:`sec_a`</span>。</p>',
    );
  });

  it('leaves a match untranslated when the target lacks a protected item (never drops one)', () => {
    const out = emulateHtmlTranslation(
      '<p>Use <span translate="no">$x$</span> here.</p>',
      memory({ 'Use $x$ here.': '在这里使用。' }),
    );
    expect(out.html).toContain('<span translate="no">$x$</span>');
    expect(out.html).not.toContain('在这里使用');
    expect(out.stats.sentencesUntranslated).toBe(1);
  });

  it('leaves a match untranslated when an inline element crosses it (it cannot place the tags)', () => {
    const out = emulateHtmlTranslation(
      '<p>A <em id="e1">bold</em> claim.</p>',
      memory({ 'A bold claim.': '大胆的主张。' }),
    );
    expect(unmark(out.html)).toBe('<p>A <em id="e1">bold</em> claim.</p>');
  });

  it('translates a sentence wrapped whole in an inline element and keeps the element', () => {
    const out = emulateHtmlTranslation(
      '<li><strong id="s1">Summary</strong></li>',
      memory({ Summary: '小结' }),
    );
    expect(out.html).toBe('<li><strong id="s1">小结</strong></li>');
  });

  it('escapes the target text and counts only translatable characters', () => {
    const out = emulateHtmlTranslation(
      '<head><title>T</title></head><p>a &lt; b.</p><p translate="no">ignored</p>',
      memory({ 'a < b.': 'a < b & c。' }),
    );
    expect(out.html).toContain('<p>a &lt; b &amp; c。</p>');
    expect(out.html).toContain('<title>T</title>');
    expect(out.stats.characters).toBe('a < b.'.length);
  });

  it('handles hostile input without throwing: unclosed tags, nested translate="no", the private-use character', () => {
    for (const html of [
      '<p>Open <em>never closed',
      '<div translate="no"><div>inner</div>still protected</div><p>free</p>',
      '<p>\uE000 weird \uE000.</p>',
      '</p></p><p>',
    ]) {
      const out = emulateHtmlTranslation(html, memory({ free: '自由' }));
      expect(typeof out.html).toBe('string');
    }
    expect(
      emulateHtmlTranslation('<div translate="no"><div>x</div>free</div>', memory({ free: '自由' })).html,
    ).toBe('<div translate="no"><div>x</div>free</div>');
  });

  it('translates a large document in one pass', () => {
    const para = '<p id="u">First sentence here. Second sentence there.</p>';
    const html = `<html><body>${para.repeat(20_000)}</body></html>`;
    const out = emulateHtmlTranslation(html, memory({ 'First sentence here.': '第一句。' }));
    expect(out.stats.sentencesFromParallelData).toBe(20_000);
    expect(out.stats.sentencesUntranslated).toBe(20_000);
  });
});

describe('emulatePlainTranslation()', () => {
  it('replaces matching lines and sentences, leaves the rest', () => {
    const out = emulatePlainTranslation(
      'Summary\nHello there. Unknown.\n',
      memory({ Summary: '小结', 'Hello there.': '你好。' }),
    );
    expect(out.text).toBe('小结\n你好。 Unknown.\n');
    expect(out.stats).toMatchObject({ sentencesFromParallelData: 2, sentencesUntranslated: 1 });
  });
});
