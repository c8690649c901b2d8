import type { Nodes, Root, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import {
  type ComparisonReport,
  type DocumentReport,
  type DocumentScores,
  REVIEW_KINDS,
  ReviewItemSchema,
  type RunReport,
  RunReportSchema,
  renderReportMarkdown,
  WrittenRunReportSchema,
} from '../../lambdas/core/report';

const doc = (over: Partial<DocumentReport> = {}): DocumentReport => ({
  path: 'chapter_rnn/rnn.md',
  status: 'translated',
  charactersSent: 1234,
  units: {
    total: 40,
    reused: 30,
    fromReference: 5,
    postEditsKept: 1,
    machineTranslated: 4,
    stale: 0,
    fuzzy: 0,
    conflicts: 0,
  },
  scores: {
    bleu: 63.912,
    chrf: 55.1049,
    pairedUnits: 38,
    signature: 'nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0',
  },
  warnings: [],
  error: null,
  ...over,
});

// The docs/architecture.md "Run report" example, field for field: the type must accept it as is.
const report = (over: Partial<RunReport> = {}): RunReport =>
  ({
    runId: 'run-2026-11-21T12-00-00Z',
    pair: 'en-zh',
    status: 'SUCCEEDED',
    startedAt: '2026-11-21T12:00:00.000Z',
    finishedAt: '2026-11-21T12:05:00.000Z',
    parallelData: { name: 'amts-en-zh', pairs: 1234, updated: true },
    job: { jobId: 'job-123', status: 'COMPLETED' },
    charactersSent: 1234,
    estimatedCostUsd: 0.07,
    documents: [doc()],
    ...over,
  }) satisfies RunReport;

function parse(md: string): Root {
  return fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

function tables(md: string): Table[] {
  return parse(md).children.filter((n): n is Table => n.type === 'table');
}

/** The plain text of a node (text, inline code, …), like mdast-util-to-string. */
function mdToString(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  return 'children' in node ? (node.children as Nodes[]).map(mdToString).join('') : '';
}

/** Raw HTML other than the `<br>` line breaks the renderer writes itself. */
function hasHtml(node: Nodes): boolean {
  if (node.type === 'html') return node.value !== '<br>';
  return 'children' in node && (node.children as Nodes[]).some(hasHtml);
}

function rows(table: Table): string[][] {
  return table.children.map((r) => r.children.map((c) => mdToString(c)));
}

describe('renderReportMarkdown()', () => {
  it('renders the header: run id, pair, status, times, job, parallel data, characters, cost', () => {
    const md = renderReportMarkdown(report());
    expect(md.startsWith('# AMTS run run-2026-11-21T12-00-00Z\n')).toBe(true);
    const header = rows(tables(md)[0] as Table);
    expect(Object.fromEntries(header.slice(1).map(([k, v]) => [k, v]))).toEqual({
      Pair: 'en-zh',
      Status: 'SUCCEEDED',
      Started: '2026-11-21T12:00:00.000Z',
      Finished: '2026-11-21T12:05:00.000Z',
      'Translation job': 'job-123 (COMPLETED)',
      'Parallel data': 'amts-en-zh: 1,234 pairs, updated',
      'Characters sent': '1,234',
      'Estimated cost': '$0.07',
      Documents: '1',
    });
  });

  it('renders one row per document: status, BLEU, chrF, paired units, characters, unit origins, warnings', () => {
    const md = renderReportMarkdown(report());
    const t = rows(tables(md)[1] as Table);
    expect(t[0]).toEqual([
      'Document',
      'Status',
      'BLEU',
      'chrF',
      'Paired',
      'Characters sent',
      'Units',
      'Reused',
      'From reference',
      'Post-edits kept',
      'Machine-translated',
      'Warnings',
    ]);
    expect(t[1]).toEqual([
      'chapter_rnn/rnn.md',
      'translated',
      '63.91',
      '55.10',
      '38',
      '1,234',
      '40',
      '30',
      '5',
      '1',
      '4',
      '0',
    ]);
    expect(md).toContain('BLEU signature: `nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0`');
  });

  it('shows a dash for documents without a reference and notes unpaired units', () => {
    const md = renderReportMarkdown(
      report({
        documents: [
          doc({ scores: null, status: 'unchanged' }),
          doc({
            path: 'b.md',
            scores: { ...(doc().scores as NonNullable<DocumentReport['scores']>), unpairedUnits: 2 },
          }),
        ],
      }),
    );
    const t = rows(tables(md)[1] as Table);
    expect(t[1]?.slice(1, 5)).toEqual(['unchanged', '–', '–', '–']);
    expect(t[2]?.[4]).toBe('38 (+2 unpaired)');
  });

  it('says when no job was needed, there is no parallel data and no document', () => {
    const md = renderReportMarkdown(
      report({ job: null, parallelData: null, documents: [], estimatedCostUsd: 0 }),
    );
    const header = Object.fromEntries(rows(tables(md)[0] as Table).map(([k, v]) => [k, v]));
    expect(header['Translation job']).toBe('none needed');
    expect(header['Parallel data']).toBe('none');
    expect(header['Estimated cost']).toBe('$0.00');
    expect(md).toContain('No documents.');
    expect(tables(md)).toHaveLength(1);
  });

  it('lists every warning and error under their document, and run-level ones', () => {
    const md = renderReportMarkdown(
      report({
        status: 'PARTIAL',
        warnings: ['parallel data skipped 3 fields over 1000 bytes'],
        documents: [
          doc({ warnings: ['unit u3: 2 unpaired sentences', 'unit u9: protected span moved'] }),
          doc({
            path: 'x.md',
            status: 'failed',
            error: 'ProtectedContentError: u4 lost `$x$`',
            scores: null,
          }),
        ],
      }),
    );
    const section = md.slice(md.indexOf('## Warnings and errors'));
    expect(section).toContain('- parallel data skipped 3 fields over 1000 bytes');
    expect(section).toContain('- `chapter_rnn/rnn.md`: unit u3: 2 unpaired sentences');
    expect(section).toContain('- `chapter_rnn/rnn.md`: unit u9: protected span moved');
    expect(section).toContain('- `x.md` **error**: ProtectedContentError: u4 lost `$x$`');
    expect(rows(tables(md)[1] as Table)[1]?.[11]).toBe('2');
  });

  it('omits the warnings section when there is nothing to say', () => {
    expect(renderReportMarkdown(report())).not.toContain('## Warnings and errors');
  });

  it('shows a failed run’s error and a dry run', () => {
    const md = renderReportMarkdown(
      report({
        status: 'FAILED',
        error: { name: 'TranslationJobFailedError', message: 'job FAILED' },
        dryRun: true,
      }),
    );
    expect(md).toContain('## Error');
    expect(md).toContain('**TranslationJobFailedError**: job FAILED');
    expect(md).toContain('**FAILED** (dry run)');
  });

  it('keeps the table intact whatever the path, status or warning text contains', () => {
    const hostile = 'a|b`c``d\ne<script>|.md';
    const md = renderReportMarkdown(
      report({
        runId: 'run|<b>x</b>\n# not a heading',
        documents: [doc({ path: hostile, warnings: ['line1\nline2 | <img src=x>'] })],
      }),
    );
    const [header, docs] = tables(md);
    expect(parse(md).children[0]).toMatchObject({ type: 'heading', depth: 1 });
    expect(parse(md).children.filter((n) => n.type === 'heading' && n.depth === 1)).toHaveLength(1);
    expect(rows(header as Table).every((r) => r.length === 2)).toBe(true);
    const cells = rows(docs as Table);
    expect(cells).toHaveLength(2);
    expect(cells[1]).toHaveLength(12);
    expect(cells[1]?.[0]).toBe('a|b`c``d e<script>|.md');
    expect(hasHtml(parse(md))).toBe(false);
    expect(md).not.toContain('<img');
  });

  it('renders a large report (1,000 documents) with one row each', () => {
    const documents = Array.from({ length: 1000 }, (_, i) => doc({ path: `ch/${i}.md` }));
    const md = renderReportMarkdown(report({ documents }));
    expect(rows(tables(md)[1] as Table)).toHaveLength(1001);
  });

  it('is deterministic', () => {
    expect(renderReportMarkdown(report())).toBe(renderReportMarkdown(report()));
  });

  it('formats tiny costs with four decimals', () => {
    const header = Object.fromEntries(
      rows(tables(renderReportMarkdown(report({ estimatedCostUsd: 0.0042 })))[0] as Table),
    );
    expect(header['Estimated cost']).toBe('$0.0042');
  });
});

describe('the report schema (what a reader of reports/<pair>/<runId>.json may rely on)', () => {
  const item = {
    unitId: 'u3',
    kind: 'stale',
    reason: 'the English changed since the reference was written',
    line: 12,
    source: 'New English.',
    translation: '新的机器译文。',
    previousSource: 'Old English.',
    previousHuman: '旧的人工译文。',
  };
  const comparison = (): ComparisonReport => ({
    documents: 1,
    note: 'the same input, one job with the parallel data and one without',
    withParallelData: { jobId: 'job-1', bleu: 63.91, chrf: 55.1, charactersSent: 1234 },
    withoutParallelData: { jobId: 'job-2', bleu: null, chrf: null },
    output: 's3://book/reports/en-zh/run/without-parallel-data/',
  });

  it('reads a report written before the review fields existed: counts default to 0, review to []', () => {
    const parsed = RunReportSchema.parse(report());
    const d = parsed.documents[0];
    expect(d?.units).toMatchObject({ stale: 0, fuzzy: 0, conflicts: 0 });
    expect(d?.review).toEqual([]);
  });

  it('keeps extra fields it does not know (reports gain fields, never lose them)', () => {
    const parsed = RunReportSchema.parse({ ...report(), somethingNew: 1 });
    expect(parsed).toMatchObject({ somethingNew: 1 });
  });

  it('keeps them at any depth: in a document, its units, scores and review, the job and the comparison', () => {
    const newer = report({
      job: { jobId: 'job-123', status: 'COMPLETED', newJobField: 'j' } as RunReport['job'],
      comparison: { ...comparison(), newComparisonField: 'c' } as RunReport['comparison'],
      documents: [
        {
          ...doc(),
          units: { ...doc().units, newUnitField: 1 },
          scores: { ...doc().scores, newScoreField: 2 },
          review: [{ ...item, kind: 'stale', newReviewField: 3 }],
          newDocumentField: 4,
        } as unknown as DocumentReport,
      ],
    });
    expect(RunReportSchema.parse(newer)).toEqual(newer);
  });

  it('describes every field this version writes: a report with each optional field is a written report', () => {
    const full = report({
      warnings: ['w'],
      error: { name: 'TranslateJobFailedError', message: 'job failed' },
      dryRun: false,
      mode: 'evaluate',
      evaluationOutput: 's3://book/reports/en-zh/run/evaluate/',
      comparison: comparison(),
      trigger: 's3-events',
      changedDocuments: ['chapter_rnn/rnn.md'],
      documents: [
        doc({
          review: [{ ...item, kind: 'stale' }],
          scores: {
            ...(doc().scores as DocumentScores),
            unpairedUnits: 2,
            chrfSignature: 'nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0',
          },
          scoresWithoutParallelData: null,
          charactersSentWithoutParallelData: 617,
        }),
      ],
    });
    expect(WrittenRunReportSchema.parse(full)).toEqual(full);
  });

  it.each([
    ['the report', (r: Record<string, unknown>) => Object.assign(r, { charactersSnet: 1 })],
    [
      'a document',
      (r: Record<string, unknown>) => Object.assign((r.documents as object[])[0] as object, { stauts: 'x' }),
    ],
    ['the job', (r: Record<string, unknown>) => Object.assign(r.job as object, { jobID: 'x' })],
  ])(
    'refuses, as a written report, a field it does not declare in %s (a misspelt field is not smuggled in)',
    (_where, misspell) => {
      const r = structuredClone(report()) as unknown as Record<string, unknown>;
      expect(WrittenRunReportSchema.safeParse(r).success).toBe(true);
      misspell(r);
      expect(WrittenRunReportSchema.safeParse(r).success).toBe(false);
      expect(RunReportSchema.safeParse(r).success).toBe(true);
    },
  );

  it.each([
    ['mode', { mode: 'fast' }],
    ['trigger', { trigger: 'cron' }],
    ['changedDocuments', { changedDocuments: 'a.md' }],
    ['comparison', { comparison: { documents: -1 } }],
  ])('rejects a report whose %s is not what the writers write', (_name, over) => {
    expect(RunReportSchema.safeParse({ ...report(), ...over }).success).toBe(false);
  });

  it('accepts every review kind and keeps the optional texts', () => {
    for (const kind of REVIEW_KINDS) {
      expect(ReviewItemSchema.parse({ ...item, kind })).toEqual({ ...item, kind });
    }
  });

  it.each([
    ['an unknown kind', { kind: 'guess' }],
    ['line 0 (lines are 1-based)', { line: 0 }],
    ['a fractional line', { line: 1.5 }],
    ['an empty unit id', { unitId: '' }],
    ['a missing translation', { translation: undefined }],
  ])('rejects a review item with %s', (_name, over) => {
    expect(ReviewItemSchema.safeParse({ ...item, ...over }).success).toBe(false);
  });

  it('rejects negative counts', () => {
    const bad = report({ documents: [doc({ units: { ...doc().units, stale: -1 } })] });
    expect(RunReportSchema.safeParse(bad).success).toBe(false);
  });
});

describe('renderReportMarkdown for an evaluation with compareWithoutParallelData', () => {
  const evaluated = report({
    mode: 'evaluate',
    evaluationOutput: 's3://book/reports/en-zh/run/evaluate/',
    charactersSent: 2468,
    documents: [
      doc({
        charactersSent: 2468,
        charactersSentWithoutParallelData: 1234,
        scores: { ...doc().scores, bleu: 100.00000000000004 } as DocumentReport['scores'],
        scoresWithoutParallelData: { ...doc().scores, bleu: 41.234 } as DocumentReport['scores'],
      }),
    ],
    comparison: {
      documents: 1,
      note: 'unweighted mean of the document scores',
      withParallelData: { jobId: 'job-act', bleu: 100.00000000000004, chrf: 55.1, charactersSent: 1234 },
      withoutParallelData: { jobId: 'job-plain', bleu: 41.23, chrf: 40.5, charactersSent: 1234 },
      output: 's3://book/reports/en-zh/run/evaluate-without-parallel-data/',
    },
  });
  const md = renderReportMarkdown(evaluated);

  it('names both jobs with their characters and scores, rounded for people', () => {
    const [, cmp] = tables(md).map((t) => rows(t));
    expect(cmp?.slice(1)).toEqual([
      ['with parallel data (ACT)', 'job-act', '1,234', '100.00', '55.10'],
      ['without parallel data', 'job-plain', '1,234', '41.23', '40.50'],
    ]);
    expect(md).not.toContain('100.00000000000004');
  });

  it('shows each document’s scores both ways; its characters add up to the run total', () => {
    const perDoc = tables(md).map((t) => rows(t))[2];
    expect(perDoc?.[1]).toEqual(['chapter_rnn/rnn.md', '100.00', '41.23', '55.10', '55.10', '2,468']);
  });

  it('says where the evaluation output is', () => {
    expect(md).toContain('s3://book/reports/en-zh/run/evaluate/');
  });
});

describe('renderReportMarkdown links the review page', () => {
  it('links <runId>.html beside the report, relative and URL-encoded', () => {
    const md = renderReportMarkdown(report({ runId: 'run 1' }));
    expect(md).toContain('[run 1.html](run%201.html)');
  });
});
