/**
 * The local runner (docs/architecture.md "Local runner"): runs `statemachine/workflow.asl.json` itself
 * with aws-local-stepfunctions, each Task calling the real Lambda handler in-process, against an
 * embedded S3 (s3rver) and the offline Translate emulator. Handlers reach those servers only through
 * the same environment variables they read on AWS (endpoints, bucket, role): there is no test-only
 * branch anywhere in lambdas/.
 *
 * With `aws: true` the same runner uses real S3 and Amazon Translate through the default credential
 * chain (documented, not tested offline).
 */

import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sha256 } from '../lambdas/core/hash';
import { causeMessage } from '../lambdas/core/workflow/step-error';
import { apertiumTranslator } from './emulator/apertium';
import './polyfills';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
} from 'aws-local-stepfunctions';

import {
  substitutePlaceholders,
  WORKFLOW_ASL_PATH,
  WORKFLOW_TASKS,
  WORKFLOW_WAITS,
  workflowSubstitutions,
} from '../infra/workflow-placeholders';
import { resetServices } from '../lambdas/aws/services';
import { AmtsError, InvalidInputError } from '../lambdas/core/errors';
import type { RunReport } from '../lambdas/core/report';
import { partitionKeys, type RejectedKey } from '../lambdas/core/workflow/keys';
import { type LanguagePair, pairId, reportKey, runIdFor } from '../lambdas/core/workflow/names';
import {
  type EmulatorDelays,
  type EmulatorFaults,
  startTranslateEmulator,
  type TranslateEmulator,
} from './emulator';
import { parseFaults } from './faults';
import { type Definition, distributedMapHandlers, inlineDistributedMaps } from './run/distributed-map';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from './s3-server';
import { localPathFor } from './safe-paths';
import { reportSummaryLines } from './summary';

type Execution = ReturnType<StateMachine['run']>;
type EventLog = Execution extends { eventLogs: AsyncGenerator<infer E> } ? E : never;
type RunOptions = NonNullable<Parameters<StateMachine['run']>[1]>;
type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/** Repository root (this file is `local/runner.ts`). */
export const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Bucket of the local S3 (one per data folder). */
export const LOCAL_BUCKET = 'amts-local';
/** Data-access role ARN handed to the emulator (it only checks the ARN's shape). */
export const LOCAL_TRANSLATE_ROLE_ARN = 'arn:aws:iam::000000000000:role/amts-local-translate-data-access';

/** Step Functions limits a payload (state input/output) to 256 KiB; Lambda results are checked here too. */
const MAX_PAYLOAD_BYTES = 256 * 1024;

export interface Timing {
  /** Milliseconds each Wait state actually waits, by state name (default: 0 for all). */
  waitMs?: Partial<Record<string, number>>;
  /** Milliseconds between Task retries (default 0: the ASL's backoff is not slept through locally). */
  retryMs?: number;
}

export interface LocalEnvironmentOptions {
  /** Data folder: `s3/` (the bucket), `translate-state.json` (emulator resources), `sync-manifest.json`. */
  data: string;
  delays?: EmulatorDelays;
  faults?: EmulatorFaults;
  timing?: Timing;
  /** Real S3 + Translate instead of the embedded servers (needs AMTS_BUCKET, AMTS_TRANSLATE_ROLE_ARN). */
  aws?: boolean;
}

/** Where the book lives and where the run's outputs go. */
export interface BookLocation {
  /** Holds `source/<src>/**`, `reference/<tgt>/**`. */
  book: string;
  /** Where `translated/<tgt>/**` is read from and written to, and `reports/**` written (default: book). */
  out?: string;
}

export interface ExecutionOutcome {
  executionName: string;
  runId: string;
  /** TIMED_OUT: the state machine's TimeoutSeconds passed; ABORTED: stopped (Ctrl-C, SIGTERM, `signal`). */
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /**
   * For an execution that did not succeed: whether the "execution ended" rule's handler
   * (lambdas/release-lock, as EventBridge invokes it on AWS) released a lock this execution held.
   */
  lockReleased?: boolean;
  /** Error name and cause when the execution failed. */
  error?: { name: string; cause: string };
  /** The run report from the bucket (null when the run wrote none). */
  report: RunReport | null;
  /** Bucket key of the report JSON. */
  reportKey: string;
  /** States entered, in order (for tests and the history-size budget). */
  states: string[];
  /** Wall time of the execution. */
  ms: number;
}

