import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AlignedGroup, alignParagraphs } from '../../../lambdas/core/align/paragraphs';
import { InvalidInputError } from '../../../lambdas/core/errors';
import { extractSegments } from '../../../lambdas/core/markdown';
import type { Segment } from '../../../lambdas/core/markdown/types';

const EN_ZH = { from: 'en', to: 'zh' } as const;

/** Aligns two Markdown texts and returns the groups as [source texts, target texts]. */
function align(en: string, zh: string): [string[], string[]][] {
  const groups = alignParagraphs(extractSegments(en), extractSegments(zh), {
    ...EN_ZH,
    sourceMarkdown: en,
    targetMarkdown: zh,
  });
  return groups.map((g) => [g.source.map((s) => s.text), g.target.map((s) => s.text)]);
}

const EN = [
  '# Training',
  'We train the model with $\\eta = 0.1$ for 10 epochs, as in :numref:`sec_sgd`.',
  'The loss decreases quickly during the first few epochs, because the learning rate is large compared with the curvature of the objective. Then it levels off after about 25 epochs.',
  'Finally, we evaluate the model on the test set of 10000 images and report the accuracy in :numref:`tab_acc`.',
  '## Summary',
  '* Training uses minibatch stochastic gradient descent.',
];
const ZH = [
  '# 训练',
  '按照 :numref:`sec_sgd`，用$\\eta = 0.1$训练模型10个周期。',
  '损失在最初几个迭代周期下降很快，因为学习率相对于目标函数的曲率较大。大约25个迭代周期之后趋于平稳。',
  '最后，我们在10000张图像的测试集上评估模型，并在 :numref:`tab_acc`中报告准确率。',
  '## 小结',
  '* 训练使用小批量随机梯度下降。',
];
const md = (blocks: readonly string[]) => `${blocks.join('\n\n')}\n`;

/** A fabricated unit (no Markdown needed) for size tests. */
function unit(i: number, text: string): Segment {
  const point = { line: i + 1, column: 1, offset: i * 100 };
  return {
    id: `u${i + 1}`,
    kind: 'paragraph',
    text,
    html: text,
    markdown: text,
    start: point,
    end: { ...point, offset: point.offset + text.length },
    hash: String(i),
    protectedItems: [],
  };
}

