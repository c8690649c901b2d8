/**
 * Alignment benchmark: quality on the hand-checked gold (paragraph and sentence P/R/F1, sentence
 * splitter vs Intl.Segmenter), quality on perturbed translations, the en-zh length model estimated
 * from the gold, and speed (whole corpus paired at sentence level vs the codec's own extraction).
 *
 *   npx tsx bench/align.bench.ts
 *
 * The speed part reads the shared D2L corpus at $AMTS_CORPUS (default /work/shared/corpus/d2l) when
 * it exists, else the corpus copy under test/fixtures/corpus/d2l.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { toParallelDataCsv } from '../lambdas/core/align/csv';
import { addScores, type Scores } from '../lambdas/core/align/evaluate';
import { textLength } from '../lambdas/core/align/features';
import { pairDocuments, pairSegments } from '../lambdas/core/align/pair';
import { extractSegments } from '../lambdas/core/markdown';
import {
  CORPUS,
  HELD_OUT_GOLD,
  intlSplit,
  loadGold,
  paragraphScores,
  SENTENCE_GOLD,
  sentenceScores,
  splitSentences,
  splitterScores,
  TUNING_GOLD,
} from '../test/core/align/gold';
import { type PerturbationKind, perturb, perturbedScores } from '../test/core/align/perturb';

const fmt = (s: Scores) =>
  `P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}  (correct ${s.correct}, predicted ${s.predicted}, gold ${s.gold})`;

function quality(): void {
  for (const [label, set] of [
    ['TUNING gold (costs and thresholds chosen here)', TUNING_GOLD],
    [
      'HELD-OUT gold (never tuned on; issue 15 targets: paragraph P ≥ 0.99, F1 ≥ 0.98; sentence P ≥ 0.98, F1 ≥ 0.97)',
      HELD_OUT_GOLD,
    ],
  ] as const) {
    console.log(`== ${label}`);
    console.log('  paragraph alignment (pairs = groups with units on both sides)');
    const all: Scores[] = [];
    const translated: Scores[] = [];
    for (const name of set) {
      const s = paragraphScores(loadGold(name));
      all.push(s.all);
      translated.push(s.translated);
      console.log(`    ${name.padEnd(28)} ${fmt(s.all)}`);
    }
    console.log(`    ${'ALL'.padEnd(28)} ${fmt(addScores(all))}`);
    console.log(`    ${'ALL, translated pairs only'.padEnd(28)} ${fmt(addScores(translated))}`);
    console.log('  sentence pairs (exact texts; paragraph fallbacks count as predicted pairs)');
    const sentences: Scores[] = [];
    for (const name of set) {
      if (!(SENTENCE_GOLD as readonly string[]).includes(name)) continue;
      const doc = loadGold(name);
      const s = sentenceScores(doc);
      sentences.push(s);
      const { counts } = pairSegments(doc.source, doc.target, {
        from: doc.paragraphs.source,
        to: doc.paragraphs.target,
        sourceMarkdown: doc.sourceMarkdown,
        targetMarkdown: doc.targetMarkdown,
      });
      console.log(
        `    ${name.padEnd(28)} ${fmt(s)}  fallbacks ${counts.paragraphFallbacks}, untrusted units ${counts.untrustedUnits}, crossed ${counts.crossedSentencePairs}`,
      );
    }
    console.log(`    ${'ALL'.padEnd(28)} ${fmt(addScores(sentences))}`);
  }

  console.log('== sentence boundaries vs gold sentences (per unit)');
  for (const [label, split] of [
    ['splitSentences', splitSentences],
    ['Intl.Segmenter', intlSplit],
  ] as const) {
    const s = addScores(SENTENCE_GOLD.map((name) => splitterScores(loadGold(name), split)));
    console.log(`  ${label.padEnd(28)} ${fmt(s)}`);
  }
  const probe = 'We use a model, e.g. the one in Sec. 3.2 by Smith et al. (2020), i.e. a CNN. It works.';
  console.log(`  Intl.Segmenter on "${probe}":\n    ${JSON.stringify(intlSplit(probe, 'en'))}`);
  console.log(`  splitSentences:\n    ${JSON.stringify(splitSentences(probe, 'en'))}`);
}

function perturbed(): void {
  console.log('== paragraph alignment on perturbed translations (gold derived; all gold docs × 5 seeds)');
  const kinds: (PerturbationKind | 'mixed')[] = [
    'swap',
    'merge',
    'split',
    'delete',
    'add',
    'paddle',
    'heading',
    'mixed',
  ];
  const total: Scores[] = [];
  for (const kind of kinds) {
    const scores: Scores[] = [];
    let applied = 0;
    for (const name of [...TUNING_GOLD, ...HELD_OUT_GOLD]) {
      const doc = loadGold(name);
      for (let seed = 1; seed <= 5; seed++) {
        const p = perturb(doc, {
          seed: seed * 7919 + name.length,
          count: kind === 'mixed' ? 6 : 2,
          kinds: kind === 'mixed' ? undefined : [kind],
        });
        applied += p.applied.length;
        const s = perturbedScores(doc, p);
        if (s) scores.push(s);
      }
    }
    total.push(...scores);
    console.log(`  ${kind.padEnd(8)} ${String(applied).padStart(3)} edits  ${fmt(addScores(scores))}`);
  }
  console.log(`  ${'ALL'.padEnd(8)}             ${fmt(addScores(total))}`);
}

function lengthModelEstimate(): void {
  console.log(
    '== en-zh length model from the gold (translated 1-1 paragraph/list/caption pairs, headings excluded)',
  );
  const rows: { en: string; zh: string }[] = [];
  for (const name of TUNING_GOLD) {
    const doc = loadGold(name);
    for (const g of doc.paragraphs.groups) {
      if (g.source.length !== 1 || g.target.length !== 1) continue;
      const s = doc.sourceRef.get(g.source[0] as string);
      const t = doc.targetRef.get(g.target[0] as string);
      if (!s || !t || s.text === t.text || s.kind === 'heading' || s.kind === 'table-cell') continue;
      rows.push({ en: s.text, zh: t.text });
    }
  }
  // c depends on itself through the weight of Latin letters in Chinese text: iterate to a fixed point.
  let c = 0.3;
  for (let k = 0; k < 10; k++) {
    c = rows.reduce((a, r) => a + textLength(r.zh, c), 0) / rows.reduce((a, r) => a + textLength(r.en), 0);
  }
  const ratios = rows.map((r) => textLength(r.zh, c) / Math.max(1, textLength(r.en)));
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  const sd = Math.sqrt(ratios.reduce((a, b) => a + (b - mean) ** 2, 0) / ratios.length);
  const s2 = rows
    .map((r) => {
      const ls = textLength(r.en);
      const lt = textLength(r.zh, c);
      return (lt - c * ls) ** 2 / Math.max(1, (ls + lt / c) / 2);
    })
    .sort((a, b) => a - b);
  const at = (q: number) => (s2[Math.min(s2.length - 1, Math.floor(q * s2.length))] as number).toFixed(3);
  console.log(
    `  pairs ${rows.length}; c (ratio of sums) ${c.toFixed(3)}; per-pair ratio mean ${mean.toFixed(3)} sd ${sd.toFixed(3)}`,
  );
  console.log(
    `  s2 = (lt − c·ls)² / mean length: mean ${(s2.reduce((a, b) => a + b, 0) / s2.length).toFixed(3)}, median ${at(0.5)}, p90 ${at(0.9)}`,
  );
}

function corpusFiles(): { root: string; pairs: { path: string; en: string; zh: string }[] } {
  const shared = process.env.AMTS_CORPUS ?? '/work/shared/corpus/d2l';
  const root = existsSync(join(shared, 'en')) ? shared : CORPUS;
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.md')) files.push(relative(join(root, 'en'), join(dir, e.name)));
    }
  };
  walk(join(root, 'en'));
  const pairs = files
    .filter((f) => existsSync(join(root, 'zh', f)))
    .sort()
    .map((path) => ({
      path,
      en: readFileSync(join(root, 'en', path), 'utf8'),
      zh: readFileSync(join(root, 'zh', path), 'utf8'),
    }));
  return { root, pairs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function speed(): void {
  const { root, pairs } = corpusFiles();
  const bytes = pairs.reduce((a, p) => a + Buffer.byteLength(p.en) + Buffer.byteLength(p.zh), 0);
  console.log(`== speed: ${pairs.length} en/zh documents (${(bytes / 1024).toFixed(0)} KiB) from ${root}`);
  const rounds = 7;
  const extract: number[] = [];
  const pairTimes: number[] = [];
  const alignOnly: number[] = [];
  let pairCount = 0;
  for (let r = 0; r < rounds + 1; r++) {
    let t = performance.now();
    const segments = pairs.map((p) => [extractSegments(p.en), extractSegments(p.zh)] as const);
    const e = performance.now() - t;
    t = performance.now();
    const all: { source: string; target: string }[] = [];
    for (const p of pairs)
      all.push(...pairDocuments(p.en, p.zh, { from: 'en', to: 'zh', level: 'sentence' }).pairs);
    toParallelDataCsv(all, { source: 'en', target: 'zh' });
    const full = performance.now() - t;
    t = performance.now();
    pairs.forEach((p, k) => {
      const [s, z] = segments[k] as (typeof segments)[number];
      pairSegments(s, z, {
        from: 'en',
        to: 'zh',
        level: 'sentence',
        sourceMarkdown: p.en,
        targetMarkdown: p.zh,
      });
    });
    const align = performance.now() - t;
    pairCount = all.length;
    if (r === 0) continue; // warm-up
    extract.push(e);
    pairTimes.push(full);
    alignOnly.push(align);
  }
  const e = median(extract);
  const f = median(pairTimes);
  const a = median(alignOnly);
  console.log(
    `  codec extraction (both sides, all docs):            ${e.toFixed(1)} ms (median of ${rounds})`,
  );
  console.log(
    `  pairDocuments at sentence level + CSV (incl. extraction): ${f.toFixed(1)} ms → ${(f / e).toFixed(2)}× extraction (target < 2×)`,
  );
  console.log(
    `  of which alignment alone (pairSegments):            ${a.toFixed(1)} ms → ${(a / e).toFixed(2)}× extraction`,
  );
  console.log(`  ${pairCount} sentence/paragraph pairs`);
  perChapter(root, pairs);
}

/**
 * Alignment time per chapter now against bench/align-baseline.json (measured before issue 15 with the
 * same method on the same machine): issue 15 asks for at most 2× per chapter.
 */
