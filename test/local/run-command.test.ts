import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../local/run/repo';
import { runCli } from '../cli/helpers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'amts-run-cmd-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('amts run: arguments', () => {
  it.each([
    [['--local', '--book', 'examples'], /--pair is required/],
    [['--local', '--pair', 'en-zh'], /--book is required/],
    [['--local', '--aws', '--pair', 'en-zh', '--book', 'x'], /not both/],
    [['--pair', 'english-chinese', '--book', 'x'], /not an Amazon Translate language code|expected SRC-TGT/],
    [['--pair', 'en-en', '--book', 'x'], /both "en"/],
    [['--pair', 'en-zh', '--book', 'x', '--input', '{not json'], /not valid JSON/],
    [
      ['--pair', 'en-zh', '--book', 'x', '--input', 'no-such-file.json'],
      /neither inline JSON nor an existing file/,
    ],
    [['--pair', 'en-zh', '--book', 'x', '--delay-ms', '-5'], /--delay-ms/],
    [['--pair', 'en-zh', '--book', 'x', 'extra'], /unexpected argument/],
    [['--pair', 'en-zh', '--book', 'x', '--trigger', 'cron'], /expected console or events/],
    [['--pair', 'en-zh', '--book', 'x', '--trigger', 'events', '--input', '{}'], /exclude each other/],
    [
      ['--pair', 'en-zh', '--book', 'x', '--faults', '["jobFails"]'],
      /neither inline JSON|expected a JSON object/,
    ],
    [
      ['--pair', 'en-zh', '--book', 'x', '--faults', '{"documentsFail":"x"}'],
      /--faults\.documentsFail: Expected array, received string/,
    ],
    [['--pair', 'en-zh', '--book', 'x', '--faults', '{"jobsFail":true}'], /Unrecognized key.*jobsFail/],
    [
      ['--aws', '--pair', 'en-zh', '--book', 'x', '--faults', '{"jobFails":true}'],
      /only applies to the local/,
    ],
    [['--pair', 'en-zh', '--book', 'x', '--frobnicate'], /Unknown option/],
  ])('rejects %j with exit 2', async (argv, message) => {
    const r = await runCli('run', ...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('fails with exit 1 and a clear message for a book folder without source/en', async () => {
    mkdirSync(join(dir, 'empty-book'), { recursive: true });
    const r = await runCli('run', '--local', '--pair', 'en-zh', '--book', join(dir, 'empty-book'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/InvalidInputError: .*expected source\/en\//);
  });
});

describe('amts run --local (end to end through the CLI)', () => {
  it('syncs a book, writes translated/ and reports/ into --out, and prints the report path last', async () => {
    const book = join(dir, 'book');
    cpSync(join(REPO_ROOT, 'examples', 'source'), join(book, 'source'), { recursive: true });
    cpSync(join(REPO_ROOT, 'examples', 'reference'), join(book, 'reference'), { recursive: true });
    const out = join(dir, 'out');

    const r = await runCli(
      'run',
      '--local',
      '--pair',
      'en-zh',
      '--book',
      book,
      '--out',
      out,
      '--delay-ms',
      '20',
    );

    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const reportPath = lines.at(-1) ?? '';
    expect(reportPath).toMatch(new RegExp(`^${out}/reports/en-zh/.+\\.json$`));
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report).toMatchObject({ status: 'SUCCEEDED', pair: 'en-zh' });
    expect(existsSync(join(out, 'translated/zh/chapter_computer-vision/rcnn.md'))).toBe(true);
    expect(existsSync(join(book, 'translated'))).toBe(false);
    expect(existsSync(join(out, '.amts', 's3'))).toBe(true);
    // Progress: each state, the job status while polling, the summary. Which statuses a poll sees
    // before COMPLETED depends on the machine's speed, so only the last one is asserted (the
    // emulator's SUBMITTED → IN_PROGRESS → COMPLETED order is tested with a fake clock).
    expect(r.stdout).toMatch(/▶ Plan\n✓ Plan \(\d+ ms\)/);
    expect(r.stdout).toMatch(/Check Translation Job .*status=COMPLETED/);
    expect(r.stdout).toMatch(/Characters sent: \d+, estimated cost: \$\d/);
    expect(r.stdout).toMatch(/BLEU \d+\.\d+ chrF \d+\.\d+/);

    // A second run against the same data folder sees the first: nothing to send.
    const again = await runCli('run', '--local', '--pair', 'en-zh', '--book', book, '--out', out);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Characters sent: 0,/);
    expect(again.stdout).toMatch(/Job: none/);
  });

  it('injects emulator faults from --faults: a FAILED job fails the run with TranslationJobFailedError', async () => {
    const book = join(dir, 'book-faults');
    cpSync(join(REPO_ROOT, 'examples', 'source'), join(book, 'source'), { recursive: true });
    const r = await runCli(
      'run',
      '--local',
      '--pair',
      'en-zh',
      '--book',
      book,
      '--faults',
      '{"jobFails":"boom"}',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/execution FAILED: TranslationJobFailedError: .*boom/);
  });

  it('exits 1 when the execution fails (an unknown input field), still printing the failure report path', async () => {
    const book = join(dir, 'book-bad');
    cpSync(join(REPO_ROOT, 'examples', 'source'), join(book, 'source'), { recursive: true });
    const r = await runCli('run', '--local', '--pair', 'en-zh', '--book', book, '--input', '{"bogus":true}');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/execution FAILED: InvalidInputError/);
    const last = r.stdout.trimEnd().split('\n').at(-1) ?? '';
    expect(JSON.parse(readFileSync(last, 'utf8'))).toMatchObject({ status: 'FAILED' });
  });
});

describe('amts demo', () => {
  it('refuses to replace a folder it did not create', async () => {
    const foreign = join(dir, 'precious');
    mkdirSync(foreign, { recursive: true });
    writeFileSync(join(foreign, 'thesis.md'), 'do not delete');
    const r = await runCli('demo', '--out', foreign);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to replace/);
    expect(readFileSync(join(foreign, 'thesis.md'), 'utf8')).toBe('do not delete');
  });
});
