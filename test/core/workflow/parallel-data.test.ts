import { describe, expect, it } from 'vitest';
import type { AlignedDocument } from '../../../lambdas/core/align/book';
import type { PairCounts } from '../../../lambdas/core/align/pair';
import { InvalidInputError } from '../../../lambdas/core/errors';
import { sha256, sha256OfChunks } from '../../../lambdas/core/hash';
import {
  BookParallelData,
  isUpToDate,
  parallelDataDescription,
  parallelDataRequest,
  parallelDataSubmitted,
  planStaleUnits,
  referenceDocuments,
  requestedUpdate,
} from '../../../lambdas/core/workflow/parallel-data';
import type { ParallelDataState } from '../../../lambdas/core/workflow/payload';

const pd: ParallelDataState = {
  action: 'update',
  name: 'amts-en-zh',
  pairs: 12,
  csvKey: 'parallel-data/en-zh/parallel-data.csv',
  csvHash: 'abc',
  updated: false,
};

describe('isUpToDate()', () => {
  it.each([
    ['ACTIVE with this CSV', { Status: 'ACTIVE', Description: parallelDataDescription('abc') }, true],
    [
      'ACTIVE, last update ACTIVE',
      { Status: 'ACTIVE', LatestUpdateAttemptStatus: 'ACTIVE', Description: parallelDataDescription('abc') },
      true,
    ],
    ['ACTIVE with another CSV', { Status: 'ACTIVE', Description: parallelDataDescription('old') }, false],
    [
      'ACTIVE after a FAILED update',
      { Status: 'ACTIVE', LatestUpdateAttemptStatus: 'FAILED', Description: parallelDataDescription('abc') },
      false,
    ],
    ['still CREATING', { Status: 'CREATING', Description: parallelDataDescription('abc') }, false],
    ['missing', undefined, false],
  ])('%s → %s', (_what, props, expected) => {
    expect(isUpToDate(props, 'abc')).toBe(expected);
  });
});

describe('requestedUpdate()', () => {
  it.each(['name', 'csvKey', 'csvHash'] as const)(
    'refuses an update without %s (InvalidInputError)',
    (field) => {
      expect(() => requestedUpdate({ ...pd, [field]: null })).toThrow(
        expect.objectContaining({
          name: 'InvalidInputError',
          message: expect.stringMatching(/are required/),
        }),
      );
    },
  );
});

describe('parallelDataRequest()', () => {
  const update = requestedUpdate(pd);

  it('sends the CSV and a description carrying its hash', () => {
    expect(parallelDataRequest(update, 's3://book/x.csv', 'r1', 'create')).toMatchObject({
      Name: 'amts-en-zh',
      ParallelDataConfig: { S3Uri: 's3://book/x.csv', Format: 'CSV' },
      Description: 'AMTS parallel data sha256=abc',
    });
  });

  it('derives the ClientToken from run, operation and CSV: the same request repeats it, any change does not', () => {
    const token = (runId: string, op: 'create' | 'update', csvHash = 'abc') =>
      parallelDataRequest({ ...update, csvHash }, 's3://b/x.csv', runId, op).ClientToken;
    expect(token('r1', 'create')).toBe(token('r1', 'create'));
    expect(
      new Set([
        token('r1', 'create'),
        token('r1', 'update'),
        token('r2', 'create'),
        token('r1', 'create', 'def'),
      ]).size,
    ).toBe(4);
  });
});

describe('parallelDataSubmitted()', () => {
  it('marks the resource updated, not ready, at the first wait', () => {
    expect(parallelDataSubmitted(pd, 'update', 'UPDATING')).toMatchObject({
      ...pd,
      operation: 'update',
      updated: true,
      ready: false,
      status: 'UPDATING',
      attempt: 0,
    });
    expect(parallelDataSubmitted(pd, 'create', undefined).status).toBe('UNKNOWN');
  });
});

const EN_ZH = { source: 'en', target: 'zh' };
const stamp = (etag: string) => ({ etag, size: etag.length });

describe('referenceDocuments()', () => {
  const listing = (paths: [string, string | null][]) =>
    new Map(paths.map(([p, e]) => [p, e === null ? null : stamp(e)]));

  it('pairs every English document that has a reference, in listing order, and no other', () => {
    const docs = referenceDocuments(
      EN_ZH,
      listing([
        ['b.md', '"b"'],
        ['a.md', '"a"'],
        ['only-english.md', '"o"'],
      ]),
      listing([
        ['a.md', '"ra"'],
        ['b.md', '"rb"'],
        ['only-reference.md', '"x"'],
      ]),
      '{name}_origin.md',
    );
    expect(docs).toEqual([
      {
        path: 'b.md',
        sourceKey: 'source/en/b.md',
        referenceKey: 'reference/zh/b.md',
        fromOrigin: false,
        cacheKey: { fromOrigin: false, source: stamp('"b"'), reference: stamp('"rb"') },
      },
      {
        path: 'a.md',
        sourceKey: 'source/en/a.md',
        referenceKey: 'reference/zh/a.md',
        fromOrigin: false,
        cacheKey: { fromOrigin: false, source: stamp('"a"'), reference: stamp('"ra"') },
      },
    ]);
  });

  it('pairs the origin file where one is kept beside the reference, and never makes it a document', () => {
    const docs = referenceDocuments(
      EN_ZH,
      listing([
        ['ch/a.md', '"new"'],
        ['ch/a_origin.md', '"stray"'],
      ]),
      listing([
        ['ch/a.md', '"ref"'],
        ['ch/a_origin.md', '"old"'],
      ]),
      '{name}_origin.md',
    );
    expect(docs).toEqual([
      {
        path: 'ch/a.md',
        sourceKey: 'reference/zh/ch/a_origin.md',
        referenceKey: 'reference/zh/ch/a.md',
        fromOrigin: true,
        cacheKey: { fromOrigin: true, source: stamp('"old"'), reference: stamp('"ref"') },
      },
    ]);
  });

  it('has no cache key when a listing left out an ETag or size (such a document is always aligned)', () => {
    const docs = referenceDocuments(
      EN_ZH,
      listing([['a.md', null]]),
      listing([['a.md', '"r"']]),
      '{name}_origin.md',
    );
    expect(docs[0]?.cacheKey).toBeNull();
  });
});

