/**
 * Property: whatever a translator does to the tags of our HTML — reorders, drops or duplicates them,
 * or splits an element in two the way Apertium does — the merge either writes every protected item
 * (code, math, roles, link and image targets, directives) byte-identical and nothing escaped, or
 * throws ProtectedContentError. Never a quietly damaged document. The protected items are counted by
 * test/workflow/protected.ts, plain regular expressions independent of the codec.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtectedContentError } from '../../../lambdas/core/errors';
import { mergeTranslation, toTranslateHtml, writtenMarkdownProblems } from '../../../lambdas/core/markdown';
import { protectedContent, protectedDifferences } from '../../workflow/protected';

/** Paragraphs in the shape of the D2L chapters (test/fixtures/corpus): prose around protected items. */
const inline = fc.constantFrom(
  'the attention weights',
  'a *weighted average* of values',
  '**processor cores** and *vector units*',
  'the loss $\\mathcal{L}(\\mathbf{x}, y)$ over $n$ examples',
  'see :numref:`fig_qkv` and :eqref:`eq_softmax`',
  'calls `net.backward()` on `x`',
  'read [the attention paper](https://arxiv.org/abs/1706.03762) first',
  '[**we plot the gradients**]',
  '(**the sum of the partial derivatives**)',
  'as in :cite:`Bahdanau.Cho.Bengio.2014`',
  'a [link with $A$ and `code`](../img/x.svg)',
);
const block = fc.oneof(
  fc.array(inline, { minLength: 1, maxLength: 5 }).map((parts) => `${parts.join(', ')}.`),
  fc.constantFrom(
    '![Sequences $A$, $C$ and $AB$ in a :numref:`fig_x` caption](../img/seq.svg)\n:label:`fig_seq`',
    '## Attention *Pooling* with `nn.Module`\n:label:`sec_attention`',
    '```python\nx = torch.arange(4.0)\nx.requires_grad_(True)\n```',
    '$$\\mathbf{y} = \\sum_i \\alpha(\\mathbf{q}, \\mathbf{k}_i) \\mathbf{v}_i.$$\n:eqlabel:`eq_attn`',
    '* a *first* item with $x$\n* a second with `y`',
    '| name | value |\n|---|---|\n| $x$ | `code` |',
    ':begin_tab:`pytorch`\nThe **PyTorch** version.\n:end_tab:',
  ),
);
const markdown = fc.array(block, { minLength: 1, maxLength: 4 }).map((b) => `${b.join('\n\n')}\n`);

type Op =
  | 'drop-tag'
  | 'dup-tag'
  | 'move-tag'
  | 'drop-element'
  | 'dup-element'
  | 'split-element'
  | 'swap-elements';
/** One damage: `at` picks the tag or element (modulo their number), `to` where it goes or what it swaps with. */
interface Damage {
  op: Op;
  at: number;
  to: number;
}

const damage: fc.Arbitrary<Damage> = fc.record({
  op: fc.constantFrom<Op>(
    'drop-tag',
    'dup-tag',
    'move-tag',
    'drop-element',
    'dup-element',
    'split-element',
    'swap-elements',
  ),
  at: fc.nat(),
  to: fc.nat(),
});

/** [start, end] token indexes of every balanced inline element (not a unit's block element). */
function inlineElements(tokens: string[]): [number, number][] {
  const found: [number, number][] = [];
  const stack: { name: string; at: number }[] = [];
  tokens.forEach((t, i) => {
    const m = /^<(\/?)([a-z][a-z0-9-]*)/.exec(t);
    if (!m || /\/>$/.test(t)) return;
    if (!m[1]) stack.push({ name: m[2] as string, at: i });
    else if (stack.at(-1)?.name === m[2]) {
      const open = stack.pop() as { name: string; at: number };
      if (!/ id="u\d+"/.test(tokens[open.at] as string)) found.push([open.at, i]);
    }
  });
  return found;
}

