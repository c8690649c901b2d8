// The fanned-out planning (core/workflow/planning.ts): Plan's selection and items, a batch's plans, and
// the finisher's combination — which must give the plan one invocation over every document gives.
import { describe, expect, it } from 'vitest';
import { EncodingError } from '../../../lambdas/core/errors';
import { planRun } from '../../../lambdas/core/sync/plan';
import { emptySyncState } from '../../../lambdas/core/sync/state';
import { emptyStateIndex } from '../../../lambdas/core/sync/state-index';
import { parseExecutionInput } from '../../../lambdas/core/workflow/input';
import { planDocumentInput } from '../../../lambdas/core/workflow/plan-documents';
import { PlanFileSchema, parsePlanFile } from '../../../lambdas/core/workflow/plan-file';
import {
  type BatchDocument,
  combinePlan,
  decidePlanning,
  type PlanBatchResult,
  type PlanRun,
  planBatch,
} from '../../../lambdas/core/workflow/planning';

const pair = { source: 'en', target: 'zh' };
const runOf = (input: unknown = {}): PlanRun => ({
  version: 1,
  runId: 'r1',
  pair,
  startedAt: '2026-11-21T12:00:00.000Z',
  request: parseExecutionInput(input, pair),
});
const english = (n: number) =>
  `# Chapter ${n}\n\nThe first paragraph of chapter ${n}.\n\nA second one, ${n}.\n`;
const chinese = (n: number) => `# 第${n}章\n\n第${n}章的第一段。\n\n第二段，${n}。\n`;
const stamp = (etag: string) => ({ etag, size: 10 });

/** The listings of a book of `n` documents (every one with a reference, the odd ones translated). */
function book(n: number) {
  const paths = Array.from({ length: n }, (_, i) => `ch${String(i).padStart(2, '0')}.md`);
  return {
    paths,
    objects: {
      source: new Map(paths.map((p) => [p, stamp(`s-${p}`)])),
      translated: new Map(paths.filter((_, i) => i % 2 === 1).map((p) => [p, stamp(`t-${p}`)])),
      reference: new Map([
        ...paths.map((p) => [p, stamp(`r-${p}`)] as const),
        ['ch00_origin.md', stamp('o')] as const,
      ]),
    },
  };
}

