/**
 * End-to-end harness: one LocalEnvironment (embedded S3 + Translate emulator + real handlers) per
 * test file, reset between cases; each case works on its own copy of the example book.
 */

import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { EmulatorDelays, EmulatorFaults } from '../../local/emulator';
import type { SyncSummary } from '../../local/run/book-sync';
import { LocalEnvironment } from '../../local/run/environment';
import type { ExecutionOutcome } from '../../local/run/execution';
import { REPO_ROOT } from '../../local/run/repo';
import { summaryLines } from '../../local/run/summary';

export const PAIR = { source: 'en', target: 'zh' } as const;
export const EXAMPLES = join(REPO_ROOT, 'examples');
export const RCNN = 'chapter_computer-vision/rcnn.md';
export const NIN = 'chapter_convolutional-modern/nin.md';
export const INDEX = 'chapter_recurrent-neural-networks/index.md';
export const APPROX = 'chapter_natural-language-processing-pretraining/approx-training.md';
export const ALL_DOCUMENTS = [RCNN, NIN, APPROX, INDEX].sort();

export interface Harness {
  env: LocalEnvironment;
  root: string;
  stop(): Promise<void>;
}

export async function startHarness(
  options: {
    delays?: EmulatorDelays;
    faults?: EmulatorFaults;
    earlierRunWaitMs?: number;
    /** Milliseconds of each "Wait For Translation Job" (0 by default; a delayed job needs fewer checks). */
    jobWaitMs?: number;
  } = {},
): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'amts-wf-'));
  const env = await LocalEnvironment.start({
    data: join(root, 'data'),
    delays: options.delays,
    faults: options.faults,
    timing: {
      waitMs: {
        'Wait For Earlier Run': options.earlierRunWaitMs ?? 20,
        ...(options.jobWaitMs !== undefined ? { 'Wait For Translation Job': options.jobWaitMs } : {}),
      },
    },
  });
  return {
    env,
    root,
    async stop() {
      await env.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * One harness for the test file: started before its tests, stopped after them (temporary folder
 * removed). Returns a handle to use inside tests and later hooks; hooks the file registers after this
 * call run after the harness started.
 */
export function useHarness(options: Parameters<typeof startHarness>[0] = {}): Harness {
  let started: Harness | undefined;
  const get = (): Harness => {
    if (!started)
      throw new Error('the workflow harness is not started yet: use it inside a test or a later hook');
    return started;
  };
  beforeAll(async () => {
    started = await startHarness(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  return {
    get env() {
      return get().env;
    },
    get root() {
      return get().root;
    },
    stop: () => get().stop(),
  };
}

let books = 0;

/** A fresh copy of examples/ (source + reference only) under the harness root. */
export function copyExamples(h: Harness): string {
  const book = join(h.root, `book-${++books}`);
  cpSync(join(EXAMPLES, 'source'), join(book, 'source'), { recursive: true });
  cpSync(join(EXAMPLES, 'reference'), join(book, 'reference'), { recursive: true });
  return book;
}

export interface RunResult {
  outcome: ExecutionOutcome;
  uploaded: SyncSummary;
  downloaded: SyncSummary;
  lines: string[];
  /** Local path of the report JSON, or null. */
  reportPath: string | null;
}

/** What `amts run --local` does, on an already started environment. */
export async function runOnce(h: Harness, book: string, input: unknown = {}): Promise<RunResult> {
  const lines: string[] = [];
  const uploaded = await h.env.uploadBook(PAIR, { book });
  const outcome = await h.env.execute(PAIR, input, { log: (l) => lines.push(l) });
  const downloaded = await h.env.downloadResults(PAIR, { book }, { runId: outcome.runId });
  lines.push(...summaryLines(outcome, book, downloaded, outcome.ms));
  const reportPath = outcome.report ? join(book, ...outcome.reportKey.split('/')) : null;
  return { outcome, uploaded, downloaded, lines, reportPath };
}

export function translatedPath(book: string, doc: string): string {
  return join(book, 'translated', PAIR.target, ...doc.split('/'));
}

export function readTranslated(book: string, doc: string): string {
  return readFileSync(translatedPath(book, doc), 'utf8');
}

export function sourcePath(book: string, doc: string): string {
  return join(book, 'source', PAIR.source, ...doc.split('/'));
}

export function writeFile(path: string, text: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Every file under `dir`, as `/`-separated paths relative to it. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Number of emulator calls of `operation` since `from` (an index into `calls`). */
export function callsOf(h: Harness, operation: string, from = 0): number {
  return (h.env.translate?.calls ?? []).slice(from).filter((c) => c.operation === operation).length;
}
