import { describe, expect, it } from 'vitest';
import { DocumentTooLargeError, InvalidInputError, NestingTooDeepError } from '../../../lambdas/core/errors';
import {
  extractSegments,
  mergeTranslation,
  readTranslatedUnits,
  toTranslateHtml,
} from '../../../lambdas/core/markdown';
import { MAX_MARKDOWN_BYTES, MAX_NESTING_DEPTH, utf8Length } from '../../../lambdas/core/markdown/limits';

const file = 'source/en/chapter_x/hostile.md';

/** Every codec entry point, each given the file name to put in its errors. */
const entryPoints: [string, (md: string) => unknown][] = [
  ['toTranslateHtml', (md) => toTranslateHtml(md, { file })],
  ['extractSegments', (md) => extractSegments(md, { file })],
  ['mergeTranslation', (md) => mergeTranslation(md, '<p id="u1">x</p>', { file })],
  ['readTranslatedUnits', (md) => readTranslatedUnits(md, '<p id="u1">x</p>', { file })],
];

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, got none');
}

const quotes = (depth: number) => `${'>'.repeat(depth)} deep\n`;
const bullets = (depth: number) => `${'- '.repeat(depth)}deep\n`;
const indentedList = (depth: number) =>
  `${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n')}\n`;
const emphasis = (depth: number) => `${'*a '.repeat(depth)}x${' a*'.repeat(depth)}\n`;

describe('codec limits: a hostile document fails alone, with a named error that names the file', () => {
  describe(`size: at most MAX_MARKDOWN_BYTES (${MAX_MARKDOWN_BYTES} bytes of UTF-8), checked before parsing`, () => {
    // 7 Mi Han characters: 7 Mi UTF-16 units (under the limit as a string length) but 21 MiB of UTF-8.
    const han = '中'.repeat(7 * 1024 * 1024);

    it('rejects a document over the limit in UTF-8 bytes, naming the file and its size', () => {
      const error = thrown(() => toTranslateHtml(han, { file }));
      expect(error).toBeInstanceOf(DocumentTooLargeError);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as Error).name).toBe('DocumentTooLargeError');
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toContain(String(3 * 7 * 1024 * 1024));
      expect((error as DocumentTooLargeError).file).toBe(file);
    });

    it('checks the size before anything else: an oversized document nested too deep is reported as too large', () => {
      const md = quotes(5000).repeat(Math.ceil(MAX_MARKDOWN_BYTES / 5007) + 1);
      expect(thrown(() => toTranslateHtml(md, { file }))).toBeInstanceOf(DocumentTooLargeError);
    });

    it('counts UTF-8 bytes exactly like Buffer.byteLength, surrogate pairs and lone surrogates included', () => {
      const everyUnit = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).join('');
      for (const s of [
        '',
        'abc',
        'é',
        '中文',
        '😀',
        'a😀b',
        '\ud83d',
        'a\udc00b',
        '\udc00\ud83d',
        everyUnit,
      ]) {
        expect(utf8Length(s), JSON.stringify(s.slice(0, 8))).toBe(Buffer.byteLength(s, 'utf8'));
      }
    });
  });

  describe(`nesting: at most MAX_NESTING_DEPTH (${MAX_NESTING_DEPTH}) levels`, () => {
    it.each([
      ['block quotes', quotes],
      ['list bullets on one line', bullets],
      ['lists nested by indentation', indentedList],
      ['emphasis inside emphasis', emphasis],
    ])('%s: the limit itself is accepted and round-trips byte for byte', (_what, make) => {
      const md = make(MAX_NESTING_DEPTH);
      expect(mergeTranslation(md, toTranslateHtml(md, { file }), { file })).toBe(md);
    });

    it.each([
      ['block quotes', quotes(MAX_NESTING_DEPTH + 1), `${file}:1:1`],
      ['5,000 block quotes (once a stack overflow)', quotes(5000), `${file}:1:1`],
      ['list bullets on one line', `Intro.\n\n${bullets(5000)}`, `${file}:3:1`],
      [
        'lists nested by indentation',
        indentedList(MAX_NESTING_DEPTH + 1),
        `${file}:${MAX_NESTING_DEPTH + 1}:`,
      ],
      ['emphasis inside emphasis', emphasis(MAX_NESTING_DEPTH + 1), `${file}:1:`],
    ])('%s: one level more fails with NestingTooDeepError at file:line', (_what, md, where) => {
      const error = thrown(() => toTranslateHtml(md, { file }));
      expect(error).toBeInstanceOf(NestingTooDeepError);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as Error).name).toBe('NestingTooDeepError');
      expect((error as NestingTooDeepError).file).toBe(file);
      expect((error as Error).message.startsWith(where)).toBe(true);
      expect((error as Error).message).toContain(`at most ${MAX_NESTING_DEPTH}`);
    });

    // micromark pairs emphasis delimiters in time quadratic in their nesting (2,000 levels: over 20 s in
    // the parser before the walk could refuse them): a linear pre-scan refuses them first.
    it.each([
      ['2,000 `*a ` openers closed by 2,000 `a*`', `# T\n\n${'*a '.repeat(2000)}x${' a*'.repeat(2000)}\n`, 3],
      [
        '2,000 `_a ` openers closed by 2,000 `a_`',
        `Intro.\n\n${'_a '.repeat(2000)}x${' a_'.repeat(2000)}\n`,
        3,
      ],
      [
        'the deep paragraph after a thousand harmless ones',
        `${'Some *x* and _y_.\n\n'.repeat(1000)}${'*a '.repeat(500)}x${' a*'.repeat(500)}\n`,
        2001,
      ],
    ])('%s: refused before parsing with NestingTooDeepError at file:line:column', (_what, md, line) => {
      const error = thrown(() => extractSegments(md, { file }));
      expect(error).toBeInstanceOf(NestingTooDeepError);
      expect((error as NestingTooDeepError).file).toBe(file);
      expect((error as Error).message).toMatch(
        new RegExp(`^${file}:${line}:\\d+: emphasis \\(\\* or _\\) nested`),
      );
      expect((error as Error).message).toContain('checked before parsing');
    });

    it.each([
      ['1,000 separate emphases in one paragraph', `${'*x* '.repeat(1000)}\n`],
      ['1,000 emphasis openers never closed', `${'*a '.repeat(1000)}\n`],
      ['1,000 `2*x` products', `${'2*x '.repeat(1000)}\n`],
      [
        'emphasis 100 deep, 20 times in one paragraph',
        `${'*a '.repeat(100)}x${' a*'.repeat(100)} `.repeat(20),
      ],
    ])('%s: not refused by the pre-scan (no deep nesting)', (_what, md) => {
      expect(() => extractSegments(md, { file })).not.toThrow();
    });

    it.each(entryPoints)('%s raises the same errors', (_name, run) => {
      expect(thrown(() => run(quotes(5000)))).toBeInstanceOf(NestingTooDeepError);
      expect(thrown(() => run(`${quotes(1)}${'x'.repeat(MAX_MARKDOWN_BYTES)}`))).toBeInstanceOf(
        DocumentTooLargeError,
      );
    });
  });
});