export interface SyncSummary {
  uploaded: string[];
  deleted: string[];
  downloaded: string[];
  /** Files a human changed during the run, kept as they are; the machine version is `machineCopy`. */
  kept?: { key: string; machineCopy: string }[];
  /** Bucket keys that are not safe relative paths (never turned into a local path). */
  rejected?: RejectedKey[];
  /**
   * translated/ files this download replaced, each with the local copy of its previous text (the local
   * bucket keeps no versions: this is its version history; see HISTORY_FOLDER).
   */
  replaced?: { key: string; previous: string }[];
  /** The folder holding `replaced`'s previous texts (`<data>/history/<run id>`), when any. */
  historyDir?: string;
}

/** Data-folder subfolder where the runner keeps the previous text of each translated/ file it replaces. */
export const HISTORY_FOLDER = 'history';

/** Suffix of the machine version written beside a file a human changed during the run. */
export const MACHINE_COPY_SUFFIX = '.amts-machine.md';

/** `a/b.md` → `a/b.amts-machine.md` (any other name: `name.amts-machine.md`). */
export function machineCopyPath(file: string): string {
  return file.endsWith('.md') ? file.slice(0, -3) + MACHINE_COPY_SUFFIX : file + MACHINE_COPY_SUFFIX;
}

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;

/**
 * The embedded AWS: a local S3 and Translate emulator, plus the handlers loaded in this process with
 * the environment pointing at them. One per process is the intended use (handlers build their SDK
 * clients from the environment when their module loads).
 */
export class LocalEnvironment {
  private handlers: Map<string, Handler> | undefined;
  private readonly definitions = new Map<string, string>();

  private constructor(
    readonly data: string,
    readonly s3: S3Client,
    readonly bucket: string,
    readonly timing: Timing,
    readonly localS3: LocalS3 | undefined,
    readonly translate: TranslateEmulator | undefined,
  ) {}