describe('alignParagraphs()', () => {
  describe('bad, empty and huge input', () => {
    it('returns [] for two empty documents', () => {
      expect(alignParagraphs([], [], EN_ZH)).toEqual([]);
    });

    it('leaves every unit unmatched when the other side is empty', () => {
      expect(align(md(EN), '')).toHaveLength(EN.length);
      expect(align('', md(ZH)).every(([s, t]) => s.length === 0 && t.length === 1)).toBe(true);
    });

    it('copes with hostile unit text (NUL, lone surrogates, emoji, 100 kB paragraphs)', () => {
      const en = [unit(0, 'a\u0000b \uD800 😀'), unit(1, 'x'.repeat(100_000))];
      const zh = [unit(0, '甲\u0000乙 \uDC00 😀'), unit(1, '字'.repeat(30_000))];
      const groups = alignParagraphs(en, zh, EN_ZH);
      expect(groups.map((g) => [g.source.length, g.target.length])).toEqual([
        [1, 1],
        [1, 1],
      ]);
    });

    it('refuses with InvalidInputError a pair too large to align in one piece', () => {
      const en = Array.from({ length: 2100 }, (_, i) => unit(i, `Sentence ${i}.`));
      const zh = Array.from({ length: 2100 }, (_, i) => unit(i, `句子${i}。`));
      expect(() => alignParagraphs(en, zh, EN_ZH)).toThrow(InvalidInputError);
    });
  });

  it('pairs a faithful translation 1-1, headings with headings', () => {
    expect(align(md(EN), md(ZH)).map(([s, t]) => [s.length, t.length])).toEqual(EN.map(() => [1, 1]));
  });

  it('pairs a heading with the heading at the same depth even when it is rephrased', () => {
    const zh = [...ZH];
    zh[4] = '## 本节要点回顾与总结';
    expect(align(md(EN), md(zh))[4]).toEqual([['Summary'], ['本节要点回顾与总结']]);
  });

  it('leaves a dropped paragraph unmatched (1-0) instead of gluing it to a neighbour', () => {
    const zh = ZH.filter((_, i) => i !== 2);
    const groups = align(md(EN), md(zh));
    expect(groups[2]).toEqual([[EN[2]], []]);
    expect(groups[3]?.[1]).toEqual([ZH[3]]);
  });

  it('groups two source paragraphs merged into one translated paragraph (2-1)', () => {
    const zh = [...ZH.slice(0, 2), `${ZH[2]}${ZH[3]}`, ...ZH.slice(4)];
    const groups = align(md(EN), md(zh));
    expect(groups[2]).toEqual([[EN[2], EN[3]], [`${ZH[2]}${ZH[3]}`]]);
  });

  it('pairs two swapped paragraphs crosswise', () => {
    const zh = [ZH[0], ZH[1], ZH[3], ZH[2], ZH[4], ZH[5]] as string[];
    const groups = align(md(EN), md(zh));
    expect(groups[2]).toEqual([[EN[2]], [ZH[2]]]);
    expect(groups[3]).toEqual([[EN[3]], [ZH[3]]]);
  });

  it('never pairs prose from a framework tab the source does not have (zh paddle)', () => {
    const zh = [
      ...ZH.slice(0, 3),
      ':begin_tab:`paddle`\n飞桨版本中，我们使用`paddle.optimizer.SGD`。\n:end_tab:',
      ...ZH.slice(3),
    ];
    const groups = align(md(EN), md(zh));
    const paddle = groups.filter(([, t]) => t.some((x) => x.includes('飞桨')));
    expect(paddle).toEqual([[[], [expect.stringMatching(/^飞桨版本中/)]]]);
    expect(groups.filter(([s, t]) => s.length === 1 && t.length === 1)).toHaveLength(EN.length);
  });

  it('pairs prose inside the same framework tab', () => {
    const en = md([
      ':begin_tab:`mxnet`\nMXNet uses `hybridize`.\n:end_tab:',
      ':begin_tab:`pytorch`\nPyTorch uses `torch.jit.script`.\n:end_tab:',
    ]);
    const zh = md([
      ':begin_tab:`mxnet`\nMXNet使用`hybridize`。\n:end_tab:',
      ':begin_tab:`pytorch`\nPyTorch使用`torch.jit.script`。\n:end_tab:',
    ]);
    const groups = align(en, zh);
    expect(groups.map(([s, t]) => [s.length, t.length])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(groups[1]?.[1]?.[0]).toMatch(/PyTorch使用/);
  });

  it('does not merge paragraphs across a code cell or display math', () => {
    const en = md([
      'First we define the model.',
      '```{.python .input}\nnet = nn.Dense(1)\n```',
      'Then we train it for a while.',
    ]);
    const zh = md(['首先我们定义模型，然后训练它一段时间。', '```{.python .input}\nnet = nn.Dense(1)\n```']);
    const groups = align(en, zh);
    expect(groups.some(([s]) => s.length === 2)).toBe(false);
  });

  it('uses :label: keys as anchors around a figure', () => {
    const en = md([
      'Intro text that is long enough to be a paragraph.',
      '![The R-CNN model.](../img/r-cnn.svg)\n:label:`fig_r-cnn`',
      ':numref:`fig_r-cnn` shows the model.',
    ]);
    const zh = md(['![R-CNN模型](../img/r-cnn.svg)\n:label:`fig_r-cnn`', ':numref:`fig_r-cnn`展示了模型。']);
    const groups = align(en, zh);
    expect(groups[0]).toEqual([['Intro text that is long enough to be a paragraph.'], []]);
    expect(groups[2]?.[1]).toEqual([':numref:`fig_r-cnn`展示了模型。']);
  });

  it('returns every unit exactly once and keeps the source order (property)', () => {
    const sentence = fc.constantFrom(
      'Alpha beta.',
      'Gamma delta epsilon.',
      'We use $x$ here.',
      'See :numref:`sec_a`.',
    );
    const zhSentence = fc.constantFrom('甲乙。', '丙丁戊。', '这里用$x$。', '见 :numref:`sec_a`。');
    fc.assert(
      fc.property(
        fc.array(sentence, { maxLength: 12 }),
        fc.array(zhSentence, { maxLength: 12 }),
        (en, zh) => {
          const S = extractSegments(md(en));
          const T = extractSegments(md(zh));
          const groups: AlignedGroup[] = alignParagraphs(S, T, {
            ...EN_ZH,
            sourceMarkdown: md(en),
            targetMarkdown: md(zh),
          });
          const sourceIds = groups.flatMap((g) => g.source.map((s) => s.id));
          const targetIds = groups.flatMap((g) => g.target.map((s) => s.id)).sort();
          expect(sourceIds).toEqual(S.map((s) => s.id));
          expect(targetIds).toEqual(T.map((s) => s.id).sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});
