/**
 * Faults survived / tried (issue 12): every case of test/fixtures/fault-cases.ts (each fault the Translate
 * emulator can inject) through the local runner on a fresh copy of the example book, judged as the case
 * says (recovers / fails-cleanly / partial; a failing or partial case also needs the next run, fault
 * gone, to succeed: nothing lost, nothing blocked). One line per case, then the figure.
 *
 *   npx tsx bench/faults.bench.ts [name filter]
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../local/polyfills';
import { LocalEnvironment } from '../local/run/environment';
import type { ExecutionOutcome } from '../local/run/execution';
import { REPO_ROOT } from '../local/run/repo';
import { FAULT_CASES, type FaultCase } from '../test/fixtures/fault-cases';

// One SDK attempt per call, as in test/workflow/faults.test.ts: the state machine's Retry recovers.
process.env.AWS_MAX_ATTEMPTS = '1';
process.env.AWS_RETRY_MODE = 'standard';

const filter = process.argv[2];
const cases = FAULT_CASES.filter((c) => !filter || c.name.includes(filter));
const pair = { source: 'en', target: 'zh' };
const tmp = mkdtempSync(join(tmpdir(), 'amts-faults-bench-'));
const documents = readdirSync(join(REPO_ROOT, 'examples/source/en'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.md'));

function files(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.md'))
    : [];
}

/** `null` when the case survived, else why not. */
function judge(
  c: FaultCase,
  o: ExecutionOutcome,
  written: string[],
  next: ExecutionOutcome | null,
): string | null {
  const r = o.report;
  if (c.expect === 'recovers') {
    if (o.status !== 'SUCCEEDED' || r?.status !== 'SUCCEEDED') return `run ${o.status}/${r?.status}`;
    if (written.length !== documents.length) return `${written.length} of ${documents.length} written`;
    return null;
  }
  if (c.expect === 'fails-cleanly') {
    if (o.status !== 'FAILED') return `execution ${o.status}, expected FAILED`;
    if (!o.error?.name || o.error.name.startsWith('States.')) return `unnamed error ${o.error?.name}`;
    if (r?.status !== 'FAILED') return `report ${r?.status ?? 'missing'}`;
    if (written.length > 0) return `${written.length} file(s) written by a failed run`;
  } else {
    if (r?.status !== 'PARTIAL') return `report ${r?.status}, expected PARTIAL`;
    const failed = r.documents.filter((d) => d.status === 'failed');
    if (failed.length === 0 || failed.some((d) => !d.error)) return 'failed document not named';
    if (written.length !== documents.length - failed.length) return `${written.length} written`;
  }
  if (next?.status !== 'SUCCEEDED' || next.report?.status !== 'SUCCEEDED') {
    return `the next run (fault gone) ended ${next?.status}/${next?.report?.status}`;
  }
  return null;
}

const env = await LocalEnvironment.start({
  data: join(tmp, 'data'),
  timing: { waitMs: { 'Wait For Earlier Run': 20 } },
});
let survived = 0;
const t0 = performance.now();
try {
  for (const [i, c] of cases.entries()) {
    await env.reset();
    const book = join(tmp, `book-${i}`);
    cpSync(join(REPO_ROOT, 'examples/source'), join(book, 'source'), { recursive: true });
    cpSync(join(REPO_ROOT, 'examples/reference'), join(book, 'reference'), { recursive: true });
    env.translate?.setFaults(c.faults);
    const t = performance.now();
    await env.uploadBook(pair, { book });
    const o = await env.execute(pair, {});
    await env.downloadResults(pair, { book }, { runId: o.runId });
    const written = files(join(book, 'translated/zh'));
    let next: ExecutionOutcome | null = null;
    if (c.expect !== 'recovers') {
      env.translate?.setFaults({});
      await env.uploadBook(pair, { book });
      next = await env.execute(pair, {});
    }
    env.translate?.setFaults({});
    const why = judge(c, o, written, next);
    if (why === null) survived++;
    else {
      console.log(`  states: ${o.states.join(' > ')}`);
      if (next) console.log(`  next run ${next.runId}: ${next.states.join(' > ')}`);
    }
    console.log(
      `${why === null ? 'survived' : 'NOT SURVIVED'}  ${c.name.padEnd(72)} ${o.status}/${o.report?.status ?? '-'}${o.error ? ` ${o.error.name}` : ''}  ${((performance.now() - t) / 1000).toFixed(1)} s${why ? `  — ${why}` : ''}`,
    );
  }
  console.log(
    `\nfaults survived ${survived} / tried ${cases.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
} finally {
  await env.stop();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(survived === cases.length ? 0 : 1);
