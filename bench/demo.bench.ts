/**
 * The local runner (issue 6): `amts demo` wall time and memory peak as a newcomer runs it (target
 * < 20 s), and, in one process, the three typical runs on the example book: first sync, no change,
 * one-paragraph edit (one sentence changed: sentence-level sync, the default), the same edit again with
 * `"sentenceLevel": false` (wall time, state transitions, characters sent).
 *
 *   npx tsx bench/demo.bench.ts            (DEMO_BENCH_ROUNDS=3 by default)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../local/polyfills';
import { LocalEnvironment } from '../local/run/environment';
import { REPO_ROOT } from '../local/run/repo';

const rounds = Number(process.env.DEMO_BENCH_ROUNDS ?? 3);
const tmp = mkdtempSync(join(tmpdir(), 'amts-demo-bench-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

// 1. The demo as a separate process, exactly the command `npm run demo` runs.
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const walls: number[] = [];
const rss: number[] = [];
for (let i = 0; i < rounds; i++) {
  const out = join(tmp, `demo-${i}`);
  const cmd = [process.execPath, '--import', 'tsx', join(REPO_ROOT, 'cli/amts.ts'), 'demo', '--out', out];
  const t = performance.now();
  const r = timeBin
    ? spawnSync(timeBin, ['-v', ...cmd], { cwd: REPO_ROOT, encoding: 'utf8' })
    : spawnSync(cmd[0] as string, cmd.slice(1), { cwd: REPO_ROOT, encoding: 'utf8' });
  walls.push(performance.now() - t);
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error(`amts demo exited ${r.status}`);
  }
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '')?.[1];
  if (kb) rss.push(Number(kb) / 1024);
}
console.log(
  `amts demo (separate process, ${rounds} rounds): wall median ${(median(walls) / 1000).toFixed(2)} s ` +
    `[${walls.map((w) => (w / 1000).toFixed(2)).join(', ')}]` +
    (rss.length ? `, max RSS median ${median(rss).toFixed(0)} MB` : ', max RSS: /usr/bin/time not available'),
);

// 2. In one process: first sync, no change, one-paragraph edit.
const book = join(tmp, 'book');
cpSync(join(REPO_ROOT, 'examples/source'), join(book, 'source'), { recursive: true });
cpSync(join(REPO_ROOT, 'examples/reference'), join(book, 'reference'), { recursive: true });
const pair = { source: 'en', target: 'zh' };
const env = await LocalEnvironment.start({ data: join(tmp, 'data') });
const run = async (label: string, input: Record<string, unknown> = {}) => {
  const t = performance.now();
  await env.uploadBook(pair, { book });
  const o = await env.execute(pair, input);
  await env.downloadResults(pair, { book });
  const ms = performance.now() - t;
  console.log(
    `${label.padEnd(22)} ${ms.toFixed(0).padStart(6)} ms  ${String(o.states.length).padStart(3)} transitions  ` +
      `status ${o.report?.status}  job ${o.report?.job?.status ?? 'none'}  sent ${o.report?.charactersSent} chars`,
  );
};
await run('first sync (cold)');
await run('no change');
const rcnn = join(book, 'source/en/chapter_computer-vision/rcnn.md');
writeFileSync(rcnn, readFileSync(rcnn, 'utf8').replace('these models.', 'these four models.'));
await run('one-paragraph edit');
// The same kind of edit (one sentence of a 580-character paragraph) with sentence-level sync turned off.
writeFileSync(rcnn, readFileSync(rcnn, 'utf8').replace('these four models.', 'these four detection models.'));
await run('same, whole units', { sentenceLevel: false });
await env.stop();
rmSync(tmp, { recursive: true, force: true });
