import { describe, expect, it } from 'vitest';
import { writtenMarkdownProblems } from '../../../lambdas/core/markdown';

describe('writtenMarkdownProblems(): the check on every Markdown the workflow writes', () => {
  const source = 'We set the beam size to $2$; see :numref:`fig_qkv`. It costs \\$5 or \\$6.\n';

  it.each([
    ['intact math, roles and escaped dollars', '设置束宽为$2$；见:numref:`fig_qkv`。花费\\$5或\\$6。\n', []],
    ['math written as escaped text', '设置束宽为\\$2\\$。花费\\$5或\\$6。\n', ['1:6 math']],
    ['a role written as escaped text', '见:numref:\\`fig_qkv\\`。\n', ['1:10 inline code or a role']],
    ['inline code written as escaped text', 'a\n用\\`x\\`。\n', ['2:2 inline code or a role']],
    ['a lone escaped dollar or backtick (prose, not markup)', '它值\\$5。一个\\`符号。\n', []],
  ])('%s', (_what, written, expected) => {
    const problems = writtenMarkdownProblems(source, written, 'zh/a.md');
    expect(
      problems.map((p) => `${p.where.replace('zh/a.md:', '')} ${p.detail.split(' written as ')[0]}`),
    ).toEqual(expected);
    for (const p of problems) expect(p.kind).toBe('protected-as-text');
  });

  it('allows escaped markup the English source has as often as it has it', () => {
    const en = 'Write \\$x\\$ to show a dollar sign pair.\n';
    expect(writtenMarkdownProblems(en, '写 \\$x\\$ 表示。\n')).toEqual([]);
    expect(writtenMarkdownProblems(en, '写 \\$x\\$ 和 \\$x\\$。\n')).toMatchObject([
      { where: '<written>:1:3' },
    ]);
  });

  it('does not block a run on damage already in the file it replaces (a human must fix it)', () => {
    const before = '设置束宽为\\$2\\$。\n';
    expect(writtenMarkdownProblems(source, before, 'a.md', before)).toEqual([]);
    expect(writtenMarkdownProblems(source, `${before}在时间步\\$1\\$。\n`, 'a.md', before)).toHaveLength(1);
  });
});
