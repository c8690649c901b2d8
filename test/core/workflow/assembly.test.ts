import { describe, expect, it } from 'vitest';
import type { DocumentReport } from '../../../lambdas/core/report';
import {
  assembleOne,
  assemblyStatus,
  deliveredCharacters,
  failedReport,
  finishAssembly,
  meanScore,
} from '../../../lambdas/core/workflow/assembly';
import {
  type AssemblyBatchResult,
  assemblyArtifacts,
  keyPrefixOf,
  parseAssemblyArtifact,
  unchangedReport,
} from '../../../lambdas/core/workflow/assembly-files';
import { batchInputs, batchSummary } from '../../../lambdas/core/workflow/batch';
import type { PlanFile } from '../../../lambdas/core/workflow/plan-file';
import { planFile } from '../../helpers/plan-file';

const pair = { source: 'en', target: 'zh' };

/** Prepare Batch's split: the manifest of the job inputs, then the assembly's artifacts. */
function artifacts(file: PlanFile) {
  const written = [...batchInputs(file, 'en', 'plan.json')].flatMap((i) =>
    i.kind === 'skipped' ? [] : [{ entry: i.entry, hash: i.hash }],
  );
  const { manifest } = batchSummary('r1', written, []);
  return { manifest, ...assemblyArtifacts(file, manifest) };
}

const DOCS = {
  'a.md': '# A\n\nFirst paragraph.\n',
  'b.md': '# B\n\nSecond paragraph.\n',
  'c.md': '# C\n\nThird paragraph.\n',
};

/** The job's identity "translation" of a document's batch input. */
const identity = (file: PlanFile, path: string) =>
  [...batchInputs(file, 'en', 'plan.json')].find((i) => i.kind !== 'skipped' && i.entry.path === path) as {
    html: string;
  };

const ctx = {
  pair,
  runId: 'r1',
  job: { jobId: 'job-1', status: 'COMPLETED' },
  evaluate: false,
  outPrefix: 'translated/zh/',
};

describe('assemblyArtifacts(): Prepare Batch splits the plan for the Distributed Map', () => {
  it('lists every document to assemble once, with its own input, and the rest in the summary', () => {
    const file = planFile(DOCS, [{ path: 'broken.md', error: 'EncodingError: broken.md: not UTF-8' }]);
    const { items, inputs, summary, manifest } = artifacts(file);
    expect(items).toEqual([
      { index: 0, path: 'a.md' },
      { index: 1, path: 'b.md' },
      { index: 2, path: 'c.md' },
    ]);
    expect(inputs.map((i) => [i.path, i.file, i.characters])).toEqual(
      manifest.documents.map((d) => [d.path, d.file, d.characters]),
    );
    expect(inputs[0]?.run).toEqual({ stateEtag: '"e1"', evaluate: false, sentenceLevel: true });
    expect(summary).toMatchObject({
      runId: 'r1',
      items: 3,
      order: ['a.md', 'b.md', 'c.md'],
      stateEtag: '"e1"',
    });
    expect(summary.reports.map((r) => [r.path, r.status])).toEqual([['broken.md', 'failed']]);
  });

  it('tells the batch why a document was left out of the job', () => {
    const file = planFile(DOCS);
    const written = [...batchInputs(file, 'en', 'plan.json')].flatMap((i) =>
      i.kind === 'skipped' || i.entry.path === 'b.md' ? [] : [{ entry: i.entry, hash: i.hash }],
    );
    const { manifest } = batchSummary('r1', written, [{ path: 'b.md', reason: 'too big' }]);
    const { inputs } = assemblyArtifacts(file, manifest);
    expect(inputs.find((i) => i.path === 'b.md')).toMatchObject({ skipped: 'too big' });
    expect(inputs.find((i) => i.path === 'b.md')).not.toHaveProperty('file');
  });
});

