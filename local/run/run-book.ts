/**
 * One run of a book, what `amts run --local` does: check the book, take the data folder, start the
 * embedded services, upload what changed, run one execution (Ctrl-C / SIGTERM stop it: ABORTED), write
 * `translated/` and `reports/` back, print the summary, stop everything.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '../../lambdas/core/errors';
import { type LanguagePair, pairId } from '../../lambdas/core/workflow/names';
import type { EmulatorDelays, EmulatorFaults } from '../emulator';
import type { BookLocation } from './book-sync';
import { ignoreDataFolder, lockDataFolder } from './data-folder';
import { LocalEnvironment } from './environment';
import type { ExecutionOutcome, Timing } from './execution';
import { machineTranslatorLine, summaryLines } from './summary';
import { uploadEventBatch } from './upload-events';

export interface RunBookOptions extends BookLocation {
  pair: LanguagePair;
  /** Data folder (default `<out>/.amts`, out defaulting to book). */
  data?: string;
  /** Execution input (console JSON); default `{}`. */
  input?: unknown;
  /** Delete the data folder first (a first sync from scratch). */
  fresh?: boolean;
  aws?: boolean;
  delays?: EmulatorDelays;
  faults?: EmulatorFaults;
  timing?: Timing;
  /**
   * `console` (default): start with `input`. `events`: start with the batch of S3 "Object Created"
   * events the uploads of this run would produce on AWS (see uploadEventBatch); no upload, no run.
   */
  trigger?: 'console' | 'events';
  /** Progress lines (without newline). */
  log: (line: string) => void;
  /** Where SIGINT/SIGTERM come from (default: this process). */
  signals?: Pick<NodeJS.EventEmitter, 'once' | 'removeListener'>;
}

export interface RunBookResult {
  /** null when no execution was started (`trigger: 'events'` with nothing uploaded). */
  outcome: ExecutionOutcome | null;
  /** Local path of the report JSON, or null when the run wrote none. */
  reportPath: string | null;
  /** 0 SUCCEEDED, 1 FAILED, TIMED_OUT or PARTIAL (some documents failed), 130 ABORTED (Ctrl-C, SIGTERM). */
  exitCode: number;
}

/** Checks the book layout before anything starts. */
export function checkBook(where: BookLocation, pair: LanguagePair): void {
  const source = join(where.book, 'source', pair.source);
  if (!existsSync(where.book) || !statSync(where.book).isDirectory()) {
    throw new InvalidInputError(`${where.book}: no such book folder`);
  }
  if (!existsSync(source) || !statSync(source).isDirectory()) {
    throw new InvalidInputError(
      `${where.book}: expected source/${pair.source}/ with the ${pair.source} Markdown chapters (and reference/${pair.target}/ with their human translations)`,
    );
  }
}

/**
 * Starts the embedded services, uploads what changed, runs one execution, writes `translated/` and
 * `reports/` back, prints a summary and stops everything.
 */
export async function runBook(options: RunBookOptions): Promise<RunBookResult> {
  const { pair, log } = options;
  checkBook(options, pair);
  const out = options.out ?? options.book;
  const data = options.data ?? join(out, '.amts');
  if (options.fresh) rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  ignoreDataFolder(data);
  const release = await lockDataFolder(data, log);
  const t0 = Date.now();
  let env: LocalEnvironment | undefined;
  try {
    env = await LocalEnvironment.start({
      data,
      aws: options.aws,
      delays: options.delays,
      faults: options.faults,
      timing: options.timing,
    });
    log(
      options.aws
        ? `AMTS ${pairId(pair)} on AWS: bucket ${env.bucket}`
        : `AMTS ${pairId(pair)} locally: S3 ${env.localS3?.endpoint} (data ${data}), Translate emulator ${env.translate?.endpoint}`,
    );
    if (!options.aws) log(machineTranslatorLine(pair));
    const stale = await env.removeStaleLocks();
    for (const key of stale)
      log(`removed the stale run lock ${key} (its runner is gone: no execution of it is running)`);
    const up = await env.uploadBook(pair, options);
    log(
      `uploaded ${up.uploaded.length} changed file(s)${up.deleted.length ? `, deleted ${up.deleted.length}` : ''} from ${options.book}`,
    );
    let input = options.input ?? {};
    if (options.trigger === 'events') {
      const batch = uploadEventBatch(env.bucket, pair, up.uploaded);
      if (batch === null) {
        log('no Markdown uploaded under source/ or reference/: on AWS no event would start an execution');
        log('(no execution started)');
        return { outcome: null, reportPath: null, exitCode: 0 };
      }
      log(`triggered by ${batch.length} S3 "Object Created" event(s), as the EventBridge Pipe delivers them`);
      input = batch;
    }
    // Ctrl-C / SIGTERM stop the execution (ABORTED), which releases its lock, and the runner ends cleanly.
    const stop = new AbortController();
    const signals = options.signals ?? process;
    const onSignal = (signal: string) => {
      log(`${signal}: stopping the execution (ABORTED); its pair lock is released`);
      stop.abort();
    };
    signals.once('SIGINT', onSignal);
    signals.once('SIGTERM', onSignal);
    let outcome: ExecutionOutcome;
    try {
      outcome = await env.execute(pair, input, { log, signal: stop.signal });
    } finally {
      signals.removeListener('SIGINT', onSignal);
      signals.removeListener('SIGTERM', onSignal);
    }
    const down = await env.downloadResults(pair, options, { runId: outcome.runId });
    const reportPath = outcome.report ? join(out, ...outcome.reportKey.split('/')) : null;
    for (const line of summaryLines(outcome, out, down, Date.now() - t0)) log(line);
    const failedDocs = outcome.report?.documents.filter((d) => d.status === 'failed').length ?? 0;
    const exitCode =
      outcome.status === 'ABORTED'
        ? 130
        : outcome.status !== 'SUCCEEDED' || outcome.report?.status === 'FAILED' || failedDocs > 0
          ? 1
          : 0;
    return { outcome, reportPath, exitCode };
  } finally {
    await env?.stop();
    release();
  }
}
