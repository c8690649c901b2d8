import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isPythonWhitespace,
  isZhChar,
  PYTHON_WHITESPACE,
  pySplit,
  ZH_RANGES,
} from '../../../lambdas/core/score';
import { evaluateVectors } from '../../../lambdas/core/score/vectors';

const dir = join(__dirname, '../../fixtures/bleu-vectors');
const load = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

const INTEGER_FIELDS = new Set(['counts', 'totals', 'sys_len', 'ref_len', 'stats', 'segment_stats']);

/** Scores within 1e-9, integer statistics and strings exactly (the bar). */
function expectSame(actual: unknown, expected: unknown, path: string, exact: boolean): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    if (exact) expect(actual, path).toBe(expected);
    else
      expect(
        Math.abs((actual as number) - expected),
        `${path}: ${actual} vs ${expected}`,
      ).toBeLessThanOrEqual(1e-9);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    for (const [i, e] of expected.entries()) expectSame((actual as unknown[])[i], e, `${path}[${i}]`, exact);
    return;
  }
  expect(actual, path).toEqual(expected);
}

interface Case {
  id: string;
  kind: string;
  result?: Record<string, unknown>;
  signature?: string;
  signature_short?: string;
  formatted?: string;
  segment_stats?: number[][];
  tokenized?: string;
  tokens?: string[];
}

function checkAll(cases: Case[], results: Array<Record<string, unknown>>): void {
  expect(results.map((r) => r.id)).toEqual(cases.map((c) => c.id));
  cases.forEach((c, i) => {
    const r = results[i] as Record<string, unknown>;
    if (c.kind === 'tokenize') {
      expect(r.tokenized, c.id).toBe(c.tokenized);
      expect(r.tokens, c.id).toEqual(c.tokens);
      return;
    }
    for (const [key, value] of Object.entries(c.result ?? {})) {
      expectSame(r[key], value, `${c.id}.${key}`, INTEGER_FIELDS.has(key));
    }
    expect(r.signature, c.id).toBe(c.signature);
    if (c.signature_short) expect(r.signature_short, c.id).toBe(c.signature_short);
    expect(r.formatted, c.id).toBe(c.formatted);
    if (c.segment_stats) expectSame(r.segment_stats, c.segment_stats, `${c.id}.segment_stats`, true);
  });
}

describe('sacrebleu 2.6.0 shared vectors (test/fixtures/bleu-vectors/vectors.json)', () => {
  const file = load('vectors.json');

  it('holds the 8 shared cases', () => {
    expect(file.cases).toHaveLength(8);
  });

  it('matches every case: scores within 1e-9, counts, tokens, signatures and score lines exactly', () => {
    checkAll(file.cases, evaluateVectors(file));
  });
});

describe('generated vectors (test/fixtures/bleu-vectors/oracle-vectors.json)', () => {
  const file = load('oracle-vectors.json');

  it('holds hundreds of cases of every kind', () => {
    const kinds = new Set((file.cases as Case[]).map((c) => c.kind));
    expect(file.cases.length).toBeGreaterThan(250);
    expect([...kinds].sort()).toEqual([
      'corpus_bleu',
      'corpus_chrf',
      'sentence_bleu',
      'sentence_chrf',
      'tokenize',
    ]);
  });

  it('matches every case', () => {
    checkAll(file.cases, evaluateVectors(file));
  });

  it('uses exactly the zh character ranges sacrebleu sees (every code point checked by the generator)', () => {
    const expected: Array<[number, number]> = file.zh_ranges;
    const ours: Array<[number, number]> = [];
    let start = -1;
    for (let cp = 0; cp <= 0x110000; cp++) {
      const inRange = cp < 0x110000 && isZhChar(cp);
      if (inRange && start < 0) start = cp;
      if (!inRange && start >= 0) {
        ours.push([start, cp - 1]);
        start = -1;
      }
    }
    expect(ours).toEqual(expected);
    expect(ZH_RANGES.length).toBe(22);
  });

  it("uses exactly Python's whitespace set (str.isspace over every code point)", () => {
    expect([...PYTHON_WHITESPACE]).toEqual(file.python_whitespace);
    for (let cp = 0; cp < 0x3100; cp++) {
      expect(isPythonWhitespace(cp), cp.toString(16)).toBe(file.python_whitespace.includes(cp));
    }
    const all = (file.python_whitespace as number[]).map((c) => String.fromCodePoint(c)).join('');
    expect(pySplit(`a${all}b${all}`)).toEqual(['a', 'b']);
  });
});
