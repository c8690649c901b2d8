import { describe, expect, it } from 'vitest';
import {
  assertLanguagePair,
  canonicalJson,
  clientToken,
  compactTimestamp,
  executionName,
  jobName,
  parallelDataClientToken,
  parallelDataName,
  runIdFor,
  workPrefix,
} from '../../../lambdas/core/workflow/names';

const pair = { source: 'en', target: 'zh' };

describe('runIdFor()', () => {
  it('rejects an unparseable start time and an empty name', () => {
    expect(() => runIdFor({ name: 'x', startTime: 'yesterday' })).toThrow(/not an ISO 8601/);
    expect(() => runIdFor({ name: '', startTime: '2026-11-21T12:00:00Z' })).toThrow(/empty/);
  });

  it('is the compact start time plus the S3-safe execution name, the same for every Task of the run', () => {
    const e = { name: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890', startTime: '2026-11-21T12:50:04.953Z' };
    expect(runIdFor(e)).toBe('20261121T125004Z-a1b2c3d4-e5f6-7890-abcd-ef1234567890');
    expect(runIdFor(e)).toBe(runIdFor({ ...e }));
  });

  it('replaces characters that are unsafe in keys and truncates long names', () => {
    expect(runIdFor({ name: `x/y z${'n'.repeat(80)}`, startTime: '2026-01-01T00:00:00Z' })).toMatch(
      /^20260101T000000Z-x-y-zn{35}$/,
    );
  });
});

describe('clientToken()', () => {
  it('is valid for Translate (^[a-zA-Z0-9-]+$, ≤ 64) and changes with the batch', () => {
    const a = clientToken('r1', 'hash-a');
    expect(a).toMatch(/^[a-zA-Z0-9-]{1,64}$/);
    expect(clientToken('r1', 'hash-a')).toBe(a);
    expect(clientToken('r1', 'hash-b')).not.toBe(a);
    expect(clientToken('r2', 'hash-a')).not.toBe(a);
  });
});

describe('parallelDataClientToken()', () => {
  it('identifies one request: the same run, operation and CSV give the same valid token', () => {
    const a = parallelDataClientToken('run-1', 'update', 'hash-b');
    expect(a).toMatch(/^[a-zA-Z0-9-]{1,64}$/);
    expect(parallelDataClientToken('run-1', 'update', 'hash-b')).toBe(a);
  });

  it('differs for another run even with a CSV seen before (B → C → B is three requests)', () => {
    const tokens = [
      parallelDataClientToken('run-1', 'create', 'hash-b'),
      parallelDataClientToken('run-2', 'update', 'hash-c'),
      parallelDataClientToken('run-3', 'update', 'hash-b'),
      parallelDataClientToken('run-1', 'update', 'hash-b'),
    ];
    expect(new Set(tokens).size).toBe(4);
  });
});

describe('executionName()', () => {
  it('is derived from the pair, the minute and the input content (key order does not matter)', () => {
    const now = new Date('2026-11-21T12:50:59Z');
    const a = executionName(pair, { mode: 'sync', documents: ['a.md'] }, now);
    expect(a).toBe(
      executionName(pair, { documents: ['a.md'], mode: 'sync' }, new Date('2026-11-21T12:50:01Z')),
    );
    expect(a).toMatch(/^en-zh-20261121T1250-[0-9a-f]{16}$/);
    expect(a.length).toBeLessThanOrEqual(80);
    expect(executionName(pair, { mode: 'sync' }, now)).not.toBe(a);
  });
});

describe('names', () => {
  it('follow the S3 layout and Translate naming rules', () => {
    expect(workPrefix(pair, 'r1')).toBe('work/en-zh/r1/');
    expect(parallelDataName({ source: 'en', target: 'zh-TW' })).toMatch(/^([A-Za-z0-9-]_?)+$/);
    expect(jobName(pair, 'r'.repeat(400)).length).toBe(256);
    expect(compactTimestamp('2026-11-21T12:50:04Z')).toBe('20261121T125004Z');
    expect(canonicalJson({ b: 1, a: [undefined, { d: 2, c: 3 }] })).toBe('{"a":[null,{"c":3,"d":2}],"b":1}');
  });

  it('rejects bad language pairs', () => {
    expect(() => assertLanguagePair({ source: 'EN', target: 'zh' })).toThrow(/source "EN"/);
    expect(() => assertLanguagePair({ source: 'zh', target: 'zh' })).toThrow(/both "zh"/);
    expect(() => assertLanguagePair({ source: 'en', target: 'zh-TW' })).not.toThrow();
  });
});
