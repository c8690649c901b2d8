import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  renderReviewPage,
  reviewCounts,
  reviewOrder,
  sourceLineHref,
} from '../../../lambdas/core/review/page';
import { reviewFixture } from '../../helpers/review-fixture';

const zh = { source: 'en', target: 'zh' };

describe('the review page (static HTML, read by people)', () => {
  const html = renderReviewPage(reviewFixture(), zh);

  it('escapes every text: a unit holding <script> shows as text, never as markup', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('A &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; unit &amp; more');
    expect(html).toContain('kept in English &lt;b&gt;(source fallback)&lt;/b&gt;');
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('loads nothing: no script, no external URL, a Content-Security-Policy that forbids fetching', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|@import/);
  });

  it('is readable on a phone: a viewport and a one-column layout below 720 px', () => {
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('@media (min-width:720px)');
  });

  it('counts each kind over the run', () => {
    expect(reviewCounts(reviewFixture())).toEqual({
      machine: 5,
      stale: 1,
      fuzzy: 1,
      conflict: 1,
      'weak-alignment': 0,
    });
  });

  it('orders chapters with the most to review first, ties by path', () => {
    expect(reviewOrder(reviewFixture().documents).map((d) => d.path)).toEqual([
      'chapter_cnn/conv layer.md',
      'chapter_rnn/rnn.md',
      'chapter_intro/index.md',
    ]);
    const at = (p: string) => html.indexOf(`data-path="${p}"`);
    expect(at('chapter_cnn/conv layer.md')).toBeLessThan(at('chapter_rnn/rnn.md'));
    expect(at('chapter_rnn/rnn.md')).toBeLessThan(at('chapter_intro/index.md'));
  });

  it.each([
    ['chapter_rnn/rnn.md', 7, '../../source/en/chapter_rnn/rnn.md#L7'],
    ['chapter_cnn/conv layer.md', 5, '../../source/en/chapter_cnn/conv%20layer.md#L5'],
    ['a/#?&.md', 1, '../../source/en/a/%23%3F%26.md#L1'],
  ])('links %s line %i relatively from reports/<pair>/ to the English file', (path, line, href) => {
    expect(sourceLineHref(zh, path, line)).toBe(href);
  });

  it('shows a stale unit with the new English, the old human text and the new machine text', () => {
    const stale = html.slice(html.indexOf('data-kind="stale"'));
    const block = stale.slice(0, stale.indexOf('</article>'));
    for (const text of [
      'Recurrent neural networks process sequences. They keep a hidden state.',
      '循环神经网络用于处理序列数据。',
      '循环神经网络处理序列。它们保持隐状态。',
      'English the human text was written for',
    ]) {
      expect(block).toContain(text);
    }
  });

  it('shows a conflict with both texts', () => {
    const c = html.slice(html.indexOf('data-kind="conflict"'));
    const block = c.slice(0, c.indexOf('</article>'));
    expect(block).toContain('梯度可能消失。');
    expect(block).toContain('梯度可能会消失（译者修改）。');
  });

  it('rounds scores for people (the JSON keeps full precision)', () => {
    expect(html).toContain('BLEU 100.00');
    expect(html).not.toContain('100.00000000000004');
  });

  it('says DRY RUN and "would be sent" for a dry run', () => {
    const dry = renderReviewPage(reviewFixture({ dryRun: true }), zh);
    expect(dry).toContain('DRY RUN');
    expect(dry).toContain('characters would be sent');
    expect(html).not.toContain('DRY RUN');
  });

  it('renders a report without documents or review fields (a failed run)', () => {
    const failed = renderReviewPage(
      reviewFixture({ status: 'FAILED', documents: [], error: { name: 'X<Error>', message: 'm & m' } }),
      zh,
    );
    expect(failed).toContain('X&lt;Error&gt;: m &amp; m');
    expect(failed).toContain('No documents in this run.');
  });

  it('is deterministic', () => {
    expect(renderReviewPage(reviewFixture(), zh)).toBe(html);
  });
});
