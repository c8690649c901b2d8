/**
 * Hostile chapters (issue 12): every class of test/fixtures/hostile-chapters.ts (including the slow
 * ones the end-to-end test leaves out) in one book beside the example chapters, through the local
 * runner. Prints one line per class (status, reason) and the count tried / handled: handled = the run
 * went on, the class ended as expected, and a failure names its file.
 *
 *   npx tsx bench/hostile.bench.ts            HOSTILE_BENCH_DEEP=1 adds 5,000 nested `>` (slow today)
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import '../local/polyfills';
import { LocalEnvironment } from '../local/run/environment';
import { REPO_ROOT } from '../local/run/repo';
import { HOSTILE_CHAPTERS, type HostileChapter } from '../test/fixtures/hostile-chapters';

const classes: HostileChapter[] = [...HOSTILE_CHAPTERS];
if (process.env.HOSTILE_BENCH_DEEP) {
  classes.push({
    name: '5,000 nested blockquotes',
    path: 'h/deep-quote-5000.md',
    source: `${'>'.repeat(5000)} deep\n`,
    expect: 'named',
  });
}
const tmp = mkdtempSync(join(tmpdir(), 'amts-hostile-bench-'));
const book = join(tmp, 'book');
cpSync(join(REPO_ROOT, 'examples/source'), join(book, 'source'), { recursive: true });
cpSync(join(REPO_ROOT, 'examples/reference'), join(book, 'reference'), { recursive: true });
const put = (path: string, body: string | Uint8Array) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
};
for (const c of classes) {
  put(join(book, 'source/en', c.path), c.source);
  if (c.translated !== undefined) put(join(book, 'translated/zh', c.path), c.translated);
  if (c.reference !== undefined) put(join(book, 'reference/zh', c.path), c.reference);
}
const pair = { source: 'en', target: 'zh' };
const env = await LocalEnvironment.start({ data: join(tmp, 'data') });
try {
  const t = performance.now();
  await env.uploadBook(pair, { book });
  const o = await env.execute(pair, {});
  const ms = performance.now() - t;
  const docs = new Map(o.report?.documents.map((d) => [d.path, d]));
  let handled = 0;
  for (const c of classes) {
    const d = docs.get(c.path);
    const failed = d?.status === 'failed';
    const ok =
      d !== undefined &&
      (c.expect === 'ok'
        ? !failed
        : c.expect === 'named'
          ? !failed || (d.error ?? '').includes(c.path)
          : failed && c.expect.test(d.error ?? '') && (d.error ?? '').includes(c.path));
    if (ok) handled++;
    console.log(
      `${ok ? 'handled' : 'NOT HANDLED'}  ${c.name.padEnd(44)} ${d?.status ?? 'missing'}${d?.error ? `  ${d.error.slice(0, 110)}` : ''}`,
    );
  }
  console.log(
    `\nexecution ${o.status}, report ${o.report?.status}, ${(ms / 1000).toFixed(1)} s: hostile classes tried ${classes.length}, handled ${handled}`,
  );
} finally {
  await env.stop();
  rmSync(tmp, { recursive: true, force: true });
}
