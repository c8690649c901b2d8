import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeReferencePairs, referencePairsFromDocuments } from '../../../lambdas/core/sync/api';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'corpus', 'd2l');
const read = (lang: string, path: string) => readFileSync(join(FIXTURES, lang, path), 'utf8');

describe('referencePairsFromDocuments()', () => {
  it('returns nothing for empty documents', () => {
    expect(
      referencePairsFromDocuments({ sourceMarkdown: '', referenceMarkdown: '', from: 'en', to: 'zh' }).size,
    ).toBe(0);
  });

  it('pairs headings and paragraphs one to one', () => {
    const pairs = referencePairsFromDocuments({
      sourceMarkdown: '# Title\n\nFirst $x$ paragraph.\n\nSecond paragraph.\n',
      referenceMarkdown: '# 标题\n\n第一段 $x$。\n\n第二段。\n',
      from: 'en',
      to: 'zh',
    });
    expect(pairs).toEqual(
      new Map([
        ['Title', '标题'],
        ['First $x$ paragraph.', '第一段 $x$。'],
        ['Second paragraph.', '第二段。'],
      ]),
    );
  });

  it('drops a pair whose translation lost protected content', () => {
    const pairs = referencePairsFromDocuments({
      sourceMarkdown: 'First $x$ paragraph.\n',
      referenceMarkdown: '第一段。\n',
      from: 'en',
      to: 'zh',
    });
    expect(pairs.size).toBe(0);
  });

  it('pairs most units of a real D2L section with its human translation', () => {
    const path = 'chapter_optimization/sgd.md';
    const pairs = referencePairsFromDocuments({
      sourceMarkdown: read('en', path),
      referenceMarkdown: read('zh', path),
      from: 'en',
      to: 'zh',
    });
    expect(pairs.size).toBeGreaterThan(40);
    expect(pairs.get('Stochastic Gradient Descent')).toBe('随机梯度下降');
  });
});

describe('mergeReferencePairs()', () => {
  it('drops a text that two documents translate differently', () => {
    const merged = mergeReferencePairs([
      new Map([
        ['Summary', '小结'],
        ['Exercises', '练习'],
      ]),
      new Map([
        ['Summary', '总结'],
        ['Exercises', '练习'],
      ]),
      new Map([['Summary', '小结']]),
    ]);
    expect(merged).toEqual(new Map([['Exercises', '练习']]));
  });
});