  /** Starts the servers (unless `aws`) and points the handler environment at them. */
  static async start(options: LocalEnvironmentOptions): Promise<LocalEnvironment> {
    const faults = options.faults === undefined ? undefined : parseFaults(options.faults, 'faults');
    mkdirSync(options.data, { recursive: true });
    if (options.aws) {
      const bucket = process.env.AMTS_BUCKET;
      if (!bucket)
        throw new InvalidInputError('--aws needs AMTS_BUCKET (the deployed book bucket) in the environment');
      if (!process.env.AMTS_TRANSLATE_ROLE_ARN) {
        throw new InvalidInputError('--aws needs AMTS_TRANSLATE_ROLE_ARN (the Translate data-access role)');
      }
      const s3 = new S3Client({});
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      resetServices();
      return new LocalEnvironment(options.data, s3, bucket, options.timing ?? {}, undefined, undefined);
    }
    const localS3 = await startLocalS3({ directory: join(options.data, 's3'), buckets: [LOCAL_BUCKET] });
    const s3 = localS3.client();
    let translate: TranslateEmulator | undefined;
    try {
      await s3.send(new HeadBucketCommand({ Bucket: LOCAL_BUCKET })).catch(async () => {
        await s3.send(new CreateBucketCommand({ Bucket: LOCAL_BUCKET }));
      });
      translate = await startTranslateEmulator({
        s3: localS3.client(),
        stateFile: join(options.data, 'translate-state.json'),
        delays: options.delays,
        faults,
      });
    } catch (error) {
      await localS3.stop();
      throw error;
    }
    Object.assign(process.env, {
      AMTS_BUCKET: LOCAL_BUCKET,
      AMTS_TRANSLATE_ROLE_ARN: LOCAL_TRANSLATE_ROLE_ARN,
      AMTS_S3_ENDPOINT: localS3.endpoint,
      AMTS_TRANSLATE_ENDPOINT: translate.endpoint,
      AMTS_S3_FORCE_PATH_STYLE: 'true',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      AWS_REGION: translate.region,
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    delete process.env.AMTS_TOPIC_ARN;
    // Handlers cache their SDK clients per process (one Lambda container): a new environment needs new ones.
    resetServices();
    // Handler logs (Powertools JSON) stay quiet unless asked for (POWERTOOLS_LOG_LEVEL=INFO): the runner
    // prints progress and every failure itself.
    process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
    return new LocalEnvironment(options.data, s3, LOCAL_BUCKET, options.timing ?? {}, localS3, translate);
  }

  /** Stops the servers (the data folder stays). */
  async stop(): Promise<void> {
    this.s3.destroy();
    await this.translate?.stop();
    await this.localS3?.stop();
  }

  /** Empties the bucket and forgets every Translate resource (tests: a fresh start per case). */
  async reset(): Promise<void> {
    if (!this.translate) throw new AmtsError('reset() only works on the embedded servers');
    for (const key of await this.listKeys('')) {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    }
    this.translate.reset();
    rmSync(join(this.data, 'sync-manifest.json'), { force: true });
  }

  /** Loads every Task's handler (`lambdas/<dir>/handler.ts`); lists all missing ones at once. */
  private async loadHandlers(): Promise<Map<string, Handler>> {
    if (this.handlers) return this.handlers;
    const missing: string[] = [];
    const handlers = new Map<string, Handler>();
    for (const task of WORKFLOW_TASKS) {
      const file = join(REPO_ROOT, 'lambdas', task.dir, 'handler.ts');
      if (!existsSync(file)) {
        missing.push(`lambdas/${task.dir}/handler.ts (Task "${task.state}")`);
        continue;
      }
      const mod = (await import(pathToFileURL(file).href)) as { handler?: Handler };
      if (typeof mod.handler !== 'function') {
        missing.push(`lambdas/${task.dir}/handler.ts exports no handler (Task "${task.state}")`);
        continue;
      }
      handlers.set(task.state, mod.handler);
    }
    if (missing.length) {
      throw new AmtsError(`the workflow cannot run locally: missing handlers:\n  ${missing.join('\n  ')}`);
    }
    this.handlers = handlers;
    return handlers;
  }

  /** The ASL with every placeholder substituted for `pair` (local function "ARNs" name the handler folder). */
  definition(pair: LanguagePair): string {
    const id = pairId(pair);
    let text = this.definitions.get(id);
    if (!text) {
      const raw = readFileSync(join(REPO_ROOT, WORKFLOW_ASL_PATH), 'utf8');
      const substitutions = workflowSubstitutions(
        pair,
        (dir) => `arn:aws:lambda:us-east-1:000000000000:function:amts-local-${dir}`,
      );
      text = substitutePlaceholders(raw, substitutions);
      this.definitions.set(id, text);
    }
    return text;
  }

  /**
   * Runs one execution of the pair's state machine with `input` (the console JSON). Resolves with
   * the outcome whether it succeeded or failed; rejects only when the runner itself cannot run.
   */
  async execute(
    pair: LanguagePair,
    input: unknown,
    options: {
      name?: string;
      log?: (line: string) => void;
      /** Aborting it stops the execution ("Stop execution" in the console): status ABORTED. */
      signal?: AbortSignal;
      /** Replaces the state machine's TimeoutSeconds (tests: a short execution timeout). */
      timeoutSeconds?: number;
    } = {},
  ): Promise<ExecutionOutcome> {
    const handlers = await this.loadHandlers();
    const log = options.log ?? (() => undefined);
    // aws-local-stepfunctions has no Distributed Map: each runs inline here (local/run/distributed-map.ts).
    const { definition, maps } = inlineDistributedMaps(JSON.parse(this.definition(pair)) as Definition);
    if (options.timeoutSeconds !== undefined) definition.TimeoutSeconds = options.timeoutSeconds;
    const machine = new StateMachine(definition as never, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
    const resultPaths = new Map<string, string>();
    for (const [name, state] of Object.entries(
      definition.States as Record<string, { ResultPath?: string }>,
    )) {
      if (state.ResultPath) resultPaths.set(name, state.ResultPath);
    }
    for (const spec of maps.values()) {
      for (const [name, state] of Object.entries(spec.processor.States)) {
        if (typeof state.ResultPath === 'string') resultPaths.set(name, state.ResultPath);
      }
    }
    const startTime = new Date();
    const executionName = options.name ?? localExecutionName(pair, startTime);
    const runId = runIdFor({ name: executionName, startTime: startTime.toISOString() });
    const stateMachineArn = `arn:aws:states:us-east-1:000000000000:stateMachine:amts-${pairId(pair)}`;
    const taskResourceLocalHandlers: LocalHandlers = {};
    // Invocations in flight: an aborted or timed-out execution lets them finish before its lock is released.
    const inFlight = new Set<Promise<unknown>>();
    const children = new Set<Execution>();
    const mapHandlers = distributedMapHandlers(maps, {
      readObject: (_bucket, key) => this.getText(key),
      runChild: async (processor, input) => {
        const child = new StateMachine(processor as never, { validationOptions: { noValidate: true } });
        const run = child.run(input as never, runOptions);
        children.add(run);
        const ctx = {
          states,
          entered: new Map<string, number>(),
          caught: new Set<string>(),
          resultPaths,
          log,
        };
        const forwarding = (async () => {
          for await (const event of run.eventLogs) describeEvent(event, ctx);
        })();
        try {
          return await run.result;
        } catch (error) {
          throw error instanceof ExecutionError ? error.cause : error;
        } finally {
          children.delete(run);
          await forwarding.catch(() => undefined);
        }
      },
    });
    const calls: [string, string, Handler][] = [
      ...WORKFLOW_TASKS.map((t): [string, string, Handler] => [
        t.state,
        t.dir,
        handlers.get(t.state) as Handler,
      ]),
      ...Object.entries(mapHandlers).map(([state, h]): [string, string, Handler] => [
        state,
        'distributed-map',
        h,
      ]),
    ];
    for (const [state, dir, handler] of calls) {
      taskResourceLocalHandlers[state] = async (event) => {
        const call = invokeLikeLambda(dir, handler, event);
        inFlight.add(call);
        try {
          return (await call) as Awaited<ReturnType<LocalHandlers[string]>>;
        } finally {
          inFlight.delete(call);
        }
      };
    }
    // Locally the emulator answers at once, so waits and retry backoff are shortened; against real AWS
    // the ASL's own waits and backoff apply (a job takes minutes), unless timing says otherwise.
    const real = this.translate === undefined;
    const waitTimeOverrides: Record<string, number> = {};
    for (const wait of WORKFLOW_WAITS) {
      const ms = this.timing.waitMs?.[wait];
      if (ms !== undefined || !real) waitTimeOverrides[wait] = ms ?? 0;
    }
    const retryIntervalOverrides: Record<string, number> = {};
    if (this.timing.retryMs !== undefined || !real) {
      for (const [state] of calls) retryIntervalOverrides[state] = this.timing.retryMs ?? 0;
    }
    const runOptions = {
      overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
    };
    const states: string[] = [];

    const execution = machine.run(input as never, {
      ...runOptions,
      context: {
        Execution: {
          Id: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`,
          Name: executionName,
          StartTime: startTime.toISOString(),
          Input: input as never,
          RoleArn: 'arn:aws:iam::000000000000:role/amts-local-state-machine',
        },
        StateMachine: { Id: stateMachineArn, Name: `amts-${pairId(pair)}` },
      },
    });
    const onAbort = () => {
      execution.abort();
      for (const child of children) child.abort();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const entered = new Map<string, number>();
    const caught = new Set<string>();
    const printing = (async () => {
      for await (const event of execution.eventLogs) {
        describeEvent(event, { states, entered, caught, resultPaths, log });
      }
    })();
    let status: ExecutionOutcome['status'] = 'SUCCEEDED';
    let error: ExecutionOutcome['error'];
    try {
      await execution.result;
    } catch (e) {
      if (e instanceof ExecutionAbortedError) {
        status = 'ABORTED';
        log('■ execution ABORTED');
      } else if (e instanceof ExecutionTimeoutError) {
        status = 'TIMED_OUT';
        log(`■ execution TIMED_OUT after ${definition.TimeoutSeconds} s`);
      } else {
        status = 'FAILED';
        const cause = e instanceof ExecutionError ? (e.cause as Error | undefined) : (e as Error);
        error = { name: cause?.name ?? 'Error', cause: cause?.message ?? String(e) };
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    await printing.catch(() => undefined);
    let lockReleased: boolean | undefined;
    if (status !== 'SUCCEEDED') {
      await Promise.allSettled([...inFlight]);
      lockReleased = await this.executionEnded(pair, status, executionName, startTime, stateMachineArn);
      if (lockReleased)
        log(
          `■ released the ${pairId(pair)} lock this execution held (as the "execution ended" rule does on AWS)`,
        );
    }
    const key = reportKey(pair, runId, 'json');
    const reportText = await this.getText(key);
    let report: RunReport | null = null;
    if (reportText !== null) {
      try {
        report = JSON.parse(reportText) as RunReport;
      } catch {
        report = null;
      }
    }
    return {
      executionName,
      runId,
      status,
      error,
      ...(lockReleased === undefined ? {} : { lockReleased }),
      report,
      reportKey: key,
      states,
      ms: Date.now() - startTime.getTime(),
    };
  }

  /**
   * What EventBridge does on AWS when an execution ends FAILED, TIMED_OUT or ABORTED: invoke
   * lambdas/release-lock with the "Execution Status Change" event. Returns whether it released a lock.
   */
  private async executionEnded(
    pair: LanguagePair,
    status: ExecutionOutcome['status'],
    name: string,
    startTime: Date,
    stateMachineArn: string,
  ): Promise<boolean> {
    const file = join(REPO_ROOT, 'lambdas', 'release-lock', 'handler.ts');
    const mod = (await import(pathToFileURL(file).href)) as { handler: Handler };
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const event = {
      version: '0',
      id: randomUUIDLike(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [executionArn],
      detail: {
        executionArn,
        stateMachineArn,
        name,
        status,
        startDate: startTime.getTime(),
        stopDate: Date.now(),
      },
    };
    const previous = process.env.AMTS_PAIR;
    process.env.AMTS_PAIR = pairId(pair);
    try {
      const out = (await invokeLikeLambda('release-lock', mod.handler, event)) as { released?: boolean };
      return out.released === true;
    } finally {
      if (previous === undefined) delete process.env.AMTS_PAIR;
      else process.env.AMTS_PAIR = previous;
    }
  }

  /**
   * Run locks left in the local bucket by a runner that is gone (killed, crashed): this process holds the
   * data folder (lockDataFolder), so no execution of another runner can be using them. Removes them and
   * returns their keys. Never called against a real bucket (`aws`): there a lock may belong to a running
   * execution on AWS.
   */
  async removeStaleLocks(): Promise<string[]> {
    if (!this.translate) return [];
    const stale = (await this.listKeys('state/')).filter((k) => k.endsWith('/run.lock'));
    for (const key of stale) await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    return stale;
  }

  // ── book ⇄ bucket ────────────────────────────────────────────────────────────────────────────

  /**
   * Uploads what changed in the book since the last sync: `source/<src>/**`, `reference/<tgt>/**`
   * (mirrored: a file deleted locally is deleted in the bucket) and `translated/<tgt>/**` from the
   * output folder (uploaded when edited; never deleted: translations are kept).
   */
  async uploadBook(pair: LanguagePair, where: BookLocation): Promise<SyncSummary> {
    const out = where.out ?? where.book;
    const manifest = this.readManifest();
    const summary: SyncSummary = { uploaded: [], deleted: [], downloaded: [] };
    const roots: { dir: string; prefix: string; mirror: boolean }[] = [
      { dir: join(where.book, 'source', pair.source), prefix: `source/${pair.source}/`, mirror: true },
      { dir: join(where.book, 'reference', pair.target), prefix: `reference/${pair.target}/`, mirror: true },
      { dir: join(out, 'translated', pair.target), prefix: `translated/${pair.target}/`, mirror: false },
    ];
    for (const root of roots) {
      const present = new Set<string>();
      for (const file of walk(root.dir)) {
        // Machine versions written beside a human's file (see downloadResults) are not part of the book.
        if (file.endsWith(MACHINE_COPY_SUFFIX)) continue;
        const key = root.prefix + relative(root.dir, file).split(sep).join('/');
        present.add(key);
        const bytes = readFileSync(file);
        const hash = sha256(bytes);
        if (manifest[key] === hash) continue;
        await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes }));
        manifest[key] = hash;
        summary.uploaded.push(key);
      }
      if (!root.mirror) continue;
      for (const key of Object.keys(manifest)) {
        if (key.startsWith(root.prefix) && !present.has(key)) {
          await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
          delete manifest[key];
          summary.deleted.push(key);
        }
      }
    }
    this.writeManifest(manifest);
    return summary;
  }

  /**
   * Downloads `translated/<tgt>/**` and `reports/<pair>/**` into the output folder (changed files only).
   * The output folder is a human's working copy: a file that differs from what the runner last uploaded
   * or downloaded (the manifest: the folder as this run found it) was changed by a human, and is never
   * overwritten. When the run produced a new version of such a file, the machine version is written
   * beside it (`name.amts-machine.md`) and listed in `kept`. Every listed key is validated before it
   * becomes a path (`rejected`): nothing is written outside the output folder, whatever the bucket holds.
   * With `only.runId`, reports are copied for that run alone (`<runId>.json|.md|.html`, `<runId>/…`):
   * a report deleted from the book folder is never brought back.
   */
  async downloadResults(
    pair: LanguagePair,
    where: BookLocation,
    only?: { runId: string },
  ): Promise<SyncSummary> {
    const out = where.out ?? where.book;
    const manifest = this.readManifest();
    const summary: SyncSummary = {
      uploaded: [],
      deleted: [],
      downloaded: [],
      kept: [],
      rejected: [],
      replaced: [],
    };
    const history = join(
      this.data,
      HISTORY_FOLDER,
      only?.runId ?? new Date().toISOString().replace(/[:.]/g, '-'),
    );
    for (const prefix of [`translated/${pair.target}/`, `reports/${pairId(pair)}/`]) {
      const run = only && prefix.startsWith('reports/') ? `${prefix}${only.runId}` : null;
      const keys = (await this.listKeys(prefix)).filter(
        (k) => run === null || k.startsWith(`${run}.`) || k.startsWith(`${run}/`),
      );
      const { paths, rejected } = partitionKeys(keys, prefix);
      summary.rejected?.push(...rejected);
      for (const rel of paths) {
        const key = prefix + rel;
        const file = localPathFor(out, key);
        const bytes = await this.getBytes(key);
        if (bytes === null) continue;
        const hash = sha256(bytes);
        const local = existsSync(file) ? sha256(readFileSync(file)) : null;
        if (local === hash) {
          manifest[key] = hash;
          continue;
        }
        const base = manifest[key];
        if (local !== null && local !== base) {
          // Changed by a human since this run started. The manifest keeps the old hash, so the next
          // run uploads the human's file.
          if (hash === base) continue; // the run did not change it: nothing to offer
          const copy = machineCopyPath(file);
          writeFileSync(copy, bytes);
          summary.kept?.push({ key, machineCopy: relative(out, copy).split(sep).join('/') });
          continue;
        }
        if (local !== null && prefix.startsWith('translated/')) {
          // The local bucket keeps no versions: keep the text this replaces (a forced rewrite or a
          // replaced post-edit may be a human's work), where the summary says.
          const previous = localPathFor(history, key);
          mkdirSync(dirname(previous), { recursive: true });
          copyFileSync(file, previous);
          summary.replaced?.push({ key, previous });
          summary.historyDir = history;
        }
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, bytes);
        manifest[key] = hash;
        summary.downloaded.push(key);
      }
    }
    this.writeManifest(manifest);
    return summary;
  }

  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const r = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of r.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async getBytes(key: string): Promise<Uint8Array | null> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await r.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  async getText(key: string): Promise<string | null> {
    const bytes = await this.getBytes(key);
    return bytes === null ? null : new TextDecoder().decode(bytes);
  }

  private readManifest(): Record<string, string> {
    const file = join(this.data, 'sync-manifest.json');
    if (!existsSync(file)) return {};
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private writeManifest(manifest: Record<string, string>): void {
    const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : 1)));
    writeFileSync(join(this.data, 'sync-manifest.json'), `${JSON.stringify(sorted, null, 1)}\n`);
  }
}

/** A unique execution name: pair, start minute and a random suffix (`[A-Za-z0-9_-]`, ≤ 80). */
export function localExecutionName(pair: LanguagePair, start: Date): string {
  const minute = start.toISOString().slice(0, 19).replace(/[-:]/g, '');
  return `${pairId(pair)}-${minute}-${randomBytes(4).toString('hex')}`;
}

/**
 * Calls a handler the way Lambda does: the event is a JSON copy, the result must be JSON (and fit
 * the 256 KiB state payload), and an error reaches Step Functions with its `name` as the error and
 * Lambda's JSON `{ errorType, errorMessage, trace }` as the cause.
 */
export async function invokeLikeLambda(dir: string, handler: Handler, event: unknown): Promise<unknown> {
  const context = {
    functionName: `amts-local-${dir}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:amts-local-${dir}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomBytes(16).toString('hex'),
    logGroupName: `/aws/lambda/amts-local-${dir}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  let result: unknown;
  try {
    result = await handler(JSON.parse(JSON.stringify(event ?? null)), context);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const wrapped = new Error(
      JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }),
    );
    wrapped.name = e.name;
    throw wrapped;
  }
  const text = JSON.stringify(result ?? null);
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
    const e = new Error(
      JSON.stringify({
        errorType: 'States.DataLimitExceeded',
        errorMessage: `the ${dir} handler returned ${Buffer.byteLength(text)} bytes; a state payload is limited to 256 KiB`,
      }),
    );
    e.name = 'States.DataLimitExceeded';
    throw e;
  }
  return JSON.parse(text);
}

