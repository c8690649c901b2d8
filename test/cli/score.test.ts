import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusBleu, corpusChrf } from '../../lambdas/core/score';
import { runCli } from './helpers';

const fixtures = join(__dirname, '../fixtures/bleu-vectors');
let dir: string;
const file = (name: string, content: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

const HYP = ['The cat sat on the mat.', 'Deep learning needs lots of data.', 'We train for 10 epochs.'];
const REF = [
  'The cat is sitting on the mat.',
  'Deep learning requires a lot of data.',
  'We train for ten epochs.',
];
const REF2 = ['A cat sat on the mat.', 'Deep learning needs much data.', 'Training runs for 10 epochs.'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'amts-score-'));
  file('hyp.txt', `${HYP.join('\n')}\n`);
  file('ref.txt', `${REF.join('\n')}\n`);
  file('ref2.txt', `${REF2.join('\n')}\n`);
});

async function ok(...argv: string[]): Promise<unknown> {
  const r = await runCli('score', ...argv);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('amts score — bad input', () => {
  it.each([
    [['--metric', 'ter', '--hyp', 'h', '--ref', 'r'], /--metric must be bleu, chrf or chrf\+\+/],
    [['--ref', 'r'], /--hyp FILE is required/],
    [['--hyp', 'h'], /at least one --ref/],
    [['--metric', 'chrf', '--tokenize', 'zh', '--hyp', 'h', '--ref', 'r'], /--tokenize applies to BLEU only/],
    [['--tokenize', 'moses', '--hyp', 'h', '--ref', 'r'], /--tokenize must be one of/],
    [['--smooth', 'laplace', '--hyp', 'h', '--ref', 'r'], /--smooth must be one of/],
    [['--smooth-value', 'abc', '--hyp', 'h', '--ref', 'r'], /--smooth-value must be a number/],
    [['--smooth-value=-1', '--hyp', 'h', '--ref', 'r'], /--smooth-value must be a number/],
    [['--vectors', 'v.json', '--metric', 'bleu'], /--vectors takes no other option/],
    [['--bogus'], /Unknown option/],
    [['stray'], /Unexpected argument|positional/i],
  ])('exits 2 for %j', async (argv, message) => {
    const r = await runCli('score', ...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 naming a missing file', async () => {
    const r = await runCli('score', '--hyp', join(dir, 'nope.txt'), '--ref', join(dir, 'ref.txt'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.txt: no such file/);
  });

  it('exits 1 when the files have different numbers of lines', async () => {
    const short = file('short.txt', 'only one line\n');
    const r = await runCli('score', '--hyp', join(dir, 'hyp.txt'), '--ref', short);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has 1 lines but .* has 3/);
  });

  it('exits 1 for a file that is not UTF-8', async () => {
    const bad = file('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const r = await runCli('score', '--hyp', bad, '--ref', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/EncodingError: .*not valid UTF-8/);
  });

  it('exits 1 for an empty hypothesis file', async () => {
    const empty = file('empty.txt', '');
    const r = await runCli('score', '--hyp', empty, '--ref', empty);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no lines to score/);
  });

  it('exits 1 for a reference line that is empty in every reference file', async () => {
    const h = file('h1.txt', 'a\nb\n');
    const r1 = file('r1.txt', 'a\n\n');
    const r = await runCli('score', '--hyp', h, '--ref', r1);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/segment 2 has no reference/);
  });

  it('names the line of a --sentence reference that is empty in every file', async () => {
    const h = file('h2.txt', 'a\nb\n');
    const r1 = file('r2.txt', 'a\n\n');
    const r = await runCli('score', '--sentence', '--hyp', h, '--ref', r1);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 2: .*no reference/);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['no cases', '{"x": 1}', /"cases" array/],
    ['unknown kind', '{"cases":[{"id":"a","kind":"ter"}]}', /case 1 \(a\)/],
    [
      'bad tokenizer',
      '{"cases":[{"id":"t","kind":"tokenize","options":{"tokenize":"moses"},"input":"x"}]}',
      /case 1 \(t\)/,
    ],
    [
      'empty reference',
      '{"cases":[{"id":"e","kind":"sentence_bleu","hypothesis":"a","references":[""]}]}',
      /case 1 \(e\): .*no reference/,
    ],
  ])('exits 1 for a vectors file with %s', async (_label, content, message) => {
    const r = await runCli('score', '--vectors', file('bad-vectors.json', content));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('amts score --vectors', () => {
  const INTS = new Set(['counts', 'totals', 'sys_len', 'ref_len', 'stats', 'segment_stats']);
  const same = (actual: unknown, expected: unknown, exact: boolean, where: string): void => {
    if (Array.isArray(expected)) {
      expect((actual as unknown[]).length, where).toBe(expected.length);
      for (const [i, e] of expected.entries()) same((actual as unknown[])[i], e, exact, `${where}[${i}]`);
    } else if (typeof expected === 'number' && !exact) {
      expect(Math.abs((actual as number) - expected), where).toBeLessThanOrEqual(1e-9);
    } else {
      expect(actual, where).toEqual(expected);
    }
  };

  it.each(['vectors.json', 'oracle-vectors.json'])('reproduces every case of %s', async (name) => {
    const path = join(fixtures, name);
    const cases = JSON.parse(readFileSync(path, 'utf8')).cases as Array<Record<string, unknown>>;
    const out = (await ok('--vectors', path)) as Array<Record<string, unknown>>;
    expect(out.map((r) => r.id)).toEqual(cases.map((c) => c.id));
    for (const [i, c] of cases.entries()) {
      const r = out[i] as Record<string, unknown>;
      if (c.kind === 'tokenize') {
        expect(r.tokenized, String(c.id)).toBe(c.tokenized);
        expect(r.tokens, String(c.id)).toEqual(c.tokens);
        continue;
      }
      expect(typeof r.score).toBe('number');
      for (const [k, v] of Object.entries(c.result as Record<string, unknown>))
        same(r[k], v, INTS.has(k), `${c.id}.${k}`);
      expect(r.signature, String(c.id)).toBe(c.signature);
      expect(r.formatted, String(c.id)).toBe(c.formatted);
    }
  });
});

describe('amts score (files)', () => {
  it('prints corpus BLEU with statistics and signature, 13a by default', async () => {
    const r = (await ok('--hyp', join(dir, 'hyp.txt'), '--ref', join(dir, 'ref.txt'))) as Record<
      string,
      unknown
    >;
    const expected = corpusBleu(HYP, [REF]);
    expect(r).toMatchObject({
      score: expected.score,
      counts: expected.counts,
      totals: expected.totals,
      precisions: expected.precisions,
      bp: expected.bp,
      sys_len: expected.sys_len,
      ref_len: expected.ref_len,
      signature: 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0',
    });
  });

  it('takes several --ref files as several references', async () => {
    const r = (await ok(
      '--hyp',
      join(dir, 'hyp.txt'),
      '--ref',
      join(dir, 'ref.txt'),
      '--ref',
      join(dir, 'ref2.txt'),
    )) as {
      score: number;
      signature: string;
    };
    expect(r.score).toBe(corpusBleu(HYP, [REF, REF2]).score);
    expect(r.signature).toMatch(/^nrefs:2\|/);
  });

  it('reads CRLF files like LF files (the \\r is trailing whitespace)', async () => {
    const h = file('hyp-crlf.txt', `${HYP.join('\r\n')}\r\n`);
    const r = (await ok('--hyp', h, '--ref', join(dir, 'ref.txt'))) as { score: number };
    expect(r.score).toBe(corpusBleu(HYP, [REF]).score);
  });

  it('picks the tokenizer from --target-lang, and --tokenize wins', async () => {
    const h = file('zh-h.txt', '深度学习很有趣。\n');
    const ref = file('zh-r.txt', '深度学习很有意思。\n');
    expect(
      ((await ok('--target-lang', 'zh', '--hyp', h, '--ref', ref)) as { signature: string }).signature,
    ).toContain('tok:zh');
    expect(
      ((await ok('--target-lang', 'ja', '--hyp', h, '--ref', ref)) as { signature: string }).signature,
    ).toContain('tok:char');
    expect(
      (
        (await ok('--target-lang', 'zh', '--tokenize', 'intl', '--hyp', h, '--ref', ref)) as {
          signature: string;
        }
      ).signature,
    ).toContain('tok:intl');
  });

  it('passes lowercase, smoothing and effective order through to the signature', async () => {
    const r = (await ok(
      '--lowercase',
      '--smooth',
      'floor',
      '--smooth-value',
      '0.5',
      '--effective-order',
      '--hyp',
      join(dir, 'hyp.txt'),
      '--ref',
      join(dir, 'ref.txt'),
    )) as { signature: string };
    expect(r.signature).toBe('nrefs:1|case:lc|eff:yes|tok:13a|smooth:floor[0.50]|version:2.6.0');
  });

  it('prints one sentence BLEU per line with --sentence (effective order)', async () => {
    const r = (await ok(
      '--sentence',
      '--hyp',
      join(dir, 'hyp.txt'),
      '--ref',
      join(dir, 'ref.txt'),
    )) as Array<{
      score: number;
      signature: string;
    }>;
    expect(r).toHaveLength(3);
    expect(r[0]?.signature).toContain('eff:yes');
  });

  it('prints chrF and chrF++', async () => {
    const c = (await ok(
      '--metric',
      'chrf',
      '--hyp',
      join(dir, 'hyp.txt'),
      '--ref',
      join(dir, 'ref.txt'),
    )) as {
      name: string;
      score: number;
      stats: number[];
    };
    expect(c.name).toBe('chrF2');
    expect(c.score).toBe(corpusChrf(HYP, [REF]).score);
    const pp = (await ok(
      '--metric',
      'chrf++',
      '--hyp',
      join(dir, 'hyp.txt'),
      '--ref',
      join(dir, 'ref.txt'),
    )) as {
      name: string;
      stats: number[];
    };
    expect(pp.name).toBe('chrF2++');
    expect(pp.stats).toHaveLength(24);
    const s = (await ok(
      '--metric',
      'chrf',
      '--sentence',
      '--hyp',
      join(dir, 'hyp.txt'),
      '--ref',
      join(dir, 'ref.txt'),
    )) as unknown[];
    expect(s).toHaveLength(3);
  });
});
