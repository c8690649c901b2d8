import { describe, expect, it } from 'vitest';
import { pairBook } from '../../../lambdas/core/align/book';
import { alignSentences, pairDocuments } from '../../../lambdas/core/align/pair';

const EN = `# Gradient Descent
:label:\`sec_gd\`

In this section we introduce gradient descent. It is the basis of many optimizers, e.g., SGD and Adam.

\`\`\`{.python .input}
x = 1
\`\`\`

We run 20 iterations with $\\eta = 0.2$. The objective drops below 0.01 after that.
`;
const ZH = `# 梯度下降
:label:\`sec_gd\`

本节将介绍梯度下降。它是许多优化器（例如SGD和Adam）的基础。

\`\`\`{.python .input}
x = 1
\`\`\`

我们用$\\eta = 0.2$运行20次迭代。之后目标函数降到0.01以下。
`;

describe('pairDocuments()', () => {
  it('returns no pairs and zero counts for empty documents', () => {
    const { pairs, counts } = pairDocuments('', '', { from: 'en', to: 'zh' });
    expect(pairs).toEqual([]);
    expect(counts).toMatchObject({ sourceUnits: 0, targetUnits: 0, pairs: 0 });
  });

  it('pairs hostile text (CRLF line ends, NUL, lone surrogate, emoji) without throwing', () => {
    const en = 'First para\u0000 here 😀.\r\n\r\nSecond \uD800 para is here.\r\n';
    const zh = '第一段\u0000在这里😀。\r\n\r\n第二段\uD800在这里。\r\n';
    const { pairs, counts } = pairDocuments(en, zh, { from: 'en', to: 'zh' });
    expect(counts).toMatchObject({ sourceUnits: 2, targetUnits: 2, pairs: 2 });
    expect(pairs[0]?.target).toContain('😀');
  });

  it('pairs sentence by sentence by default, headings whole, code ignored', () => {
    const { pairs, counts } = pairDocuments(EN, ZH, { from: 'en', to: 'zh' });
    expect(pairs).toEqual([
      { source: 'Gradient Descent', target: '梯度下降' },
      { source: 'In this section we introduce gradient descent.', target: '本节将介绍梯度下降。' },
      {
        source: 'It is the basis of many optimizers, e.g., SGD and Adam.',
        target: '它是许多优化器（例如SGD和Adam）的基础。',
      },
      { source: 'We run 20 iterations with $\\eta = 0.2$.', target: '我们用$\\eta = 0.2$运行20次迭代。' },
      { source: 'The objective drops below 0.01 after that.', target: '之后目标函数降到0.01以下。' },
    ]);
    expect(counts).toMatchObject({ sourceUnits: 3, targetUnits: 3, sentenceAligned: 2, pairs: 5 });
  });

  it('pairs whole paragraphs with level paragraph', () => {
    const { pairs } = pairDocuments(EN, ZH, { from: 'en', to: 'zh', level: 'paragraph' });
    expect(pairs).toHaveLength(3);
    expect(pairs[2]?.target).toBe('我们用$\\eta = 0.2$运行20次迭代。之后目标函数降到0.01以下。');
  });

  it('falls back to the paragraph pair when the sentences do not align with confidence', () => {
    const en =
      'One. Two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen.\n';
    const zh = '这是一个非常非常非常非常非常非常非常非常非常非常非常长的句子，和英文完全对不上。短。\n';
    const { pairs, counts } = pairDocuments(en, zh, { from: 'en', to: 'zh' });
    expect(counts.paragraphFallbacks).toBe(1);
    expect(pairs).toEqual([{ source: en.trim(), target: zh.trim() }]);
  });

  it('counts units without counterpart instead of pairing them', () => {
    const zh = `${ZH}\n:begin_tab:\`paddle\`\n飞桨专有的说明。\n:end_tab:\n`;
    const { counts } = pairDocuments(EN, zh, { from: 'en', to: 'zh' });
    expect(counts.unmatchedTarget).toBe(1);
    expect(counts.unmatchedSource).toBe(0);
  });
});

describe('alignSentences()', () => {
  it('returns null when a side has no sentence', () => {
    expect(alignSentences('', '你好。', { from: 'en', to: 'zh' })).toBeNull();
  });

  it('treats a unit boundary as a sentence boundary', () => {
    const result = alignSentences(['First point', 'Second point'], ['第一点', '第二点'], {
      from: 'en',
      to: 'zh',
    });
    expect(result?.pairs).toEqual([
      { source: 'First point', target: '第一点' },
      { source: 'Second point', target: '第二点' },
    ]);
  });
});