/** One progress line per interesting event. */
function describeEvent(
  event: EventLog,
  ctx: {
    states: string[];
    entered: Map<string, number>;
    caught: Set<string>;
    resultPaths: Map<string, string>;
    log: (line: string) => void;
  },
): void {
  switch (event.type) {
    case 'StateEntered': {
      ctx.states.push(event.state.name);
      ctx.entered.set(event.state.name, event.timestamp);
      if (event.state.type === 'Task' || event.state.type === 'Wait') ctx.log(`▶ ${event.state.name}`);
      break;
    }
    case 'StateExited': {
      if (ctx.caught.delete(event.state.name)) break;
      if (event.state.type !== 'Task' && event.state.type !== 'Wait') break;
      const ms = event.timestamp - (ctx.entered.get(event.state.name) ?? event.timestamp);
      const path = ctx.resultPaths.get(event.state.name);
      const result = path ? pick(event.state.output, path) : undefined;
      const detail = event.state.type === 'Task' ? summarise(result) : '';
      ctx.log(`✓ ${event.state.name} (${ms} ms)${detail ? ` ${detail}` : ''}`);
      break;
    }
    case 'StateFailed':
      ctx.log(`✗ ${event.state.name}: ${event.Error}: ${causeMessage(event.Cause)}`);
      break;
    case 'StateRetried':
      ctx.log(`↻ ${event.state.name}: retry ${event.retry.attempt}`);
      break;
    case 'StateCaught':
      ctx.caught.add(event.state.name);
      ctx.log(`→ ${event.state.name}: caught, next ${event.catch.catcher.Next}`);
      break;
    case 'ExecutionSucceeded':
      ctx.log('■ execution SUCCEEDED');
      break;
    case 'ExecutionFailed':
      ctx.log(`■ execution FAILED: ${event.Error}: ${causeMessage(event.Cause)}`);
      break;
    default:
      break;
  }
}