/** The HTML with one damage applied to the tags of its body. */
function apply(html: string, d: Damage): string {
  const bodyAt = html.indexOf('<body>') + '<body>'.length;
  const endAt = html.lastIndexOf('</body>');
  const tokens = html
    .slice(bodyAt, endAt)
    .split(/(<[^>]+>)/)
    .filter(Boolean);
  const tags = tokens.flatMap((t, i) => (t.startsWith('<') ? [i] : []));
  const elements = inlineElements(tokens);
  const pick = <T>(xs: T[], n: number) => xs[n % xs.length] as T;
  if (d.op === 'drop-tag' || d.op === 'dup-tag' || d.op === 'move-tag') {
    if (tags.length === 0) return html;
    const i = pick(tags, d.at);
    const tag = tokens[i] as string;
    if (d.op === 'drop-tag') tokens.splice(i, 1);
    else if (d.op === 'dup-tag') tokens.splice(i, 0, tag);
    else {
      tokens.splice(i, 1);
      tokens.splice(d.to % (tokens.length + 1), 0, tag);
    }
  } else if (elements.length > 0) {
    const [s, e] = pick(elements, d.at);
    const element = tokens.slice(s, e + 1);
    if (d.op === 'drop-element') tokens.splice(s, e - s + 1);
    else if (d.op === 'dup-element') tokens.splice(e + 1, 0, ' y ', ...element);
    else if (d.op === 'split-element') {
      // Apertium: `<em id="w1">a b</em>` → `<em id="w1">a</em> de <em id="w1">b</em>`.
      const name = /^<([a-z0-9-]+)/.exec(tokens[s] as string)?.[1] as string;
      tokens.splice(s + 1, 0, `</${name}>`, ' de ', tokens[s] as string);
    } else {
      const [s2, e2] = pick(elements, d.to);
      if (e < s2 || e2 < s) {
        const [a, b] =
          s < s2
            ? [
                [s, e],
                [s2, e2],
              ]
            : [
                [s2, e2],
                [s, e],
              ];
        const first = tokens.slice(a[0], (a[1] as number) + 1);
        const second = tokens.slice(b[0], (b[1] as number) + 1);
        tokens.splice(b[0] as number, second.length, ...first);
        tokens.splice(a[0] as number, first.length, ...second);
      }
    }
  }
  return html.slice(0, bodyAt) + tokens.join('') + html.slice(endAt);
}

describe('merging HTML whose tags a translator reordered, dropped, duplicated or split', () => {
  it('writes every protected item byte-identical (nothing escaped) or throws ProtectedContentError', () => {
    const outcomes = { written: 0, refused: 0 };
    fc.assert(
      fc.property(markdown, fc.array(damage, { minLength: 1, maxLength: 3 }), (md, damages) => {
        const html = damages.reduce(apply, toTranslateHtml(md));
        let written: string;
        try {
          written = mergeTranslation(md, html);
        } catch (error) {
          expect(error).toBeInstanceOf(ProtectedContentError);
          expect((error as ProtectedContentError).problems.length).toBeGreaterThan(0);
          outcomes.refused++;
          return;
        }
        expect(protectedDifferences(md, written)).toEqual({ missing: [], extra: [] });
        expect(writtenMarkdownProblems(md, written)).toEqual([]);
        outcomes.written++;
      }),
      { numRuns: 200 },
    );
    // Both branches are exercised, or the property proves nothing.
    expect(outcomes.written).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(10);
  });

  it('the generated units hold every kind of protected item the property is about', () => {
    const md = fc.sample(markdown, { numRuns: 200, seed: 1 }).join('\n');
    const kinds = new Set(protectedContent(md).inline.map((item) => item.split(' ')[0]));
    expect(kinds).toEqual(new Set(['code', 'math', 'url', 'directive']));
    expect(protectedContent(md).blocks.length).toBeGreaterThan(0);
  });
});
