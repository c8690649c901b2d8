import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownFiles } from '../../../cli/files';
import { textForParser } from '../../../lambdas/core/markdown/text';
import { type MdNode, parseMarkdown, parseTree } from '../../../lambdas/core/markdown/tree';

/** What the codec reads from the tree: node types and offsets, in document order. */
type Shape = [string, number | undefined, number | undefined, Shape[]];
function shape(node: MdNode): Shape {
  return [
    node.type,
    node.position?.start.offset,
    node.position?.end.offset,
    (node.children ?? []).map(shape),
  ];
}
const whole = (text: string) => shape(parseTree(text, Number.POSITIVE_INFINITY));
const inPieces = (text: string, chunkChars: number) => shape(parseTree(text, chunkChars));

const corpusDir = join(import.meta.dirname, '../../fixtures/corpus/d2l');
const corpus = markdownFiles(corpusDir).map((p) => readFileSync(join(corpusDir, p), 'utf8'));

describe('parseTree(): a document parsed in pieces gives the tree of the whole document', () => {
  it.each([
    [
      'a link reference defined after the piece that uses it',
      'See [the book][d2l].\n\nMore text.\n\nLast [d2l]: one.\n\n[d2l]: https://d2l.ai\n',
    ],
    [
      'a link reference defined before, used after',
      '[Ref]: https://a.b\n\nText one.\n\nText two uses [ref] and [REF][].\n',
    ],
    [
      'a footnote defined in another piece',
      'Claim[^1] here.\n\nFiller text.\n\nMore filler.\n\n[^1]: The note.\n',
    ],
    [
      'a bracket that only looks like a reference',
      'Text [not a ref] here.\n\nOther text.\n\n```\n[not a ref]: x\n```\n',
    ],
    ['an unclosed fence swallowing the rest', 'Intro.\n\n```python\ncode\n\nStill code.\n\nAnd more.\n'],
    ['a closed fence with blank lines inside', 'Intro.\n\n~~~\na\n\nb\n~~~\n\nAfter.\n\nEnd.\n'],
    ['math that runs over blank lines', 'Intro.\n\n$$\nx\n\ny\n$$\n\nAfter.\n\nEnd.\n'],
    [
      'an HTML block that runs over blank lines',
      'Intro.\n\n<!--\ncomment\n\nstill comment\n-->\n\nAfter.\n\nEnd.\n',
    ],
    ['a loose list', '- one\n\n- two\n\nText.\n\n1. a\n\n2. b\n\nEnd.\n'],
    ['a list item with a paragraph after a blank line', '- one\n\n  continued\n\nText after.\n\nEnd.\n'],
    [
      'block quotes and tables',
      '> quoted\n\nText.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nHeading\n=======\n\nEnd.\n',
    ],
    ['CRLF line endings', 'One.\r\n\r\nTwo [x].\r\n\r\n# Three\r\n\r\n[x]: y\r\n'],
  ])('%s', (_what, md) => {
    for (const chunkChars of [1, 4, 16]) expect(inPieces(md, chunkChars)).toEqual(whole(md));
  });

  it('splits the D2L corpus into pieces without changing a node', () => {
    const text = textForParser(corpus.slice(0, 5).join('\n\n'));
    expect(text.length).toBeGreaterThan(50_000);
    expect(inPieces(text, 4096)).toEqual(whole(text));
  });

  it('holds for any mix of block constructs and any piece size', () => {
    const block = fc.constantFrom(
      '# Heading',
      'Plain *emphasis* and `code` with [a link][ref] and [ref].',
      'A footnote[^n] call.',
      '[ref]: https://example.org',
      '[^n]: A footnote text.',
      '- item\n- item',
      '- loose\n\n  continued',
      '1. first',
      '> quote\nlazy line',
      '| a | b |\n|---|---|\n| 1 | 2 |',
      '```\nopen fence',
      '```',
      '$$',
      '<div>\nhtml</div>',
      '<!-- open comment',
      '-->',
      'Setext\n---',
      '    indented code',
      '中文段落。',
    );
    fc.assert(
      fc.property(
        fc.array(block, { maxLength: 14 }),
        fc.integer({ min: 1, max: 64 }),
        (blocks, chunkChars) => {
          const md = `${blocks.join('\n\n')}\n`;
          expect(inPieces(md, chunkChars)).toEqual(whole(md));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is linear: it parses each character about once, in pieces of bounded size', () => {
    // Timing-free: micromark's cost grows faster than the text it is given in one call, so the
    // codec's cost is linear when the text handed to it adds up to O(n) in pieces of O(1) size.
    let big = '';
    for (let i = 0; big.length < 150_000; i++) big += `${corpus[i % corpus.length]}\n\n`;
    const text = textForParser(big);
    const pieces: number[] = [];
    const counting = (piece: string) => {
      pieces.push(piece.length);
      return parseMarkdown(piece);
    };
    parseTree(text, 4096, counting);
    const parsed = pieces.reduce((a, b) => a + b, 0);
    expect(parsed).toBeGreaterThanOrEqual(text.length);
    expect(parsed).toBeLessThan(1.5 * text.length);
    expect(Math.max(...pieces)).toBeLessThan(8 * 4096);
  });
});
