/**
 * Benchmark: corpus BLEU (tokenizer `zh`) over 100,000 Chinese sentence pairs — target < 2 s on one
 * core. Pairs are generated deterministically: sentences of the example book's Chinese reference
 * (examples/reference/zh, CC BY-SA 4.0 D2L text) picked with a seeded PRNG, and hypotheses made by
 * perturbing them (substitutions, deletions, swaps, inserted Latin words and numbers).
 *
 * Run: npx tsx bench/score.bench.ts [pairs]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownFiles } from '../cli/files';
import { corpusBleu, corpusChrf } from '../lambdas/core/score';
import { prng } from '../test/helpers/prng';

const PAIRS = Number(process.argv[2] ?? 100_000);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const FALLBACK = [
  '深度学习是机器学习的一个分支，它使用多层神经网络从数据中学习表示。',
  '循环神经网络通过隐状态来保存序列的历史信息。',
  '我们使用随机梯度下降来训练模型，并在验证集上选择超参数。',
  '卷积神经网络在图像分类任务上取得了显著的成功。',
  '预训练的词向量可以用于许多下游自然语言处理任务。',
];

function sentences(): string[] {
  const out: string[] = [];
  for (const file of markdownFiles(join(root, 'examples/reference/zh'))) {
    for (const line of readFileSync(join(root, 'examples/reference/zh', file), 'utf8').split('\n')) {
      if (/^\s*(```|:|\$\$|!\[|#)/.test(line)) continue;
      for (const s of line.split(/(?<=[。！？])/)) {
        const t = s.trim();
        if ((t.match(/[\u4e00-\u9fff]/g) ?? []).length >= 8) out.push(t);
      }
    }
  }
  return out.length >= 20 ? out : FALLBACK;
}

const pool = sentences();
const rand = prng(20261121);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const CHARS = Array.from('的是在了和有我们这个模型数据网络训练学习神经层参数函数');
const WORDS = ['GPU', 'PyTorch', 'RNN', 'LSTM', '2024', '3.5', 'BLEU', 'ReLU'];

function perturb(s: string): string {
  const cs = Array.from(s);
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits && cs.length > 2; e++) {
    const i = Math.floor(rand() * cs.length);
    const op = rand();
    if (op < 0.35) cs[i] = pick(CHARS);
    else if (op < 0.6) cs.splice(i, 1);
    else if (op < 0.8) {
      const j = Math.min(cs.length - 1, i + 1);
      [cs[i], cs[j]] = [cs[j] as string, cs[i] as string];
    } else cs.splice(i, 0, ` ${pick(WORDS)} `);
  }
  return cs.join('');
}

const refs: string[] = [];
const hyps: string[] = [];
for (let i = 0; i < PAIRS; i++) {
  const ref = pick(pool);
  refs.push(ref);
  hyps.push(perturb(ref));
}
const chars = refs.reduce((n, s) => n + s.length, 0) + hyps.reduce((n, s) => n + s.length, 0);

/** Wall time and CPU time (user + system, this process) of `f`, in ms. CPU time is what a busy machine does not inflate. */
function timed<T>(f: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

global.gc?.();
const before = process.memoryUsage();
const bleuRun = timed(() => corpusBleu(hyps, [refs], { tokenize: 'zh' }));
const after = process.memoryUsage();
const chrfRun = timed(() => corpusChrf(hyps, [refs]));
const bleu = bleuRun.value;
const chrf = chrfRun.value;

const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
console.log(
  `score.bench: ${PAIRS.toLocaleString('en-US')} zh pairs from ${pool.length} source sentences, ${chars.toLocaleString('en-US')} characters`,
);
console.log(
  `  corpus BLEU (tok zh): ${bleuRun.wallMs.toFixed(0)} ms wall, ${bleuRun.cpuMs.toFixed(0)} ms CPU  (target < 2000 ms)  score ${bleu.score.toFixed(2)}  ${bleu.signature}`,
);
console.log(
  `  corpus chrF2        : ${chrfRun.wallMs.toFixed(0)} ms wall, ${chrfRun.cpuMs.toFixed(0)} ms CPU  score ${chrf.score.toFixed(2)}`,
);
console.log(
  `  memory: rss ${mb(after.rss)}, heap used ${mb(before.heapUsed)} → ${mb(after.heapUsed)} during BLEU`,
);
if (bleuRun.cpuMs >= 2000) console.log('  WARNING: corpus BLEU above the 2 s target (CPU time)');