describe('Plan: which documents the batches read', () => {
  const { paths, objects } = book(4);
  const decide = (input: unknown = {}) =>
    decidePlanning({
      run: runOf(input),
      index: emptyStateIndex('en-zh'),
      indexEtag: null,
      objects,
      originPattern: '{name}_origin.md',
    });

  it('gives every document of a first run to the batches, with which of its texts exist', () => {
    const { items, context } = decide();
    expect(items.map((i) => i.path)).toEqual(paths);
    expect(items.map((i) => i.index)).toEqual([0, 1, 2, 3]);
    expect(items[0]).toEqual({
      index: 0,
      path: 'ch00.md',
      translated: false,
      reference: true,
      origin: 'ch00_origin.md',
    });
    expect(items[1]).toMatchObject({ translated: true, origin: null });
    expect(context).toMatchObject({ read: paths, settled: {}, indexEtag: null, act: true });
  });

  it('ignores translated files and origin files in an evaluation', () => {
    const { items } = decide({ mode: 'evaluate' });
    expect(items.every((i) => !i.translated && i.origin === null)).toBe(true);
  });

  it('gives no document to the batches when every recorded plan still holds', () => {
    const report = {
      path: '',
      status: 'unchanged' as const,
      charactersSent: 0,
      units: {
        total: 0,
        reused: 0,
        fromReference: 0,
        postEditsKept: 0,
        machineTranslated: 0,
        stale: 0,
        fuzzy: 0,
        conflicts: 0,
      },
      scores: null,
      warnings: [],
      error: null,
      review: [],
    };
    const index = emptyStateIndex('en-zh');
    for (const p of paths) {
      index.documents[p] = {
        runId: 'r0',
        settled: {
          listing: {
            source: stamp(`s-${p}`),
            translated: objects.translated.get(p) ?? null,
            reference: stamp(`r-${p}`),
            origin: p === 'ch00.md' ? stamp('o') : null,
          },
          report: { ...report, path: p },
          staleUnits: [],
        },
      };
    }
    const run = runOf();
    const { items, context } = decidePlanning({
      run,
      index,
      indexEtag: '"e1"',
      objects,
      originPattern: '{name}_origin.md',
    });
    expect(items).toEqual([]);
    expect(Object.keys(context.settled)).toEqual(paths);
    expect(context.statePaths).toEqual(paths);
  });

  it.each([
    [{ documents: ['nope.md'] }, /input.documents: "nope.md" not found under source\//],
    [{ documents: ['ch00.md'], mode: 'evaluate' }, null],
  ])('checks the documents the input names (%j)', (input, error) => {
    if (error) expect(() => decide(input)).toThrow(error);
    else expect(decide(input).items.map((i) => i.path)).toEqual(['ch00.md']);
  });
});

/** Every document of `n`, read (texts as the batches would read them). */
function documents(n: number): BatchDocument[] {
  return Array.from({ length: n }, (_, i) => {
    const path = `ch${String(i).padStart(2, '0')}.md`;
    return {
      path,
      texts: { path, source: english(i), translated: null, reference: i % 2 === 0 ? chinese(i) : null },
    };
  });
}

describe('Plan Batch and Finish Plan: the batches combined give the plan of one invocation', () => {
  const run = runOf();
  const all = documents(7);
  const context = decidePlanning({
    run,
    index: emptyStateIndex('en-zh'),
    indexEtag: null,
    objects: {
      source: new Map(all.map((d) => [d.path, stamp(d.path)])),
      translated: new Map(),
      reference: new Map(),
    },
    originPattern: '{name}_origin.md',
  }).context;
  const whole = planRun({
    pair: 'en-zh',
    state: emptySyncState('en-zh'),
    documents: all.map((d) =>
      planDocumentInput(pair, (d as { texts: NonNullable<Parameters<typeof planDocumentInput>[1]> }).texts),
    ),
    sourcePaths: all.map((d) => d.path),
    statePaths: [],
    translatedPaths: [],
    sentenceLevel: true,
  });

  it.each([1, 2, 3, 7])('in batches of %i documents', (size) => {
    const results: PlanBatchResult[] = [];
    for (let i = 0; i < all.length; i += size) results.push(planBatch(run, all.slice(i, i + size), {}));
    const { file } = combinePlan(run, context, results.reverse()); // the order results are listed in does not matter
    expect(file.plan).toEqual(whole);
    expect(Object.keys(file.snapshots).sort()).toEqual(all.map((d) => d.path));
    expect(() => PlanFileSchema.parse({ ...file, stateEtag: null })).not.toThrow();
  });

  it('refuses to finish when a batch result is missing: nothing planned is lost silently', () => {
    const results = [planBatch(run, all.slice(0, 3), {})];
    expect(() => combinePlan(run, context, results)).toThrow(
      /cover 3 document\(s\) of the 7 read; missing: "?ch03.md/,
    );
  });

  it('refuses a document given twice', () => {
    const results = [planBatch(run, all, {}), planBatch(run, all.slice(0, 1), {})];
    expect(() => combinePlan(run, context, results)).toThrow(/one given twice|cover 8/);
  });

  it('fails a document that cannot be read or parsed alone, names it, and plans the others', () => {
    const broken: BatchDocument[] = [
      { path: 'bad.md', error: new EncodingError('source/en/bad.md: not UTF-8') },
      { path: 'gone.md', texts: null },
      ...all.slice(0, 2),
    ];
    const result = planBatch(run, broken, {});
    expect(result.paths).toEqual(['bad.md', 'gone.md', 'ch00.md', 'ch01.md']);
    expect(result.documents.map((d) => d.path)).toEqual(['ch00.md', 'ch01.md']);
    expect(result.failed).toEqual([
      { path: 'bad.md', error: expect.stringMatching(/EncodingError.*bad\.md/) },
    ]);
  });

  it('stops the run on a run-level error (an S3 fault, a timeout) instead of failing a document', () => {
    const error = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    expect(() => planBatch(run, [{ path: 'a.md', error }], {})).toThrow('socket hang up');
  });
});

describe('the plan file, parsed with its full schema', () => {
  const run = runOf();
  const context = decidePlanning({
    run,
    index: emptyStateIndex('en-zh'),
    indexEtag: null,
    objects: { source: new Map([['ch00.md', stamp('a')]]), translated: new Map(), reference: new Map() },
    originPattern: '{name}_origin.md',
  }).context;
  const file = { ...combinePlan(run, context, [planBatch(run, documents(1), {})]).file, stateEtag: null };

  it('reads back what Finish Plan writes', () => {
    expect(parsePlanFile(JSON.parse(JSON.stringify(file)), 's3://b/plan.json', 'r1')).toEqual(file);
  });

  /** A copy of the file with the field at `path` removed (or, with `value`, set). */
  const damaged = (path: (string | number)[], value?: unknown) => {
    const copy = JSON.parse(JSON.stringify(file));
    const parent = path.slice(0, -1).reduce((o, k) => o[k], copy);
    const last = path.at(-1) as string | number;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
    return copy;
  };

  it.each([
    [
      'a unit without its action',
      ['plan', 'documents', 0, 'units', 0, 'action'],
      undefined,
      /plan\.documents\.0\.units\.0\.action/,
    ],
    ['an unknown field', ['plan', 'extra'], 1, /plan: Unrecognized key/],
    [
      'a snapshot without its English',
      ['snapshots', 'ch00.md', 'source'],
      undefined,
      /snapshots\.ch00\.md\.source/,
    ],
    ['a request without options', ['request', 'options'], undefined, /request\.options/],
    ['a negative character count', ['plan', 'charactersSent'], -1, /plan\.charactersSent/],
  ])('refuses %s, naming the field', (_what, path, value, error) => {
    expect(() => parsePlanFile(damaged(path, value), 's3://b/plan.json', 'r1')).toThrow(error);
  });

  it("refuses another run's plan", () => {
    expect(() => parsePlanFile(file, 's3://b/plan.json', 'r2')).toThrow(/plan of run r1, expected r2/);
  });
});
