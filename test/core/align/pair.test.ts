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
