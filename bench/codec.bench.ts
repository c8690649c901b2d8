/**
 * Codec scaling (issue 12): html + merge of the corpus repeated to 1, 2 and 4 MB; the codec is linear
 * when 4 MB costs at most 2 × (4 × the 1 MB time). Wall and CPU time (CPU time is steadier on a busy
 * machine) and the process's RSS after each size (the peak RSS at the end is the 4 MB one).
 *
 * Codec throughput (issue 2): the shared-corpus copy in test/fixtures/corpus repeated to ≥ 5 MB;
 * html + merge must cost at most 3× a bare mdast-util-from-markdown parse of the same text.
 * Median of 3 rounds, measured in one run, one process. `CODEC_BENCH_MB=0` skips this part.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';
import { markdownFiles } from '../cli/files';
import { mergeTranslation, toTranslateHtml } from '../lambdas/core/markdown';
import { textForParser } from '../lambdas/core/markdown/text';

const corpusDir = join(import.meta.dirname, '../test/fixtures/corpus/d2l');
const texts = markdownFiles(corpusDir).map((f) => readFileSync(join(corpusDir, f), 'utf8'));
const repeated = (bytes: number) => {
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `${texts[i % texts.length]}\n\n`;
  return text;
};

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const rssMb = () => (process.memoryUsage().rss / 1024 / 1024).toFixed(0);

console.log('codec scaling: html + merge of one document of 1, 2 and 4 MB');
toTranslateHtml(repeated(256 * 1024)); // warm the JIT so 1 MB is not charged for it
const scaling = new Map<number, { wall: number; cpu: number }>();
for (const size of [1, 2, 4]) {
  const text = repeated(size * 1024 * 1024);
  const cpu0 = process.cpuUsage();
  let roundTrip = '';
  const wall = time(() => {
    roundTrip = mergeTranslation(text, toTranslateHtml(text));
  });
  const cpu = process.cpuUsage(cpu0);
  if (roundTrip !== text) throw new Error(`${size} MB: round trip is not byte-identical`);
  scaling.set(size, { wall, cpu: (cpu.user + cpu.system) / 1000 });
  console.log(
    `  ${size} MB: ${wall.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, RSS ${rssMb()} MB`,
  );
}
const one = scaling.get(1) as { wall: number; cpu: number };
const four = scaling.get(4) as { wall: number; cpu: number };
for (const clock of ['wall', 'cpu'] as const) {
  const ratio = four[clock] / (4 * one[clock]);
  console.log(
    `  ${clock}: 4 MB / (4 × 1 MB) = ${ratio.toFixed(2)} (target ≤ 2.00) ${ratio <= 2 ? 'OK' : 'OVER'}`,
  );
}
console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

const target = Number(process.env.CODEC_BENCH_MB ?? 5) * 1024 * 1024;
if (target === 0) process.exit(0);
const big = repeated(target);
const mb = (Buffer.byteLength(big) / 1024 / 1024).toFixed(2);

console.log(`codec bench: ${mb} MB (${big.length} UTF-16 units) from ${texts.length} corpus files`);
const fixed = textForParser(big);
const mdast = (text: string) =>
  fromMarkdown(text, {
    extensions: [gfm(), math()],
    mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()],
  });
const parse: number[] = [];
const parseFixed: number[] = [];
const html: number[] = [];
const merge: number[] = [];
let out = '';
for (let round = 0; round < 3; round++) {
  parse.push(time(() => mdast(big)));
  parseFixed.push(time(() => mdast(fixed)));
  let doc = '';
  html.push(time(() => (doc = toTranslateHtml(big))));
  merge.push(time(() => (out = mergeTranslation(big, doc))));
  console.log(
    `  round ${round + 1}: parse ${parse[round]?.toFixed(0)} ms, parse (math fixed) ${parseFixed[round]?.toFixed(0)} ms, html ${html[round]?.toFixed(0)} ms, merge ${merge[round]?.toFixed(0)} ms`,
  );
}
if (out !== big) throw new Error('round trip is not byte-identical');
const p = median(parse);
const codec = median(html) + median(merge);
const ratio = codec / p;
console.log(
  `bare parse ${p.toFixed(0)} ms; html ${median(html).toFixed(0)} ms + merge ${median(merge).toFixed(0)} ms = ${codec.toFixed(0)} ms`,
);
console.log(
  `ratio (html + merge) / parse = ${ratio.toFixed(2)} (target ≤ 3.00) ${ratio <= 3 ? 'OK' : 'OVER'}`,
);
// The raw d2lbook text mis-parses for a bare CommonMark-math parser: `$$\begin{aligned}` … `\end{aligned}$$`
// opens a math block that swallows everything up to the next lone `$$`, so the bare parse does less
// work than a correct one. The same parse of the text with that math blanked (what the codec parses):
const pf = median(parseFixed);
console.log(
  `bare parse of the math-fixed text ${pf.toFixed(0)} ms; ratio (html + merge) / that = ${(codec / pf).toFixed(2)}`,
);
console.log(
  `throughput: ${(Buffer.byteLength(big) / 1024 / 1024 / (codec / 1000)).toFixed(2)} MB/s for html + merge; peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`,
);

// The pipeline works one chapter at a time: the same ≥ 5 MB, as the corpus documents one by one
// (repeated), so no unclosed math block of one file can swallow the next one.
const docs: string[] = [];
for (let size = 0, i = 0; size < target; i++) {
  const t = texts[i % texts.length] as string;
  docs.push(t);
  size += t.length;
}
const perDoc = { parse: [] as number[], parseFixed: [] as number[], codec: [] as number[] };
for (let round = 0; round < 3; round++) {
  perDoc.parse.push(
    time(() => {
      for (const d of docs) mdast(d);
    }),
  );
  perDoc.parseFixed.push(
    time(() => {
      for (const d of docs) mdast(textForParser(d));
    }),
  );
  perDoc.codec.push(
    time(() =>
      docs.forEach((d) => {
        if (mergeTranslation(d, toTranslateHtml(d)) !== d)
          throw new Error('round trip is not byte-identical');
      }),
    ),
  );
}
const dp = median(perDoc.parse);
const dc = median(perDoc.codec);
console.log(
  `per document (${docs.length} documents): bare parse ${dp.toFixed(0)} ms, math-fixed parse ${median(perDoc.parseFixed).toFixed(0)} ms, html + merge ${dc.toFixed(0)} ms`,
);
console.log(
  `ratio (html + merge) / parse = ${(dc / dp).toFixed(2)} (target ≤ 3.00) ${dc / dp <= 3 ? 'OK' : 'OVER'}; vs math-fixed parse ${(dc / median(perDoc.parseFixed)).toFixed(2)}`,
);