describe('alignSentences() on reordered and crossed sentences', () => {
  const en = [
    'Besides single shot multibox detection described in :numref:`sec_ssd`, R-CNNs are among the pioneering approaches :cite:`Girshick.2014`.',
    'In this section we introduce the fast R-CNN :cite:`Girshick.2015` and the faster R-CNN :cite:`Ren.2015`.',
    'Due to limited space, we will only focus on the design of these models.',
  ];
  const zh = [
    '除了 :numref:`sec_ssd`中描述的单发多框检测之外，R-CNN :cite:`Girshick.2014`也是开创性工作之一。',
    '本节将介绍快速的R-CNN :cite:`Girshick.2015`和更快的R-CNN :cite:`Ren.2015`。',
    '限于篇幅，我们只着重介绍这些模型的设计思路。',
  ];
  const pairs = (order: number[]) => order.map((j, i) => ({ source: en[i], target: zh[j] }));

  it('follows the role keys when the translation opens with the last sentence (rotation)', () => {
    const result = alignSentences(en.join(' '), [zh[2], zh[0], zh[1]].join(''), { from: 'en', to: 'zh' });
    expect(result?.pairs).toEqual(pairs([0, 1, 2]).map((p, i) => ({ ...p, target: zh[i] })));
    expect(result?.crossed).toBeGreaterThan(0);
  });

  it('pairs two adjacent sentences crosswise when their anchors say so (swap)', () => {
    const result = alignSentences(en.join(' '), [zh[1], zh[0], zh[2]].join(''), { from: 'en', to: 'zh' });
    expect(result?.pairs).toEqual(pairs([0, 1, 2]).map((p, i) => ({ ...p, target: zh[i] })));
    expect(result?.crossed).toBe(2);
  });

  it('keeps the monotone pairs of a faithful translation (no crossing invented)', () => {
    const result = alignSentences(en.join(' '), zh.join(''), { from: 'en', to: 'zh' });
    expect(result).toEqual({ pairs: pairs([0, 1, 2]), unmatched: 0, crossed: 0 });
  });
});

describe('pairDocuments() confidence', () => {
  it('leaves extra translated bullets unpaired instead of gluing them to a neighbour, and counts them', () => {
    const md = (title: string, items: string[]) =>
      `## ${title}\n\n${items.map((x) => `* ${x}`).join('\n')}\n`;
    const en = md('Summary', [
      'The R-CNN extracts many region proposals from the input image and uses a CNN on each of them.',
      'The fast R-CNN performs the CNN forward propagation only on the entire image.',
      'The faster R-CNN replaces selective search with a jointly trained region proposal network.',
    ]);
    const zh = md('小结', [
      'R-CNN对图像选取若干提议区域，并对每个提议区域使用卷积神经网络。',
      'Fast R-CNN只对整个图像做卷积神经网络的前向传播。',
      '兴趣区域对齐层使用双线性插值保留特征图上的空间信息，因此更适于像素级预测。',
      '区域提议网络与模型的其余部分一起进行端到端的训练，可以在减少提议区域数量的情况下仍保证目标检测的精度。',
      'Faster R-CNN将选择性搜索替换为参与训练的区域提议网络。',
    ]);
    const { pairs, counts } = pairDocuments(en, zh, { from: 'en', to: 'zh', level: 'paragraph' });
    expect(pairs.map((p) => p.target)).toEqual([
      '小结',
      'R-CNN对图像选取若干提议区域，并对每个提议区域使用卷积神经网络。',
      'Fast R-CNN只对整个图像做卷积神经网络的前向传播。',
      'Faster R-CNN将选择性搜索替换为参与训练的区域提议网络。',
    ]);
    expect(counts.unmatchedTarget).toBe(2);
    expect(counts.untrustedUnits).toBeLessThanOrEqual(2);
  });
});

describe('pairBook()', () => {
  it('pairs documents with the same path, lists the others, and writes one deduplicated CSV', () => {
    const { csv, counts } = pairBook(
      [
        { path: 'b.md', markdown: '# Summary\n' },
        { path: 'a.md', markdown: '# Summary\n\nHello world.\n' },
        { path: 'only-en.md', markdown: '# X\n' },
      ],
      [
        { path: 'a.md', markdown: '# 小结\n\n你好，世界。\n' },
        { path: 'b.md', markdown: '# 总结\n' },
        { path: 'only-zh.md', markdown: '# 乙\n' },
      ],
      { from: 'en', to: 'zh' },
    );
    expect(counts.documents.map((d) => d.path)).toEqual(['a.md', 'b.md']);
    expect(counts.missingTarget).toEqual(['only-en.md']);
    expect(counts.missingSource).toEqual(['only-zh.md']);
    // "Summary" occurs in a.md and b.md: the last one (b.md, in path order) wins, at the first position.
    expect(csv).toBe('en,zh\nSummary,总结\nHello world.,你好，世界。\n');
    expect(counts.csv).toMatchObject({ input: 3, written: 2, duplicates: 1, conflictingDuplicates: 1 });
  });
});