function pick(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Fields worth a glance in a Task result, in this order (job status while polling, counts…). */
const SHOWN_FIELDS = [
  'action',
  'status',
  'jobId',
  'done',
  'ready',
  'operation',
  'pairs',
  'updated',
  'needsJob',
  'documents',
  'characters',
  'inputDocuments',
  'documentsWithErrors',
  'translated',
  'failed',
  'charactersSent',
  'reportKey',
];

/** `key=value` for the shown scalar fields of a Task result. */
function summarise(result: unknown): string {
  if (!result || typeof result !== 'object') return '';
  const r = result as Record<string, unknown>;
  return SHOWN_FIELDS.filter((k) => ['string', 'number', 'boolean'].includes(typeof r[k]))
    .map((k) => `${k}=${String(r[k])}`)
    .join(' ');
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() || (entry.isSymbolicLink() && statSync(full).isFile())) yield full;
  }
}

// ── one run of a book (what `amts run --local` does) ─────────────────────────────────────────────

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

/** One line: what the Translate emulator translates with for the pair (Apertium when installed for it). */
export function machineTranslatorLine(pair: LanguagePair): string {
  const t = apertiumTranslator(pair.source, pair.target);
  return 'missing' in t
    ? `Machine translation: none for ${pair.source}→${pair.target} (${t.missing}); sentences without an exact parallel-data match stay English`
    : `Machine translation: ${t.name} for sentences without an exact parallel-data match`;
}

