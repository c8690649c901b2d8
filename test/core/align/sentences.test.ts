import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCjkLanguage, splitSentences } from '../../../lambdas/core/align/sentences';

describe('splitSentences()', () => {
  describe('bad and edge input', () => {
    it.each(['', ' ', '\n\t  '])('returns [] for blank text %j', (text) => {
      expect(splitSentences(text, 'en')).toEqual([]);
      expect(splitSentences(text, 'zh')).toEqual([]);
    });

    it('returns one sentence for text without terminal punctuation', () => {
      expect(splitSentences('a heading without a dot', 'en')).toEqual(['a heading without a dot']);
    });

    it('keeps a trailing dot run ("...") with its sentence', () => {
      expect(splitSentences('Wait... Then go.', 'en')).toEqual(['Wait...', 'Then go.']);
    });

    it('splits a 1 MB paragraph of short sentences in linear time without losing text', () => {
      const text = 'This is one. '.repeat(80_000).trim();
      const out = splitSentences(text, 'en');
      expect(out).toHaveLength(80_000);
      expect(out.join(' ')).toBe(text);
    });

    it('does not split inside an unterminated $ or backtick', () => {
      expect(splitSentences('Costs $5. Then $10 more. Done.', 'en').join(' ')).toBe(
        'Costs $5. Then $10 more. Done.',
      );
    });
  });

  describe('English', () => {
    it.each([
      ['e.g.', 'Use a model, e.g. A linear one. Next.', 2],
      ['i.e.', 'The loss, i.e. The objective, is small. Next.', 2],
      ['Fig.', 'See Fig. 3 for the plot. Next.', 2],
      ['Sec.', 'As in Sec. 2.1 we train. Next.', 2],
      ['et al.', 'Vaswani et al. (2017) proposed it. Next.', 2],
      ['U.S.', 'The U.S. Army uses it. Next.', 2],
      ['decimal', 'It takes 3.14 seconds. Next.', 2],
      ['initial', 'A. Smola wrote it. Next.', 2],
      ['cf.', 'This differs, cf. Table 2. Next.', 2],
    ])('does not split after %s', (_name, text, count) => {
      const out = splitSentences(text, 'en');
      expect(out).toHaveLength(count);
      expect(out.at(-1)).toBe('Next.');
    });

    it('does not split inside :numref: roles, inline math or inline code', () => {
      expect(splitSentences('Recall :numref:`sec_a.b`. The value $p.Q$ is `x. Y` here. Next.', 'en')).toEqual(
        ['Recall :numref:`sec_a.b`.', 'The value $p.Q$ is `x. Y` here.', 'Next.'],
      );
    });

    it('splits before a sentence that starts with a role, math, code or a quote', () => {
      expect(splitSentences('One. :numref:`fig_a` shows it. $x$ is big. "Two." Three!', 'en')).toEqual([
        'One.',
        ':numref:`fig_a` shows it.',
        '$x$ is big.',
        '"Two."',
        'Three!',
      ]);
    });

    it('splits after ? and ! and keeps closing quotes and brackets', () => {
      expect(splitSentences('Is it? Yes (it is.) "Sure!" Fine.', 'en')).toEqual([
        'Is it?',
        'Yes (it is.)',
        '"Sure!"',
        'Fine.',
      ]);
    });

    it('does not split before a lower-case word', () => {
      expect(splitSentences('We use approx. two layers. Next.', 'en')).toEqual([
        'We use approx. two layers.',
        'Next.',
      ]);
      expect(splitSentences('A value of 5 vs. 6 is fine.', 'en')).toHaveLength(1);
    });
  });

  describe('Chinese', () => {
    it('splits after full-width 。！？ with no space after them', () => {
      expect(splitSentences('我们训练模型。效果很好！对吗？是的。', 'zh')).toEqual([
        '我们训练模型。',
        '效果很好！',
        '对吗？',
        '是的。',
      ]);
    });

    it('keeps closing full-width quotes and brackets with their sentence', () => {
      expect(splitSentences('他说“好。”然后（走了。）再见', 'zh')).toEqual([
        '他说“好。”',
        '然后（走了。）',
        '再见',
      ]);
    });

    it('does not split decimals, English abbreviations or roles inside Chinese text', () => {
      expect(splitSentences('学习率为0.5，例如e.g. 这样。见 :numref:`sec_a.b`中的讨论。', 'zh')).toEqual([
        '学习率为0.5，例如e.g. 这样。',
        '见 :numref:`sec_a.b`中的讨论。',
      ]);
    });

    it('keeps a trailing directive (:end_tab:, :label:) with its sentence but splits before a reference role', () => {
      expect(splitSentences('结果保持不变。 :end_tab:', 'zh')).toEqual(['结果保持不变。 :end_tab:']);
      expect(splitSentences('一。 :numref:`fig_a`展示了它。', 'zh')).toEqual([
        '一。',
        ':numref:`fig_a`展示了它。',
      ]);
      expect(splitSentences('It is unchanged. :end_tab:', 'en')).toEqual(['It is unchanged. :end_tab:']);
    });

    it('does not split at full-width commas, colons or semicolons', () => {
      expect(splitSentences('首先，我们定义：损失；然后训练。', 'zh')).toHaveLength(1);
    });

    it('treats zh-TW and ja like zh', () => {
      expect(splitSentences('一。二。', 'zh-TW')).toHaveLength(2);
      expect(splitSentences('これはペンです。あれは本です。', 'ja')).toHaveLength(2);
      expect(isCjkLanguage('zh-Hans')).toBe(true);
      expect(isCjkLanguage('ko')).toBe(false);
    });
  });

  describe('properties', () => {
    it('loses no non-space character and never returns blank sentences', () => {
      const alphabet = fc.constantFrom(...'ab .!?。！？$`:xA1 "”'.split(''));
      fc.assert(
        fc.property(fc.array(alphabet, { maxLength: 60 }), fc.constantFrom('en', 'zh'), (chars, lang) => {
          const text = chars.join('');
          const out = splitSentences(text, lang);
          expect(out.every((s) => s.trim() === s && s !== '')).toBe(true);
          expect(out.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
        }),
      );
    });
  });
});
