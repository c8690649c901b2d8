import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lambdas/core/errors';
import {
  defaultTokenizerFor,
  getTokenizer,
  isZhChar,
  tokenize,
  tokenize13a,
  tokenizeChar,
  tokenizeIntl,
  tokenizeNone,
  tokenizeZh,
} from '../../../lambdas/core/score';

describe('getTokenizer()', () => {
  it.each(['', '13A', 'v13a', 'ja-mecab', 'spm', '__proto__', 'constructor'])(
    'rejects %j with InvalidInputError',
    (name) => {
      expect(() => getTokenizer(name)).toThrow(InvalidInputError);
    },
  );

  it('names the known tokenizers in its error', () => {
    expect(() => getTokenizer('moses')).toThrow(/13a, zh, intl, char, none/);
  });

  it.each(['13a', 'zh', 'intl', 'char', 'none'] as const)('returns the %s tokenizer', (name) => {
    expect(typeof getTokenizer(name)).toBe('function');
  });
});

describe('tokenize13a()', () => {
  it.each([
    ['', ''],
    ['   ', ''],
    ['Hello, world!', 'Hello , world !'],
    ['The U.S. GDP grew 2.5% in Q3.', 'The U . S . GDP grew 2.5 % in Q3 .'],
    ['1,000.50 and 3-4 but a-b', '1,000.50 and 3 - 4 but a-b'],
    ["don't", "don't"],
    ['&quot;hi&quot; &amp; &lt;b&gt;', '" hi " & < b >'],
    ['&amp;lt;', '<'],
    ['&amp;quot;', '& quot ;'],
    ['&apos;', '& apos ;'],
    ['state-of-the-\nart', 'state-of-theart'],
    ['line one\nline two', 'line one line two'],
    ['a <skipped> b', 'a b'],
    ['x\u00a0y\u3000z', 'x y z'],
    ['x\u200by\ufeffz', 'x\u200by\ufeffz'],
    ['«Bonjour» — dit-il…', '«Bonjour» — dit-il…'],
    ['Wait... what?!', 'Wait . . . what ? !'],
    ['ok👍.', 'ok👍 .'],
  ])('tokenizes %j as %j', (input, expected) => {
    expect(tokenize13a(input)).toBe(expected);
  });
});

describe('tokenizeZh()', () => {
  it.each([
    ['', ''],
    ['我们使用深度学习。', '我 们 使 用 深 度 学 习 。'],
    ['大语言模型（LLM）参数量达到700亿。', '大 语 言 模 型 （ LLM ） 参 数 量 达 到 700 亿 。'],
    ['他说“你好”——然后', '他 说 “ 你 好 ” — — 然 后'],
    ['a“b', 'a “ b'],
    ['x\u2000y', 'x y'],
    ['x\u2a6ey', 'x\u2a6ey'],
    ['𠀀𠀁', '𠀀𠀁'],
    ['&quot;引&quot;', '& quot ; 引 & quot ;'],
    ['\u3000全角\u3000', '全 角'],
    ['ResNet-50模型', 'ResNet-50 模 型'],
  ])('tokenizes %j as %j', (input, expected) => {
    expect(tokenizeZh(input)).toBe(expected);
  });

  it.each([
    [0x4e00, true],
    [0x9fbb, true],
    [0x9fbc, false],
    [0x2000, false],
    [0x2001, true],
    [0x2014, true],
    [0x2a6d, true],
    [0x2a6e, false],
    [0x20000, false],
    [0xac00, false],
    [0xff61, true],
    [0x41, false],
  ])('isZhChar(U+%s) is %s', (cp, expected) => {
    expect(isZhChar(cp)).toBe(expected);
  });
});

describe('tokenizeIntl()', () => {
  it.each([
    ['It happened in 2024.', 'It happened in 2024.'],
    ['It happened in 2024. Then', 'It happened in 2024 . Then'],
    ['Pay $1,000.50 now.', 'Pay $ 1,000.50 now .'],
    ["don't", "don ' t"],
    ['«Bonjour»', '« Bonjour »'],
    ['a+b=c', 'a + b = c'],
    ['&amp;', '& amp ;'],
    ['', ''],
  ])('tokenizes %j as %j', (input, expected) => {
    expect(tokenizeIntl(input)).toBe(expected);
  });
});

describe('tokenizeChar()', () => {
  it.each([
    ['機械翻訳', '機 械 翻 訳'],
    ['𠀀a😀', '𠀀 a 😀'],
    ['', ''],
  ])('tokenizes %j as %j', (input, expected) => {
    expect(tokenizeChar(input)).toBe(expected);
  });
});

describe('tokenizeNone() and tokenize()', () => {
  it('returns the line unchanged', () => {
    expect(tokenizeNone('  a,b  ')).toBe('  a,b  ');
    expect(tokenize('  a,b  ', 'none')).toBe('  a,b  ');
  });

  it('defaults to 13a', () => {
    expect(tokenize('a,b')).toBe('a , b');
  });

  it('handles a huge line in linear time', () => {
    const line = 'Deep learning, 深度学习. '.repeat(50_000);
    expect(tokenize13a(line).split(' ')).toHaveLength(50_000 * 5);
    expect(tokenizeZh(line).split(' ')).toHaveLength(50_000 * 8);
  });
});

describe('defaultTokenizerFor()', () => {
  it.each([
    ['zh', 'zh'],
    ['zh-TW', 'zh'],
    ['ZH_cn', 'zh'],
    ['ja', 'char'],
    ['ja-JP', 'char'],
    ['ko', 'char'],
    ['th', 'char'],
    ['en', '13a'],
    ['pt-BR', '13a'],
    ['tr', '13a'],
    ['vi', '13a'],
    ['es', '13a'],
    ['', '13a'],
    ['zho', '13a'],
  ])('picks %j → %s', (lang, expected) => {
    expect(defaultTokenizerFor(lang)).toBe(expected);
  });
});