/** The final summary: documents, units reused, characters sent, cost, scores, outputs. */
export function summaryLines(
  outcome: ExecutionOutcome,
  out: string,
  down: SyncSummary,
  ms: number,
): string[] {
  const lines: string[] = [''];
  const r = outcome.report;
  lines.push(
    `Run ${outcome.runId}: execution ${outcome.status}${r ? `, report ${r.status}` : ''} in ${(ms / 1000).toFixed(1)} s (${outcome.states.length} state transitions)`,
  );
  if (outcome.error) lines.push(`Error: ${outcome.error.name}: ${causeMessage(outcome.error.cause)}`);
  if (r) lines.push(...reportSummaryLines(r));
  for (const k of down.kept ?? []) {
    lines.push(
      `Kept your edit of ${k.key} (changed during the run); the machine version is ${k.machineCopy}: merge by hand`,
    );
  }
  if (down.replaced?.length) {
    lines.push(
      `Replaced ${down.replaced.length} file(s) in translated/; their previous text is kept in ${down.historyDir} (the local bucket keeps no version history)`,
    );
  }
  for (const k of down.rejected ?? []) lines.push(`Ignored bucket key ${JSON.stringify(k.key)}: ${k.reason}`);
  const translated = down.downloaded.filter((k) => k.startsWith('translated/'));
  lines.push(
    `Outputs: ${join(out, 'translated')} (${translated.length} file(s) written), ${join(out, 'reports')}`,
  );
  if (r) lines.push(`Review page: ${join(out, ...outcome.reportKey.replace(/\.json$/, '.html').split('/'))}`);
  const reportPath = r ? join(out, ...outcome.reportKey.split('/')) : '(no report written)';
  lines.push(reportPath);
  return lines;
}

