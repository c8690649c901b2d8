/**
 * Lambda bundles (issue 5): for every workflow handler, the esbuild bundle exactly as the CDK app
 * builds it (minified, CJS, target node22, AWS SDK v3 external: the runtime provides it), its size
 * (target < 300 KB) and biggest contributors, and the cold-start module init time measured locally:
 * a fresh `node` process `require`s the bundle — median of 7 processes, once including the AWS SDK
 * client modules it loads (resolved from node_modules, as the runtime provides them) and once with
 * them preloaded (the bundle's own init). Local Node is not Lambda's (Node 22 on Graviton): compare
 * the numbers with each other, not with a Lambda Init Duration.
 *
 *   npx tsx bench/lambda.bench.ts           (BENCH_RUNS=7 by default)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { WORKFLOW_TASKS } from '../infra/workflow-placeholders';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'bench', 'out', 'lambda');
const runs = Number(process.env.BENCH_RUNS ?? 7);
const LIMIT_KB = 300;

function pkgOf(path: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return m?.[1] ?? path.replace(/\/[^/]+$/, '/');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

const env = {
  ...process.env,
  AMTS_BUCKET: 'bench',
  AWS_REGION: 'us-east-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

const rows: string[][] = [];
let over = 0;
for (const task of WORKFLOW_TASKS) {
  const outfile = join(outDir, task.dir, 'index.js');
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(root, 'lambdas', task.dir, 'handler.ts')],
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  const output =
    result.metafile.outputs[Object.keys(result.metafile.outputs).find((k) => k.endsWith('.js')) ?? ''];
  const bytes = output?.bytes ?? 0;
  const byPkg = new Map<string, number>();
  for (const [path, info] of Object.entries(output?.inputs ?? {})) {
    byPkg.set(pkgOf(path), (byPkg.get(pkgOf(path)) ?? 0) + info.bytesInOutput);
  }
  const top = [...byPkg.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([p, b]) => `${p} ${(b / 1024).toFixed(0)}`)
    .join(', ');
  writeFileSync(join(outDir, task.dir, 'meta.json'), JSON.stringify(result.metafile));
  // The repository is "type": "module"; a Lambda asset folder has no package.json, so .js is CommonJS.
  writeFileSync(join(outDir, task.dir, 'package.json'), '{ "type": "commonjs" }\n');
  // `preload`: the AWS SDK clients are required first, so the time is the bundle's own init.
  const measure = (preload: boolean) => {
    const times: number[] = [];
    const sdk = ['@aws-sdk/client-s3', '@aws-sdk/client-translate', '@aws-sdk/client-sns'];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(
        process.execPath,
        [
          '-e',
          `${preload ? sdk.map((m) => `require(${JSON.stringify(m)});`).join('') : ''}` +
            `const t=process.hrtime.bigint();const m=require(${JSON.stringify(outfile)});` +
            'const ms=Number(process.hrtime.bigint()-t)/1e6;' +
            "if(typeof m.handler!=='function')throw new Error('no handler export');" +
            'process.stdout.write(String(ms))',
        ],
        { env, encoding: 'utf8', cwd: root },
      );
      if (r.status !== 0) throw new Error(`${task.dir}: the bundle failed to load:\n${r.stderr}`);
      times.push(Number(r.stdout));
    }
    return times;
  };
  const times = measure(false);
  const own = measure(true);
  const kb = bytes / 1024;
  if (kb >= LIMIT_KB) over++;
  rows.push([
    task.dir,
    kb.toFixed(1),
    kb < LIMIT_KB ? 'ok' : 'OVER',
    median(times).toFixed(1),
    median(own).toFixed(1),
    top,
  ]);
}

const header = [
  'function',
  'KB (min)',
  `< ${LIMIT_KB} KB`,
  'init ms, with SDK (median)',
  'init ms, bundle only (median)',
  'largest parts (KB)',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
console.log(
  `Node ${process.version} on ${process.arch}; ${runs} cold processes per function; bundles in bench/out/lambda/`,
);
console.log(line(header));
console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
for (const r of rows) console.log(line(r));
console.log(`${over} of ${rows.length} bundles at or over ${LIMIT_KB} KB`);
