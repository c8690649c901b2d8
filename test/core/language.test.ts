import { describe, expect, it } from 'vitest';
import { isLanguageCode, splitPairId } from '../../lambdas/core/language';

/**
 * Every code of Amazon Translate's "Supported languages and language codes" table
 * (https://docs.aws.amazon.com/translate/latest/dg/what-is-languages.html, read 2026-12-02).
 */
const TRANSLATE_CODES = [
  'af',
  'sq',
  'am',
  'ar',
  'hy',
  'az',
  'bn',
  'bs',
  'bg',
  'ca',
  'zh',
  'zh-TW',
  'hr',
  'cs',
  'da',
  'fa-AF',
  'nl',
  'en',
  'et',
  'fa',
  'tl',
  'fi',
  'fr',
  'fr-CA',
  'ka',
  'de',
  'el',
  'gu',
  'ht',
  'ha',
  'he',
  'hi',
  'hu',
  'is',
  'id',
  'ga',
  'it',
  'ja',
  'kn',
  'kk',
  'ko',
  'lv',
  'lt',
  'mk',
  'ms',
  'ml',
  'mt',
  'mr',
  'mn',
  'no',
  'ps',
  'pl',
  'pt',
  'pt-PT',
  'pa',
  'ro',
  'ru',
  'sr',
  'si',
  'sk',
  'sl',
  'so',
  'es',
  'es-MX',
  'sw',
  'sv',
  'ta',
  'te',
  'th',
  'tr',
  'uk',
  'ur',
  'uz',
  'vi',
  'cy',
];

describe('isLanguageCode()', () => {
  it.each(TRANSLATE_CODES)('accepts Translate code %s', (code) => {
    expect(isLanguageCode(code)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['e', 'one letter'],
    ['EN', 'upper-case language'],
    ['eng', 'ISO 639-2 three letters (Translate uses ISO 639-1)'],
    ['english', 'a language name'],
    ['zh-tw', 'lower-case region'],
    ['zh_TW', 'underscore instead of a dash'],
    ['zh-Hant', 'a script subtag (7 characters; the API takes at most 5)'],
    ['zh-TWN', 'a three-letter region'],
    ['en-', 'a trailing dash'],
    ['auto', 'auto-detection (AMTS needs the source language)'],
    [' en', 'leading space'],
    ['en\n', 'trailing newline'],
  ])('rejects %j (%s)', (code) => {
    expect(isLanguageCode(code)).toBe(false);
  });
});

describe('splitPairId()', () => {
  it.each([
    ['en-zh', { source: 'en', target: 'zh' }],
    ['en-zh-TW', { source: 'en', target: 'zh-TW' }],
    ['zh-TW-en', { source: 'zh-TW', target: 'en' }],
    ['fa-AF-pt-PT', { source: 'fa-AF', target: 'pt-PT' }],
  ])('splits %s', (id, pair) => {
    expect(splitPairId(id)).toEqual(pair);
  });

  it.each(['en', 'english-chinese', 'en-ZH', 'en_zh', 'en-zh-', 'eng-zh', 'en-zh-Hant', 'en--zh'])(
    'refuses %j',
    (id) => {
      expect(splitPairId(id)).toBeNull();
    },
  );
});
