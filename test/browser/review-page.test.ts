import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReviewPage } from '../../lambdas/core/review/page';
import { REPO_ROOT } from '../../local/run/repo';
import { chromiumMissing, launchChromium } from '../helpers/browser';
import { reviewFixture } from '../helpers/review-fixture';

/** Screenshots and the page under test land here (git-ignored). */
const OUT = join(REPO_ROOT, 'test-output', 'review-page');
const missing = chromiumMissing();

/** The text as rendered on screen (what a reviewer reads), not the DOM's raw text. */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the test asserts
const seen = (l: Locator) => l.innerText();

describe.skipIf(missing !== null)('the review page in headless Chromium', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const file = join(OUT, 'reports', 'en-zh', '20261202T120000Z-abc.html');
  const requests: string[] = [];

  beforeAll(async () => {
    mkdirSync(join(OUT, 'reports', 'en-zh'), { recursive: true });
    writeFileSync(file, renderReviewPage(reviewFixture(), { source: 'en', target: 'zh' }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(viewport: { width: number; height: number }) {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    page.on('request', (r) => requests.push(r.url()));
    const dialogs: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    return { page, dialogs };
  }

  it('shows the counts at the top, the stale unit with both texts, and runs no script', async () => {
    const { page, dialogs } = await open({ width: 1280, height: 900 });
    const count = (k: string) => seen(page.locator(`[data-count="${k}"] b`));
    expect(await count('total')).toBe('8');
    expect(await count('machine')).toBe('5');
    expect(await count('stale')).toBe('1');
    expect(await count('conflict')).toBe('1');
    expect(await count('fuzzy')).toBe('1');

    const stale = page.locator('article[data-kind="stale"]');
    await expect(stale.isVisible()).resolves.toBe(true);
    const staleText = await seen(stale);
    expect(staleText).toContain('循环神经网络用于处理序列数据。'); // the old human text
    expect(staleText).toContain('循环神经网络处理序列。它们保持隐状态。'); // the new machine text
    expect(staleText).toContain('They keep a hidden state.'); // the new English
    expect(staleText).toContain('the English changed since the reference was written');

    const conflict = await seen(page.locator('article[data-kind="conflict"]'));
    expect(conflict).toContain('梯度可能消失。');
    expect(conflict).toContain('梯度可能会消失（译者修改）。');

    // The hostile unit is text on the screen, not a script that ran.
    const hostile = await seen(page.locator('article[data-unit="u4"]'));
    expect(hostile).toContain('A <script>alert("x")</script> unit & more');
    expect(dialogs).toEqual([]);
    expect(await page.locator('script').count()).toBe(0);

    // The chapter with the most to review comes first.
    const sections = await page
      .locator('section.doc')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    expect(sections).toEqual(['chapter_cnn/conv layer.md', 'chapter_rnn/rnn.md', 'chapter_intro/index.md']);

    // The source link resolves from reports/en-zh/ to the book's source/en/ file, at the unit's line.
    const href = await page.locator('article[data-unit="u2"] a').getAttribute('href');
    expect(new URL(href ?? '', pathToFileURL(file)).href).toBe(
      `${pathToFileURL(join(OUT, 'source', 'en', 'chapter_rnn', 'rnn.md')).href}#L7`,
    );

    await page.screenshot({ path: join(OUT, 'desktop.png'), fullPage: true });
    await page.close();
  });

  it('fits a phone screen: no horizontal scrolling, texts stacked in one column', async () => {
    const { page } = await open({ width: 390, height: 844 });
    // Evaluated in the page (DOM types are not in this project's tsconfig, hence the string).
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    const boxes = await page
      .locator('article[data-kind="stale"] .texts.three .text')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
    expect(new Set(boxes).size).toBe(1); // one column: every text starts at the same x
    await page.screenshot({ path: join(OUT, 'phone.png'), fullPage: true });
    await page.close();
  });

  it('requested nothing but the page itself', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((u) => u === pathToFileURL(file).href)).toBe(true);
  });
});