describe('BookParallelData', () => {
  const counts = {} as PairCounts;
  const aligned = (path: string, pairs: [string, string][]): AlignedDocument => ({
    path,
    counts,
    pairs: pairs.map(([source, target]) => ({ source, target })),
  });
  const doc = (path: string, fromOrigin = false) => ({
    path,
    sourceKey: `source/en/${path}`,
    referenceKey: `reference/zh/${path}`,
    fromOrigin,
    cacheKey: null,
  });

  it('leaves out the pairs of stale units, unless the document is paired with its origin file', () => {
    const stale = { 'a.md': ['The old sentence.'], 'b.md': ['The old sentence.'] };
    const book = new BookParallelData(EN_ZH, stale);
    const pairs: [string, string][] = [
      ['The old sentence.', '旧句子。'],
      ['A kept sentence.', '保留的句子。'],
    ];
    for (const d of [doc('a.md'), doc('b.md', true)]) {
      book.begin(d);
      book.add(d, aligned(d.path, pairs), d.path === 'a.md');
    }
    const result = book.result();
    expect(result.staleLeftOut).toBe(1);
    expect(result.fromOrigin).toEqual(['b.md']);
    expect(result.realigned).toEqual(['a.md']);
    expect(result.counts.documents.map((d) => d.path)).toEqual(['a.md', 'b.md']);
    expect(result.counts.csv).toMatchObject({ input: 3, written: 2, duplicates: 1 });
    expect([...book.rows.lines()]).toEqual([
      'en,zh\n',
      'A kept sentence.,保留的句子。\n',
      'The old sentence.,旧句子。\n',
    ]);
  });

  it('records a skipped document and goes on', () => {
    const book = new BookParallelData(EN_ZH, {});
    book.begin(doc('bad.md'));
    book.skip('bad.md', 'NestingTooDeepError: …');
    expect(book.result()).toMatchObject({ skipped: [{ path: 'bad.md', error: 'NestingTooDeepError: …' }] });
    expect(book.result().counts.csv.written).toBe(0);
  });

  it('hashes the streamed CSV exactly as the joined text (the hash names the resource)', () => {
    const book = new BookParallelData(EN_ZH, {});
    const d = doc('a.md');
    book.add(d, aligned('a.md', [['Hello, "world".', '你好，“世界”。']]), true);
    const joined = [...book.rows.lines()].join('');
    expect(sha256OfChunks(book.rows.lines())).toEqual({
      hash: sha256(joined),
      bytes: Buffer.byteLength(joined, 'utf8'),
    });
  });
});

describe('planStaleUnits()', () => {
  const file = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 1));
  const plan = {
    version: 1,
    runId: 'run-1',
    plan: { documents: [{ path: 'a.md', units: [] }] },
    snapshots: { 'a.md': { source: '# A' } },
    staleReferenceUnits: { 'a.md': ['The old sentence.'] },
  };

  it("reads the stale units of this run's plan", () => {
    expect(planStaleUnits(file(plan), 's3://b/plan.json', 'run-1')).toEqual({
      'a.md': ['The old sentence.'],
    });
  });

  it('reads none from a plan written before plans recorded them', () => {
    const { staleReferenceUnits: _, ...older } = plan;
    expect(planStaleUnits(file(older), 's3://b/plan.json', 'run-1')).toEqual({});
  });

  it.each([
    ['another run', { ...plan, runId: 'run-2' }, /plan of run run-2, expected run-1/],
    ['another version', { ...plan, version: 2 }, /not an AMTS plan file \(version 1\) at version/],
    [
      'stale units of the wrong shape',
      { ...plan, staleReferenceUnits: { 'a.md': 'x' } },
      /at staleReferenceUnits/,
    ],
    ['no run id', { version: 1 }, /at runId/],
    ['not an object', [plan], /not a JSON object/],
  ])('refuses a plan file of %s with InvalidInputError naming it', (_name, value, message) => {
    expect(() => planStaleUnits(file(value), 's3://b/plan.json', 'run-1')).toThrow(InvalidInputError);
    expect(() => planStaleUnits(file(value), 's3://b/plan.json', 'run-1')).toThrow(message);
  });

  it('refuses a missing plan file (no bytes)', () => {
    expect(() => planStaleUnits(new Uint8Array(), 's3://b/plan.json', 'run-1')).toThrow(
      /s3:\/\/b\/plan\.json/,
    );
  });
});
