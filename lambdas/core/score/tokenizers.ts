/**
 * sacrebleu 2.6.0's BLEU tokenizers, reproduced with their quirks: `13a` (mteval-v13a, the default),
 * `zh` (Chinese characters split, the rest as 13a without its entity handling), `intl`
 * (mteval-v14 international: Unicode punctuation and symbols), `char` (every character a token:
 * Japanese, Korean, Thai) and `none`. Each returns the tokenized line with single spaces, as sacrebleu.
 */
import { InvalidInputError } from '../errors';
import { isPythonWhitespace, pyNormalizeSpaces, pySplit, pyStrip } from './python-text';

/** Names accepted by `tokenize` options, as sacrebleu spells them (also the signature's `tok:`). */
export const TOKENIZER_NAMES = ['13a', 'zh', 'intl', 'char', 'none'] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

export type Tokenizer = (line: string) => string;

// mteval-v13a (sacrebleu's TokenizerRegexp) is four regex substitutions applied in sequence:
//   1. ([\{-\~\[-\` -\&\(-\+\:-\@\/])  → ' \1 '   ASCII punctuation except ' , - .
//   2. ([^0-9])([\.,])                 → '\1 \2 '  period/comma unless preceded by a digit
//   3. ([\.,])([^0-9])                 → ' \1 \2'  period/comma unless followed by a digit
//   4. ([0-9])(-)                      → '\1 \2 '  dash after a digit
// then ' '.join(line.split()). Every substitution only inserts spaces, so the tokens are substrings
// of the input. We replay each pass over an array of input indices (-1 = an inserted space) with
// the same left-to-right, non-overlapping matching, then cut the input at spaces: no regex, no
// intermediate strings. The tests check this against a literal regex transcription.

const PUNCT_13A = new Uint8Array(128);
for (const [a, b] of [
  [0x20, 0x26],
  [0x28, 0x2b],
  [0x2f, 0x2f],
  [0x3a, 0x40],
  [0x5b, 0x60],
  [0x7b, 0x7e],
] as const) {
  PUNCT_13A.fill(1, a, b + 1);
}

const SPACE = -1;
// Two scratch buffers used in turn as pass input and output (single-threaded, never escape).
const scratch: Int32Array[] = [new Int32Array(1024), new Int32Array(1024)];

function buffer(k: 0 | 1, size: number): Int32Array {
  let b = scratch[k] as Int32Array;
  if (b.length < size) {
    let n = b.length;
    while (n < size) n *= 2;
    b = new Int32Array(n);
    scratch[k] = b;
  }
  return b;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * sacrebleu's `TokenizerRegexp` (shared by `13a` and `zh`) as a token list. With `zh`, every
 * "Chinese" character (see ZH_RANGES) is first surrounded by spaces.
 */
function regexpTokens(s: string, zh: boolean): string[] {
  try {
    return replayPasses(s, zh);
  } finally {
    // Do not keep the memory of one huge line alive for the rest of the process.
    for (const k of [0, 1] as const)
      if ((scratch[k] as Int32Array).length > 1 << 22) scratch[k] = new Int32Array(1024);
  }
}

function replayPasses(s: string, zh: boolean): string[] {
  const n = s.length;
  const code = (idx: number) => (idx === SPACE ? 0x20 : s.charCodeAt(idx));
  // pass 0 (zh) + pass 1: a character of either class becomes ' c '; the classes are disjoint.
  let src = buffer(0, 3 * n + 1);
  let len = 0;
  let dotOrComma = false;
  let dash = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (PUNCT_13A[c] === 1) {
        src[len++] = SPACE;
        src[len++] = i;
        src[len++] = SPACE;
        continue;
      }
      if (c === 0x2e || c === 0x2c) dotOrComma = true;
      else if (c === 0x2d) dash = true;
    } else if (zh && ZH_TABLE[c] === 1) {
      src[len++] = SPACE;
      src[len++] = i;
      src[len++] = SPACE;
      continue;
    }
    src[len++] = i;
  }
  // Passes 2–3 can only match at a period or comma, pass 4 at a dash: skip those that cannot.
  if (!dotOrComma && !dash) return splitIndexed(s, src, len);
  let dst = src;
  let out = len;
  if (dotOrComma) {
    // pass 2: ([^0-9])([.,]) → '\1 \2 '
    dst = buffer(1, 2 * len + 1);
    out = 0;
    for (let i = 0; i < len; ) {
      const a = src[i] as number;
      if (i + 1 < len) {
        const b = src[i + 1] as number;
        const cb = code(b);
        if ((cb === 0x2e || cb === 0x2c) && !isDigit(code(a))) {
          dst[out++] = a;
          dst[out++] = SPACE;
          dst[out++] = b;
          dst[out++] = SPACE;
          i += 2;
          continue;
        }
      }
      dst[out++] = a;
      i++;
    }
    // pass 3: ([.,])([^0-9]) → ' \1 \2'
    src = dst;
    len = out;
    dst = buffer(0, 2 * len + 1);
    out = 0;
    for (let i = 0; i < len; ) {
      const a = src[i] as number;
      const ca = code(a);
      if (i + 1 < len && (ca === 0x2e || ca === 0x2c)) {
        const b = src[i + 1] as number;
        if (!isDigit(code(b))) {
          dst[out++] = SPACE;
          dst[out++] = a;
          dst[out++] = SPACE;
          dst[out++] = b;
          i += 2;
          continue;
        }
      }
      dst[out++] = a;
      i++;
    }
  }
  // pass 4: ([0-9])(-) → '\1 \2 '
  if (!dash) return splitIndexed(s, dst, out);
  src = dst;
  len = out;
  dst = buffer(1, 2 * len + 1);
  out = 0;
  for (let i = 0; i < len; ) {
    const a = src[i] as number;
    if (i + 1 < len && isDigit(code(a))) {
      const b = src[i + 1] as number;
      if (code(b) === 0x2d) {
        dst[out++] = a;
        dst[out++] = SPACE;
        dst[out++] = b;
        dst[out++] = SPACE;
        i += 2;
        continue;
      }
    }
    dst[out++] = a;
    i++;
  }
  return splitIndexed(s, dst, out);
}