describe('assembleOne(): one document of a batch', () => {
  const file = planFile(DOCS);
  const { inputs } = artifacts(file);
  const a = inputs[0];
  if (!a) throw new Error('no input');

  it('merges the job output into the document and gives the state to commit', () => {
    const out = assembleOne(ctx, a, identity(file, 'a.md').html, null);
    expect(out.report).toMatchObject({ path: 'a.md', status: 'translated', error: null });
    expect(out.markdown).toBe(DOCS['a.md']);
    expect(out.state).toBeTruthy();
    // Every unit this run's job translated is listed for review.
    expect(out.report.review?.length).toBeGreaterThan(0);
  });

  it.each([
    [
      'no output came back',
      null,
      /failed in the job: Amazon Translate returned no translation \(job job-1, COMPLETED/,
    ],
    ['the output has no text', '<html><body></body></html>', /UnusableTranslationError: .*without text/],
    ['the output is not HTML of the document', 'plain words', /a\.md/],
  ])('fails the document alone when %s: nothing to write, nothing counted', (_why, html, error) => {
    const out = assembleOne(ctx, a, html, null);
    expect(out.report.status).toBe('failed');
    expect(out.report.error).toMatch(error);
    expect(out.report.charactersSent).toBe(0);
    expect(out.report.units.machineTranslated).toBe(0);
    expect(out.markdown).toBeUndefined();
    expect(out.state).toBeUndefined();
  });

  it('reports a document left out of the job as not sent, with the reason', () => {
    const out = assembleOne(ctx, { ...a, skipped: 'it is too big' }, identity(file, 'a.md').html, null);
    expect(out.report).toMatchObject({ status: 'failed', error: 'not sent: it is too big' });
  });
});

describe('the run from its batches', () => {
  const file = planFile(DOCS, [{ path: 'broken.md', error: 'EncodingError: broken.md' }]);
  const { summary, inputs } = artifacts(file);
  const report = (path: string, status: DocumentReport['status'], charactersSent = 10): DocumentReport => ({
    ...unchangedReport(path),
    status,
    charactersSent,
  });
  const batch = (reports: DocumentReport[], delivered: number): AssemblyBatchResult => ({
    version: 1,
    runId: 'r1',
    reports,
    states: Object.fromEntries(reports.filter((r) => r.status !== 'failed').map((r) => [r.path, null])),
    delivered,
    compared: [],
    logged: true,
  });
  const parallelData = { name: 'amts-en-zh', pairs: 3, updated: false };
  const job = { jobId: 'job-1', status: 'COMPLETED' };

  it('adds the batches up in plan order, whatever order they finished in', () => {
    const done = finishAssembly({
      summary,
      results: [
        batch([report('c.md', 'translated')], 7),
        batch([report('a.md', 'translated'), report('b.md', 'failed', 0)], 5),
      ],
      job,
      parallelData,
      evaluate: null,
    });
    expect(done.documents.map((d) => d.path)).toEqual(['a.md', 'b.md', 'c.md', 'broken.md']);
    expect(done.status).toBe('PARTIAL');
    expect(done.charactersSent).toBe(12);
    expect([...done.states.keys()].sort()).toEqual(['a.md', 'c.md']);
  });

  it('refuses to finish when a batch left no result (a broken run, not a failed document)', () => {
    expect(() =>
      finishAssembly({
        summary,
        results: [batch([report('a.md', 'translated')], 1)],
        job,
        parallelData,
        evaluate: null,
      }),
    ).toThrow(/1 of 3 document\(s\) have a result/);
  });

  it('sends nothing and costs nothing without a job', () => {
    const results = [
      batch(
        inputs.map((i) => report(i.path, 'translated', 0)),
        0,
      ),
    ];
    const done = finishAssembly({ summary, results, job: null, parallelData, evaluate: null });
    expect(done).toMatchObject({ charactersSent: 0, estimatedCostUsd: 0 });
  });

  it.each([
    [['translated', 'unchanged'], false, 'SUCCEEDED'],
    [['translated', 'failed'], false, 'PARTIAL'],
    [['translated'], true, 'PARTIAL'],
    [['failed', 'unchanged'], false, 'FAILED'],
    [['unchanged'], false, 'SUCCEEDED'],
  ] as const)('documents %j, job partial %s: the run is %s', (statuses, partial, status) => {
    expect(
      assemblyStatus(
        statuses.map((s, i) => report(`${i}.md`, s)),
        partial,
      ),
    ).toBe(status);
  });

  it('counts the characters of delivered documents only; with a baseline job, each twice', () => {
    const reports = [report('a.md', 'translated'), report('b.md', 'failed', 0), report('c.md', 'translated')];
    const sent = [{ path: 'a.md', characters: 100 }, { path: 'b.md', characters: 50 }, { path: 'c.md' }];
    expect(
      deliveredCharacters(
        reports.map((r) => ({ ...r })),
        sent,
        false,
      ),
    ).toBe(100);
    const withBaseline = reports.map((r) => ({ ...r }));
    expect(deliveredCharacters(withBaseline, sent, true)).toBe(100);
    expect(withBaseline[0]).toMatchObject({ charactersSent: 200, charactersSentWithoutParallelData: 100 });
    expect(withBaseline[1]).toMatchObject({ charactersSent: 0 });
  });

  it('means scores unweighted, to two decimals, and has none for no document', () => {
    expect(
      meanScore(
        [
          { bleu: 10, chrf: 20 },
          { bleu: 15.555, chrf: 30 },
        ],
        'bleu',
      ),
    ).toBe(12.78);
    expect(meanScore([], 'chrf')).toBeNull();
  });

  it('a failed document keeps its planned units but counts no machine unit and no character', () => {
    const planned = {
      ...report('a.md', 'translated', 40),
      units: { ...unchangedReport('a.md').units, total: 3, machineTranslated: 3 },
    };
    expect(failedReport(planned, 'why')).toMatchObject({
      status: 'failed',
      charactersSent: 0,
      error: 'why',
      units: { total: 3, machineTranslated: 0 },
    });
  });
});

describe('artifacts read back from S3', () => {
  it.each([
    [null, /not an AMTS assembly artifact/],
    [{ version: 2, runId: 'r1' }, /not an AMTS assembly artifact/],
    [{ version: 1, runId: 'r0', reports: [] }, /of run r0, expected r1/],
    [{ version: 1, runId: 'r1' }, /no reports/],
  ])('refuses %j', (value, error) => {
    expect(() => parseAssemblyArtifact(value, 's3://book/x.json', 'r1', ['reports'])).toThrow(error);
  });

  it('finds a job output prefix inside the workflow bucket only', () => {
    expect(keyPrefixOf('s3://book/work/en-zh/r1/output/x/', 'book')).toBe('work/en-zh/r1/output/x/');
    expect(() => keyPrefixOf('s3://other/work/', 'book')).toThrow(/not in the workflow bucket book/);
  });
});
