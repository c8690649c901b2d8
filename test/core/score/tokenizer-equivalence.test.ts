import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isZhChar, pySplit, pyStrip, tokenize13a, tokenizeZh } from '../../../lambdas/core/score';

/*
 * The production 13a/zh tokenizers replay sacrebleu's regex passes over index arrays for speed.
 * This is the literal transcription of sacrebleu's TokenizerRegexp / Tokenizer13a / TokenizerZh
 * with regular expressions, kept as the specification the fast code must equal on any input.
 */
const PASSES: Array<[RegExp, string]> = [
  [/([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40\x2f])/g, ' $1 '],
  [/([^0-9])([.,])/gu, '$1 $2 '],
  [/([.,])([^0-9])/gu, ' $1 $2'],
  [/([0-9])(-)/gu, '$1 $2 '],
];

function regexpTokenizer(line: string): string {
  let s = line;
  for (const [re, repl] of PASSES) s = s.replace(re, repl);
  return pySplit(s).join(' ');
}

function spec13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (s.includes('&')) {
    s = s.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  return regexpTokenizer(` ${s} `);
}

function specZh(line: string): string {
  let out = '';
  for (const ch of pyStrip(line)) {
    out += isZhChar(ch.codePointAt(0) as number) ? ` ${ch} ` : ch;
  }
  return regexpTokenizer(out);
}

const PIECES = [
  'a',
  'Z',
  'é',
  '0',
  '1',
  '9',
  '.',
  ',',
  '-',
  "'",
  '"',
  '(',
  ')',
  '%',
  '$',
  '&',
  ';',
  '<',
  '>',
  '/',
  ':',
  '@',
  '[',
  ']',
  '`',
  '{',
  '}',
  '~',
  '_',
  '^',
  '\\',
  '|',
  '!',
  '?',
  '#',
  '+',
  '=',
  '*',
  ' ',
  '  ',
  '\t',
  '\n',
  '-\n',
  '\u00a0',
  '\u3000',
  '\x1c',
  '\x85',
  '\u200b',
  '\ufeff',
  '&quot;',
  '&amp;',
  '&lt;',
  '&gt;',
  '&amp;lt;',
  '<skipped>',
  '深',
  '度',
  '。',
  '，',
  '（',
  '）',
  '“',
  '”',
  '—',
  '…',
  '\u2000',
  '\u2a6d',
  '\u2a6e',
  'ｶ',
  '한',
  '😀',
  '𠀀',
  '2024.',
  '3-4',
  '1,000.5',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join(''));

describe('fast 13a/zh tokenizers equal the regex transcription of sacrebleu', () => {
  it('13a on random text of tricky pieces', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(tokenize13a(s)).toBe(spec13a(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('zh on random text of tricky pieces', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(tokenizeZh(s)).toBe(specZh(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('13a and zh on arbitrary Unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(tokenize13a(s)).toBe(spec13a(s));
        expect(tokenizeZh(s)).toBe(specZh(s));
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['...', '..a', 'a..', ',.,', '1.,2', '1-.-2', '--1--', '1---2', ' . ', '.', ''])(
    'agree on %j',
    (s) => {
      expect(tokenize13a(s)).toBe(spec13a(s));
      expect(tokenizeZh(s)).toBe(specZh(s));
    },
  );
});