/**
 * The data folder (by default `<book>/.amts`, inside the book's git working copy) holds the local
 * bucket and emulator state, never part of the book: a `.gitignore` of `*` in it keeps it out of git
 * wherever it is, without touching the book's own `.gitignore`.
 */
export function ignoreDataFolder(data: string): void {
  const file = join(data, '.gitignore');
  if (existsSync(file)) return;
  writeFileSync(
    file,
    '# AMTS local run data (embedded S3 bucket, Translate emulator state): not part of the book.\n# Written by `amts run --local`; delete the folder (or run with --fresh) to start from scratch.\n*\n',
  );
}

/**
 * One runner per data folder at a time: the embedded servers are single-process. A second `amts run`
 * on the same folder waits (two executions inside one runner are serialised by the workflow's own lock).
 */
export async function lockDataFolder(data: string, log: (line: string) => void): Promise<() => void> {
  const file = join(data, 'runner.lock');
  let announced = false;
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (!Number.isInteger(pid) || !isAlive(pid)) {
        rmSync(file, { force: true });
        continue;
      }
      if (!announced) log(`another amts run (pid ${pid}) is using ${data}; waiting for it to finish`);
      announced = true;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The execution input an upload burst gives the state machine on AWS: S3 → EventBridge rule
 * (`source/<src>/*.md`, `reference/<tgt>/*.md`) → SQS → EventBridge Pipe, i.e. an array of SQS messages
 * whose body is the EventBridge event. Keys are URL-encoded as S3 notifications carry them (`+` for a
 * space, UTF-8 percent-escapes), which the Plan handler must decode. Null when no key matches the rule.
 */
export function uploadEventBatch(
  bucket: string,
  pair: LanguagePair,
  keys: readonly string[],
  now: Date = new Date(),
): unknown[] | null {
  const matching = keys.filter(
    (k) =>
      (k.startsWith(`source/${pair.source}/`) || k.startsWith(`reference/${pair.target}/`)) &&
      k.endsWith('.md'),
  );
  if (matching.length === 0) return null;
  return matching.map((key, i) => {
    const event = {
      version: '0',
      id: randomUUIDLike(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: now.toISOString().replace(/\.\d+Z$/, 'Z'),
      region: 'us-east-1',
      resources: [`arn:aws:s3:::${bucket}`],
      detail: {
        version: '0',
        bucket: { name: bucket },
        object: { key: encodeS3EventKey(key), sequencer: String(i).padStart(16, '0') },
        'request-id': randomUUIDLike(),
        requester: '000000000000',
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
    };
    return {
      messageId: randomUUIDLike(),
      receiptHandle: `local-${i}`,
      body: JSON.stringify(event),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(now.getTime()) },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(JSON.stringify(event)).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:amts-${pairId(pair)}-uploads`,
      awsRegion: 'us-east-1',
    };
  });
}

/** A key as S3 event notifications spell it: form-URL-encoded per segment, `/` kept, `+` for space. */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

function randomUUIDLike(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
