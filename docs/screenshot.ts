/**
 * Screenshots of a review page in headless Chromium, for the README:
 *
 *     npm run demo && npx tsx docs/screenshot.ts demo-output/reports/en-zh/<runId>.html docs/
 *
 * writes `review-page.png` (desktop, the top of the page) and `review-page-phone.png` (390 px wide).
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumMissing, launchChromium } from '../test/helpers/browser';

const [page, outDir] = process.argv.slice(2);
if (!page || !outDir) {
  process.stderr.write('usage: npx tsx docs/screenshot.ts PAGE.html OUT_DIR\n');
  process.exit(2);
}
const missing = chromiumMissing();
if (missing) {
  process.stderr.write(`${missing}\n`);
  process.exit(1);
}
const browser = await launchChromium();
try {
  for (const [name, viewport] of [
    ['review-page.png', { width: 1100, height: 1400 }],
    ['review-page-phone.png', { width: 390, height: 844 }],
  ] as const) {
    const tab = await browser.context.newPage();
    await tab.setViewportSize(viewport);
    await tab.goto(pathToFileURL(resolve(page)).href);
    await tab.screenshot({ path: join(outDir, name) });
    await tab.close();
  }
} finally {
  await browser.close();
}