/** Cuts `s` into tokens at inserted spaces (SPACE) and Python whitespace; tokens are contiguous slices. */
function splitIndexed(s: string, buf: Int32Array, len: number): string[] {
  const tokens: string[] = [];
  let first = -1;
  let last = -1;
  for (let i = 0; i < len; i++) {
    const idx = buf[i] as number;
    if (idx === SPACE || isPythonWhitespace(s.charCodeAt(idx))) {
      if (first >= 0) {
        tokens.push(s.slice(first, last + 1));
        first = -1;
      }
    } else {
      if (first < 0) first = idx;
      last = idx;
    }
  }
  if (first >= 0) tokens.push(s.slice(first, last + 1));
  return tokens;
}

function preprocess13a(line: string): string {
  let s = line;
  if (s.includes('<skipped>')) s = s.replaceAll('<skipped>', '');
  if (s.includes('\n')) s = s.replaceAll('-\n', '').replaceAll('\n', ' ');
  if (s.includes('&')) {
    s = s.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  return s;
}

/**
 * `13a`: drops `<skipped>`, joins `-\n` hyphenations, turns newlines into spaces, unescapes
 * `&quot; &amp; &lt; &gt;` in that order (so `&amp;lt;` becomes `<`), then splits punctuation.
 */
export function tokenize13a(line: string): string {
  return tokens13a(line).join(' ');
}

/** The tokens of `tokenize13a(line)`. */
export function tokens13a(line: string): string[] {
  // sacrebleu pads the line with a space on each side before the substitutions; so do we (it matters:
  // a final "2024." splits because the period is then followed by a non-digit).
  return regexpTokens(` ${preprocess13a(line)} `, false);
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
  return tokensZh(line).join(' ');
}

/** The tokens of `tokenizeZh(line)`. */
export function tokensZh(line: string): string[] {
  return regexpTokens(pyStrip(line), true);
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

/** A tokenizer that returns the tokens, i.e. Python's `tokenizer(line).split()`, without the joined string. */
export type TokenListTokenizer = (line: string) => string[];

const TOKEN_LISTS: Record<TokenizerName, TokenListTokenizer> = {
  '13a': tokens13a,
  zh: tokensZh,
  intl: (line) => pySplit(tokenizeIntl(line)),
  char: (line) => Array.from(line).filter((c) => !isPythonWhitespace(c.charCodeAt(0))),
  none: pySplit,
};

/** The token-list form of the tokenizer called `name` (same tokens as splitting its output). */
export function getTokenListTokenizer(name: string): TokenListTokenizer {
  getTokenizer(name);
  return TOKEN_LISTS[name as TokenizerName];
}

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
