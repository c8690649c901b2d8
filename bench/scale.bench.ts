/**
 * Scale (issue 17): synthetic books of 200, 1,000 and 5,000 documents made from the D2L corpus copy
 * (test/fixtures/corpus/d2l, 10 English sections and their Chinese translation), each run through
 * `amts run --local` three times: first sync (fresh data folder), no change, one-paragraph edit.
 * Per run: wall time, peak RSS (`/usr/bin/time -v` of the whole runner process: S3 server, emulator and
 * handlers are in it) and the longest single Task invocation (the runner's `✓ <State> (<n> ms)` lines).
 *
 *   npm run bench -- scale                          (all sizes)
 *   npx tsx bench/scale.bench.ts --sizes 200,1000   (some sizes, or SCALE_SIZES=200; --keep keeps the books)
 *
 * Documents are not identical: document i is section i mod 10 with its headings numbered `(i)` and a
 * paragraph of its own; 9 in 10 have a reference (the same changes in Chinese).
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const corpus = join(root, 'test/fixtures/corpus/d2l');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((f) =>
      statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : f.endsWith('.md') ? [join(dir, f)] : [],
    )
    .sort();
}

/** The corpus sections that have both an English and a Chinese file, as [relative path, en, zh]. */
function sections(): [string, string, string][] {
  return walk(join(corpus, 'en')).flatMap((f) => {
    const rel = relative(join(corpus, 'en'), f);
    const zh = join(corpus, 'zh', rel);
    return existsSync(zh)
      ? [[rel, readFileSync(f, 'utf8'), readFileSync(zh, 'utf8')] as [string, string, string]]
      : [];
  });
}

/** Document i: headings numbered, one paragraph of its own after the first heading. */
function vary(md: string, i: number, own: string): string {
  let first = true;
  return md.replace(/^(#{1,6} .*?)\s*$/gm, (_m, heading: string) => {
    const line = `${heading} (${i})`;
    if (!first) return line;
    first = false;
    return `${line}\n\n${own}\n`;
  });
}

function makeBook(dir: string, size: number): { editPath: string } {
  const secs = sections();
  for (let i = 0; i < size; i++) {
    const [rel, en, zh] = secs[i % secs.length] as [string, string, string];
    const path = join(`part-${Math.floor(i / 100)}`, rel.replace(/\.md$/, `-${i}.md`));
    const enOwn = `This copy number ${i} of the section exists to make a large synthetic book for the scale benchmark.`;
    const zhOwn = `这是第 ${i} 份副本，用于规模基准测试的大型合成书。`;
    const src = join(dir, 'source/en', path);
    mkdirSync(dirname(src), { recursive: true });
    writeFileSync(src, vary(en, i, enOwn));
    if (i % 10 !== 9) {
      const ref = join(dir, 'reference/zh', path);
      mkdirSync(dirname(ref), { recursive: true });
      writeFileSync(ref, vary(zh, i, zhOwn));
    }
  }
  return {
    editPath: join(dir, 'source/en', 'part-0', (secs[0]?.[0] ?? '').replace(/\.md$/, '-0.md')),
  };
}

/** One paragraph edited: a word added to the synthetic paragraph of the document. */
function editOneParagraph(file: string): void {
  const md = readFileSync(file, 'utf8');
  const edited = md.replace('exists to make a large', 'exists to make a really large');
  if (edited === md) throw new Error(`${file}: nothing to edit`);
  writeFileSync(file, edited);
}

interface RunFigures {
  /** Documents Plan read and planned (its "planning from the listing" log line), when it logged one. */
  planRead: number | null;
  wallS: number;
  rssMb: number;
  longest: { state: string; ms: number };
  exit: number;
}

function run(book: string, fresh: boolean): RunFigures {
  const cmd = [
    process.execPath,
    '--import',
    'tsx',
    join(root, 'cli/amts.ts'),
    'run',
    '--local',
    '--pair',
    'en-zh',
    '--book',
    book,
    ...(fresh ? ['--fresh'] : []),
  ];
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', ...cmd], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'INFO' }, // Plan's "planning from the listing" line
  });
  const wallS = (performance.now() - t) / 1000;
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '')?.[1] ?? Number.NaN);
  let longest = { state: '-', ms: 0 };
  for (const m of (r.stdout ?? '').matchAll(/^✓ (.+?) \((\d+) ms\)/gm)) {
    const ms = Number(m[2]);
    if (ms > longest.ms && !/^Wait/.test(m[1] as string)) longest = { state: m[1] as string, ms };
  }
  const logged = /"message":"planning from the listing".*?"read":(\d+)/.exec(`${r.stdout}${r.stderr}`);
  const planRead = logged ? Number(logged[1]) : null;
  if (r.status !== 0) {
    process.stderr.write(`${(r.stdout ?? '').split('\n').slice(-30).join('\n')}\n${r.stderr ?? ''}\n`);
  }
  return { planRead, wallS, rssMb: kb / 1024, longest, exit: r.status ?? -1 };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (!existsSync('/usr/bin/time')) {
  console.error('scale bench: needs /usr/bin/time (Debian: apt-get install time) for the peak RSS');
  process.exit(2);
}
const sizes = (arg('--sizes') ?? process.env.SCALE_SIZES ?? '200,1000,5000').split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error(`--sizes ${arg('--sizes')}: expected sizes like 200,1000`);
  process.exit(2);
}
const keep = process.argv.includes('--keep');
const rows: string[] = [
  '| documents | run | wall | peak RSS | longest Task | Plan read | exit |',
  '|---:|---|---:|---:|---|---:|---:|',
];
let failed = false;
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), `amts-scale-${size}-`));
  const { editPath } = makeBook(dir, size);
  // The first run with no change re-plans the documents the first run wrote, once, and records them up
  // to date; from then on a run with no change reads no document body.
  for (const [name, prepare, fresh] of [
    ['first', () => undefined, true],
    ['no change', () => undefined, false],
    ['no change, again', () => undefined, false],
    ['one-paragraph edit', () => editOneParagraph(editPath), false],
  ] as const) {
    prepare();
    const f = run(dir, fresh);
    failed ||= f.exit !== 0;
    const row = `| ${size} | ${name} | ${f.wallS.toFixed(1)} s | ${Math.round(f.rssMb)} MB | ${f.longest.state} ${(f.longest.ms / 1000).toFixed(1)} s | ${f.planRead ?? '?'} | ${f.exit} |`;
    rows.push(row);
    console.log(row);
  }
  if (keep) console.log(`book kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
console.log(`\n${rows.join('\n')}`);
process.exit(failed ? 1 : 0);
