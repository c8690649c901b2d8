import { describe, expect, it } from 'vitest';
import type { ExecutionOutcome } from '../../local/run/execution';
import { reportSummaryLines, summaryLines } from '../../local/run/summary';
import { reviewFixture } from '../helpers/review-fixture';

describe('the terminal summary of a run report', () => {
  it('reports what a run did, scores rounded to two decimals, "no reference" only where there is none', () => {
    const lines = reportSummaryLines(reviewFixture());
    expect(lines).toContain('Characters sent: 421, estimated cost: $0.0300');
    const rnn = lines.find((l) => l.includes('chapter_rnn/rnn.md')) as string;
    expect(rnn).toContain('BLEU 100.00 chrF 88.12');
    expect(rnn).toContain('3 to review');
    expect(lines.find((l) => l.includes('chapter_intro/index.md'))).toContain('not scored (unchanged)');
    expect(lines.find((l) => l.includes('chapter_cnn/conv layer.md'))).toContain('no reference');
    expect(lines.join('\n')).not.toContain('DRY RUN');
    expect(lines.find((l) => l.startsWith('Units:'))).toContain('1 stale, 1 conflicts');
  });

  it('names a dry run as one: DRY RUN, "would", no job', () => {
    const lines = reportSummaryLines(reviewFixture({ dryRun: true, job: null, parallelData: null }));
    expect(lines[0]).toMatch(/^DRY RUN: nothing was sent/);
    expect(lines).toContain('Characters that would be sent: 421, estimated cost: $0.0300');
    expect(lines).toContain('Job: none started (dry run)');
    expect(lines.find((l) => l.startsWith('Documents:'))).toContain('2 to translate, 1 unchanged');
    expect(lines.some((l) => l.startsWith('Characters sent'))).toBe(false);
    expect(lines.find((l) => l.includes('chapter_rnn/rnn.md'))).toContain('would send 321 chars');
  });

  it('shows an evaluation with and without parallel data: both job ids, scores and characters', () => {
    const base = reviewFixture();
    const lines = reportSummaryLines({
      ...base,
      mode: 'evaluate',
      charactersSent: 842,
      documents: base.documents.map((d) =>
        d.scores ? { ...d, scoresWithoutParallelData: { ...d.scores, bleu: 40.126, chrf: 50 } } : d,
      ),
      comparison: {
        documents: 1,
        note: 'unweighted mean of the document scores',
        withParallelData: { jobId: 'job-act', bleu: 100.00000000000004, chrf: 88.1, charactersSent: 421 },
        withoutParallelData: { jobId: 'job-plain', bleu: 40.13, chrf: 50, charactersSent: 421 },
        output: 's3://b/reports/en-zh/r/evaluate-without-parallel-data/',
      },
    });
    expect(lines).toContain(
      'With parallel data   : job job-act, BLEU 100.00 chrF 88.10, sent 421 chars (mean of 1 document(s))',
    );
    expect(lines).toContain(
      'Without parallel data: job job-plain, BLEU 40.13 chrF 50.00, sent 421 chars (mean of 1 document(s))',
    );
    expect(lines.find((l) => l.includes('chapter_rnn/rnn.md'))).toContain(
      'without parallel data: BLEU 40.13 chrF 50.00',
    );
  });

  it('says why a run has no report, and ends with "(no report written)" instead of its path', () => {
    const outcome: ExecutionOutcome = {
      executionName: 'en-zh-20261202T184402-681b7809',
      runId: '20261202T184403Z-en-zh-20261202T184402-681b7809',
      status: 'SUCCEEDED',
      report: null,
      reportMissing: 'no object at reports/en-zh/r.json; the execution ended SUCCEEDED after Run Succeeded',
      reportKey: 'reports/en-zh/r.json',
      states: ['Start Run', 'Run Succeeded'],
      ms: 10,
    };
    const lines = summaryLines(outcome, '/book', { uploaded: [], deleted: [], downloaded: [] }, 10);
    expect(lines).toContain(
      'No report: no object at reports/en-zh/r.json; the execution ended SUCCEEDED after Run Succeeded',
    );
    expect(lines.at(-1)).toBe('(no report written)');
  });
});
