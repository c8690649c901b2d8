/**
 * The figures a person reads agree with each other, end to end through the CLI: `amts estimate`,
 * a dry run and the run itself name the same characters, document by document, on a first run and
 * after an English edit (issue 11). The terminal names a dry run as one, and the review page is
 * copied back beside the report.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParsedRunReport, type RunReport, WrittenRunReportSchema } from '../../lambdas/core/report';
import { REPO_ROOT } from '../../local/run/repo';
import { runCli } from '../cli/helpers';

let book: string;
beforeAll(() => {
  book = mkdtempSync(join(tmpdir(), 'amts-numbers-'));
  cpSync(join(REPO_ROOT, 'examples', 'source'), join(book, 'source'), { recursive: true });
  cpSync(join(REPO_ROOT, 'examples', 'reference'), join(book, 'reference'), { recursive: true });
});
afterAll(() => rmSync(book, { recursive: true, force: true }));

interface Figures {
  total: number;
  perDocument: Record<string, number>;
}

async function estimate(): Promise<Figures> {
  const r = await runCli('estimate', '--pair', 'en-zh', '--book', book, '--json');
  expect(r.code, r.stderr).toBe(0);
  const json = JSON.parse(r.stdout) as { charactersSent: number; documents: RunReport['documents'] };
  return {
    total: json.charactersSent,
    perDocument: Object.fromEntries(json.documents.map((d) => [d.path, d.charactersSent])),
  };
}

async function run(input: unknown): Promise<{ figures: Figures; stdout: string; report: ParsedRunReport }> {
  const r = await runCli(
    'run',
    '--local',
    '--pair',
    'en-zh',
    '--book',
    book,
    '--input',
    JSON.stringify(input),
  );
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const reportPath = r.stdout.trim().split('\n').at(-1) as string;
  // Every field the report holds is one the report schema declares (nothing smuggled past the types).
  const report = WrittenRunReportSchema.parse(JSON.parse(readFileSync(reportPath, 'utf8')));
  expect(existsSync(reportPath.replace(/\.json$/, '.html'))).toBe(true);
  return {
    stdout: r.stdout,
    report,
    figures: {
      total: report.charactersSent,
      perDocument: Object.fromEntries(report.documents.map((d) => [d.path, d.charactersSent])),
    },
  };
}

/** Estimate, dry run, run: the three must name the same characters, in total and per document. */
async function threeWays(): Promise<Figures> {
  const estimated = await estimate();
  const dry = await run({ dryRun: true });
  const real = await run({});
  expect(dry.figures).toEqual(estimated);
  expect(real.figures).toEqual(estimated);
  const sum = Object.values(real.figures.perDocument).reduce((n, c) => n + c, 0);
  expect(sum).toBe(real.figures.total);

  // The terminal: a dry run says so and says "would"; the run says what it sent.
  expect(dry.stdout).toContain('DRY RUN');
  expect(dry.stdout).toContain(`Characters that would be sent: ${estimated.total},`);
  expect(dry.stdout).not.toMatch(/^Characters sent:/m);
  expect(real.stdout).toContain(`Characters sent: ${estimated.total},`);
  expect(real.stdout).not.toContain('DRY RUN');
  for (const d of real.report.documents) {
    // "no reference" only for a document that has none.
    const line = real.stdout.split('\n').find((l) => l.includes(` ${d.path}  `)) as string;
    const hasReference = existsSync(join(book, 'reference', 'zh', d.path));
    if (hasReference) expect(line).not.toContain('no reference');
    else expect(line).toContain('no reference');
  }
  return estimated;
}

describe('estimate = dry run = run, to the character (amts run --local)', () => {
  it('on a first run of the example book', async () => {
    const first = await threeWays();
    expect(first.total).toBeGreaterThan(0);
    // The local data folder inside the book keeps itself out of git.
    expect(readFileSync(join(book, '.amts', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('after English edits: a new paragraph in a chapter with a reference, a new sentence in one without', async () => {
    const edit = (path: string, from: string, to: string) => {
      const file = join(book, 'source', 'en', path);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(from);
      writeFileSync(file, text.replace(from, to));
    };
    edit(
      'chapter_recurrent-neural-networks/index.md',
      'So far we encountered two types of data: tabular data and image data.',
      // A new paragraph: no human translation exists for it, so it is sent (with or without history).
      'A new paragraph about sequences, written after the translation was made.\n\nSo far we encountered two types of data: tabular data and image data.',
    );
    const rcnn = readFileSync(join(book, 'source', 'en', 'chapter_computer-vision', 'rcnn.md'), 'utf8');
    const firstSentence = /^[A-Z][^\n]*?\.(?= )/m.exec(rcnn)?.[0] as string;
    edit('chapter_computer-vision/rcnn.md', firstSentence, `${firstSentence} This sentence is new.`);
    // Reports are pruned by hand: a deleted report never comes back (each run copies only its own).
    rmSync(join(book, 'reports'), { recursive: true });
    const second = await threeWays();
    expect(readdirSync(join(book, 'reports', 'en-zh'))).toHaveLength(6); // two runs × JSON, Markdown, HTML
    expect(second.perDocument['chapter_recurrent-neural-networks/index.md']).toBeGreaterThan(0);
    expect(second.perDocument['chapter_computer-vision/rcnn.md']).toBeGreaterThan(0);
    // Only the edits are sent: a fraction of the book.
    expect(second.total).toBeLessThan(400);
  });

  it('an evaluation with compareWithoutParallelData: both jobs in the terminal, output copied back under reports/', async () => {
    const evaluation = await run({ mode: 'evaluate', compareWithoutParallelData: true });
    const { report, stdout } = evaluation;
    const cmp = report.comparison;
    expect(cmp?.withParallelData.jobId).toBeTruthy();
    expect(cmp?.withoutParallelData.jobId).toBeTruthy();
    expect(stdout).toContain(`With parallel data   : job ${cmp?.withParallelData.jobId}`);
    expect(stdout).toContain(`Without parallel data: job ${cmp?.withoutParallelData.jobId}`);
    const sum = report.documents.reduce((n, d) => n + d.charactersSent, 0);
    expect(sum).toBe(report.charactersSent);
    const runDir = join(book, 'reports', 'en-zh', report.runId);
    for (const d of report.documents.filter((x) => x.scores)) {
      expect(existsSync(join(runDir, 'evaluate', d.path))).toBe(true);
      expect(existsSync(join(runDir, 'evaluate-without-parallel-data', d.path))).toBe(true);
    }
    const md = readFileSync(join(book, 'reports', 'en-zh', `${report.runId}.md`), 'utf8');
    expect(md).toContain(cmp?.withoutParallelData.jobId);
  });
});