function perChapter(root: string, pairs: { path: string; en: string; zh: string }[]): void {
  const baseline = JSON.parse(readFileSync(join(import.meta.dirname, 'align-baseline.json'), 'utf8')) as {
    commit: string;
    milliseconds: Record<string, number>;
  };
  console.log(
    `== alignment time per chapter (pairSegments, sentence level; median of 9) vs ${baseline.commit}`,
  );
  let now = 0;
  let before = 0;
  for (const p of pairs) {
    const s = extractSegments(p.en);
    const z = extractSegments(p.zh);
    const times: number[] = [];
    for (let r = 0; r < 10; r++) {
      const t = performance.now();
      pairSegments(s, z, {
        from: 'en',
        to: 'zh',
        level: 'sentence',
        sourceMarkdown: p.en,
        targetMarkdown: p.zh,
      });
      if (r > 0) times.push(performance.now() - t);
    }
    const ms = median(times);
    const base = root.endsWith('d2l') ? baseline.milliseconds[p.path] : undefined;
    now += ms;
    before += base ?? 0;
    console.log(
      `  ${p.path.padEnd(90)} ${ms.toFixed(1).padStart(7)} ms  before ${base === undefined ? '   –' : base.toFixed(1).padStart(7)} ms  ${base ? `${(ms / base).toFixed(2)}×` : ''}`,
    );
  }
  console.log(
    `  ${'ALL'.padEnd(90)} ${now.toFixed(1).padStart(7)} ms  before ${before.toFixed(1).padStart(7)} ms  ${(now / before).toFixed(2)}× (target ≤ 2×)`,
  );
}

quality();
perturbed();
lengthModelEstimate();
speed();
