import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptySyncState, serializeSyncState } from '../../lambdas/core/sync/api';
import { type Book, syncRun } from '../core/sync/helpers';
import { runCli } from './helpers';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'corpus', 'd2l');
const CHAPTERS = [
  'chapter_convolutional-modern/nin.md',
  'chapter_optimization/sgd.md',
  'chapter_computer-vision/rcnn.md',
];

let dir: string;

/** A book folder with three English chapters and the zh reference of one of them. */
function makeBook(): void {
  for (const c of CHAPTERS) {
    mkdirSync(dirname(join(dir, 'source/en', c)), { recursive: true });
    cpSync(join(FIXTURES, 'en', c), join(dir, 'source/en', c));
  }
  mkdirSync(join(dir, 'reference/zh/chapter_convolutional-modern'), { recursive: true });
  cpSync(join(FIXTURES, 'zh', CHAPTERS[0] as string), join(dir, 'reference/zh', CHAPTERS[0] as string));
}

/** Runs a sync in memory and writes its outputs where a local run leaves them. */
function syncFolder(): void {
  const book: Book = {
    source: new Map(CHAPTERS.map((c) => [c, readFileSync(join(dir, 'source/en', c), 'utf8')])),
    translated: new Map(),
  };
  const { state } = syncRun(book, emptySyncState('en-zh'), 'r1');
  for (const [path, md] of book.translated) {
    mkdirSync(dirname(join(dir, 'translated/zh', path)), { recursive: true });
    writeFileSync(join(dir, 'translated/zh', path), md);
  }
  mkdirSync(join(dir, '.amts/state/en-zh'), { recursive: true });
  writeFileSync(join(dir, '.amts/state/en-zh/sync-state.json'), serializeSyncState(state));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'amts-estimate-'));
  makeBook();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('amts estimate', () => {
  it.each([
    [['--book', 'x'], /--pair is required/],
    [['--pair', 'en-zh'], /--book is required/],
    [['--pair', 'english', '--book', 'x'], /expected <src>-<tgt>/],
    [['--pair', 'en-zh', '--book', '/nonexistent/book'], /source\/en: no such folder/],
    [['--pair', 'en-zh', '--book', 'x', 'extra'], /unexpected argument extra/],
  ])('rejects %j with a usage error', async (args, message) => {
    const { code, stderr } = await runCli('estimate', ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('fails clearly on a corrupt sync state', async () => {
    mkdirSync(join(dir, '.amts/state/en-zh'), { recursive: true });
    writeFileSync(join(dir, '.amts/state/en-zh/sync-state.json'), '{"version":1');
    const { code, stderr } = await runCli('estimate', '--pair', 'en-zh', '--book', dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/sync-state.json: corrupt sync state, not JSON/);
  });

  it('plans a first run: everything without a reference is sent, priced standard and ACT', async () => {
    const { code, stdout } = await runCli('estimate', '--pair', 'en-zh', '--book', dir, '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ pair: 'en-zh', dryRun: true, state: null, needsJob: true });
    expect(out.charactersSent).toBeGreaterThan(10_000);
    expect(out.cost.act.usd).toBeCloseTo(Math.ceil((out.charactersSent * 60) / 10_000) / 100, 5);
    expect(out.estimatedCostUsd).toBe(out.cost.act.usd);
    const nin = out.documents.find((d: { path: string }) => d.path === CHAPTERS[0]);
    expect(nin.units.fromReference).toBeGreaterThan(nin.units.machineTranslated);
    // Nothing was written by an estimate.
    expect(() => readFileSync(join(dir, 'translated/zh', CHAPTERS[0] as string))).toThrow();
  });

  it('says no job is needed and $0.00 after a sync with no change since', async () => {
    syncFolder();
    const { code, stdout } = await runCli('estimate', '--pair', 'en-zh', '--book', dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/sync state: .*\.amts\/state\/en-zh\/sync-state.json/);
    expect(stdout).toMatch(/characters to send: 0 \(0 document\(s\)\); no translation job needed/);
    expect(stdout).toMatch(/standard \$0.00 .* ACT \$0.00/);
  });

  it('counts only the edited paragraph after a one-paragraph edit, and reads --data', async () => {
    syncFolder();
    cpSync(join(dir, '.amts'), join(dir, 'elsewhere'), { recursive: true });
    rmSync(join(dir, '.amts'), { recursive: true });
    const file = join(dir, 'source/en', CHAPTERS[1] as string);
    const md = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      md.replace('In deep learning, the objective function', 'In deep learning, the loss function'),
    );
    const { code, stdout } = await runCli(
      'estimate',
      '--pair',
      'en-zh',
      '--book',
      dir,
      '--data',
      join(dir, 'elsewhere'),
      '--json',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const sgd = out.documents.find((d: { path: string }) => d.path === CHAPTERS[1]);
    expect(sgd.units.machineTranslated).toBe(1);
    expect(out.charactersSent).toBe(sgd.charactersSent);
    expect(out.charactersSent).toBeLessThan(1000);
  });

  it('counts only the edited sentence by default, the whole paragraph with --whole-units', async () => {
    syncFolder();
    const file = join(dir, 'source/en', CHAPTERS[1] as string);
    const md = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      md.replace('In deep learning, the objective function', 'In deep learning, the loss function'),
    );
    const whole = JSON.parse(
      (await runCli('estimate', '--pair', 'en-zh', '--book', dir, '--json', '--whole-units')).stdout,
    );
    const { code, stdout } = await runCli('estimate', '--pair', 'en-zh', '--book', dir, '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.charactersSent).toBeGreaterThan(0);
    expect(out.charactersSent).toBeLessThan(whole.charactersSent);
  });

  it('reports a deleted chapter as orphaned', async () => {
    syncFolder();
    rmSync(join(dir, 'source/en', CHAPTERS[2] as string));
    const { stdout } = await runCli('estimate', '--pair', 'en-zh', '--book', dir, '--json');
    const out = JSON.parse(stdout);
    expect(out.documents.find((d: { path: string }) => d.path === CHAPTERS[2])).toMatchObject({
      status: 'orphaned',
    });
    expect(out.charactersSent).toBe(0);
  });
});
