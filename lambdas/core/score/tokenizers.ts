/**
 * sacrebleu 2.6.0's BLEU tokenizers, reproduced with their quirks: `13a` (mteval-v13a, the default),
 * `zh` (Chinese characters split, the rest as 13a without its entity handling), `intl`
 * (mteval-v14 international: Unicode punctuation and symbols), `char` (every character a token:
 * Japanese, Korean, Thai) and `none`. Each returns the tokenized line with single spaces, as sacrebleu.
 */
import { InvalidInputError } from '../errors';
import { pyNormalizeSpaces, pyStrip } from './python-text';

/** Names accepted by `tokenize` options, as sacrebleu spells them (also the signature's `tok:`). */
export const TOKENIZER_NAMES = ['13a', 'zh', 'intl', 'char', 'none'] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

export type Tokenizer = (line: string) => string;

// mteval-v13a: every ASCII punctuation except ' , - . (and the space itself, harmlessly) is split off.
const RE_PUNCT = /[\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40\x2f]/g;
// Period and comma unless preceded by a digit; unless followed by a digit; dash after a digit.
const RE_DOT_AFTER = /([^0-9])([.,])/gu;
const RE_DOT_BEFORE = /([.,])([^0-9])/gu;
const RE_DASH = /([0-9])(-)/gu;

/** sacrebleu's `TokenizerRegexp`, shared by `13a` and `zh`. */
function regexpTokenize(line: string): string {
  const out = line
    .replace(RE_PUNCT, ' $& ')
    .replace(RE_DOT_AFTER, '$1 $2 ')
    .replace(RE_DOT_BEFORE, ' $1 $2')
    .replace(RE_DASH, '$1 $2 ');
  return pyNormalizeSpaces(out);
}

/**
 * `13a`: drops `<skipped>`, joins `-\n` hyphenations, turns newlines into spaces, unescapes
 * `&quot; &amp; &lt; &gt;` in that order (so `&amp;lt;` becomes `<`), then splits punctuation.
 */
export function tokenize13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (s.includes('&')) {
    s = s.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  return regexpTokenize(` ${s} `);
}

/**
 * The code point ranges sacrebleu's `zh` tokenizer treats as Chinese, as they actually behave.
 * sacrebleu compares each character with Python strings; two of its range ends are written
 * `'\u20000'` and `'\u2f800'`, which Python reads as two characters (`'\u2000' + '0'`), so they
 * really cover U+2001–U+2A6D (general punctuation, symbols, arrows, math …) and U+2F81–U+2FA1, and
 * no character outside the BMP (CJK Extension B is not split).
 */
export const ZH_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x3400, 0x4db5],
  [0x4e00, 0x9fa5],
  [0x9fa6, 0x9fbb],
  [0xf900, 0xfa2d],
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d], // written ('\u20000', '\u2a6d6') in sacrebleu
  [0x2f81, 0x2fa1], // written ('\u2f800', '\u2fa1d') in sacrebleu
  [0xff00, 0xffef],
  [0x2e80, 0x2eff],
  [0x3000, 0x303f],
  [0x31c0, 0x31ef],
  [0x2f00, 0x2fdf],
  [0x2ff0, 0x2fff],
  [0x3100, 0x312f],
  [0x31a0, 0x31bf],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0x2600, 0x26ff],
  [0x2700, 0x27bf],
  [0x3200, 0x32ff],
  [0x3300, 0x33ff],
];

const ZH_TABLE = new Uint8Array(0x10000);
for (const [start, end] of ZH_RANGES) ZH_TABLE.fill(1, start, end + 1);

/** True when sacrebleu's `zh` tokenizer puts spaces around the code point `cp`. */
export function isZhChar(cp: number): boolean {
  // Surrogate code units never reach here as code points; astral code points are never "Chinese".
  return cp < 0x10000 && ZH_TABLE[cp] === 1;
}

/** `zh`: strips, surrounds every "Chinese" character with spaces, then the 13a punctuation rules. */
export function tokenizeZh(line: string): string {
  const s = pyStrip(line);
  let out = '';
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    // A surrogate pair is one astral code point: never Chinese, skip both halves.
    if (code >= 0xd800 && code <= 0xdbff) {
      i++;
      continue;
    }
    if (ZH_TABLE[code] === 1) {
      out += `${s.slice(runStart, i)} ${s[i]} `;
      runStart = i + 1;
    }
  }
  out += s.slice(runStart);
  return regexpTokenize(out);
}

const RE_INTL_1 = /(\P{N})(\p{P})/gu;
const RE_INTL_2 = /(\p{P})(\P{N})/gu;
const RE_INTL_3 = /(\p{S})/gu;

/**
 * `intl` (mteval-v14 international): splits Unicode punctuation unless between digits, and every
 * symbol. Like mteval-v14, a number followed by a final period keeps it (`2024.` stays one token).
 */
export function tokenizeIntl(line: string): string {
  const s = line.replace(RE_INTL_1, '$1 $2 ').replace(RE_INTL_2, ' $1 $2').replace(RE_INTL_3, ' $1 ');
  return pyNormalizeSpaces(s);
}

/** `char`: every code point is a token (whitespace disappears when the line is split). */
export function tokenizeChar(line: string): string {
  return Array.from(line).join(' ');
}

/** `none`: the line as is. */
export function tokenizeNone(line: string): string {
  return line;
}

const TOKENIZERS: Record<TokenizerName, Tokenizer> = {
  '13a': tokenize13a,
  zh: tokenizeZh,
  intl: tokenizeIntl,
  char: tokenizeChar,
  none: tokenizeNone,
};

/** True when `name` is a tokenizer name this module implements. */
export function isTokenizerName(name: string): name is TokenizerName {
  return (TOKENIZER_NAMES as readonly string[]).includes(name);
}

/** The tokenizer called `name`; throws InvalidInputError for an unknown name. */
export function getTokenizer(name: string): Tokenizer {
  if (!isTokenizerName(name)) {
    throw new InvalidInputError(
      `unknown BLEU tokenizer '${name}': expected one of ${TOKENIZER_NAMES.join(', ')}`,
    );
  }
  return TOKENIZERS[name];
}

/** Convenience: tokenize one line with the named tokenizer. */
export function tokenize(line: string, name: TokenizerName = '13a'): string {
  return getTokenizer(name)(line);
}

/**
 * The BLEU tokenizer for a target language: `zh` for Chinese, `char` for Japanese, Korean and Thai
 * (sacrebleu's MeCab tokenizers need native dictionaries; `char` is its dictionary-free choice),
 * `13a` otherwise. Accepts BCP 47 tags (`zh-TW`, `ja_JP`, `ZH`).
 */
export function defaultTokenizerFor(lang: string): TokenizerName {
  const primary = lang.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  if (primary === 'zh') return 'zh';
  if (primary === 'ja' || primary === 'ko' || primary === 'th') return 'char';
  return '13a';
}
