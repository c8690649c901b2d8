/**
 * An offline Amazon Translate: an HTTP server on 127.0.0.1 speaking the real Translate JSON 1.1
 * protocol (`POST /`, `X-Amz-Target: AWSShineFrontendService_20170701.<Operation>`), so the AWS
 * SDK v3 `TranslateClient` works against it with only `endpoint` changed, and error responses carry
 * `__type` so the SDK raises the same named exceptions as AWS.
 *
 * It keeps parallel-data resources (CREATING/UPDATING → ACTIVE/FAILED) and batch jobs (SUBMITTED →
 * IN_PROGRESS → COMPLETED / COMPLETED_WITH_ERROR / FAILED; STOP_REQUESTED → STOPPED) with
 * configurable delays, imports parallel data from S3 and writes job output to S3 exactly where
 * Translate does. It "translates" honestly (see emulated-translation.ts) and can inject faults.
 * State can be kept in a JSON file so a later process sees the resources of an earlier one.
 *
 * One responsibility per file: protocol.ts (HTTP, errors), state.ts (records, saving, client tokens),
 * parallel-data.ts (+ parallel-data-csv.ts), jobs.ts and run-job.ts, translate-text.ts, faults.ts,
 * emulated-translation.ts (+ html-tokenizer.ts) and apertium.ts (the local machine translator).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { apertiumTranslator, type HtmlTranslator } from './apertium';
import { type EmulatorContext, type EmulatorDelays, type EmulatorLimits, TRANSLATE_LIMITS } from './context';
import { type EmulatorFaults, FaultInjector } from './faults';
import { jobHandlers } from './jobs';
import { parallelDataHandlers } from './parallel-data';
import { type OperationEvent, serveTranslateProtocol } from './protocol';
import { type EmulatorState, EmulatorStore } from './state';
import { translateTextHandler } from './translate-text';

export type { HtmlTranslator } from './apertium';
export type { EmulatorDelays, EmulatorLimits } from './context';
export { TRANSLATE_LIMITS } from './context';
export { normalizeSentence } from './emulated-translation';
export type { EmulatorFaults, InjectedError } from './faults';
export {
  OPERATIONS,
  type Operation,
  type OperationEvent,
  parseS3Uri,
  TARGET_PREFIX,
  TranslateApiError,
} from './protocol';
export type { EmulatorState } from './state';

export interface TranslateEmulatorOptions {
  /** Client for the S3 that holds parallel data and job input/output. */
  s3: S3Client;
  accountId?: string;
  region?: string;
  delays?: EmulatorDelays;
  /** Translate's per-job quotas, some lowered (TRANSLATE_LIMITS by default). */
  limits?: Partial<EmulatorLimits>;
  faults?: EmulatorFaults;
  /** JSON file keeping resources and jobs across processes (read on start, written on change). */
  stateFile?: string;
  /** Called after every request (for progress output and tests). */
  onOperation?: (event: OperationEvent) => void;
  port?: number;
  /** Injectable clock (ms since epoch). */
  now?: () => number;
  /**
   * Machine translator for the sentences the parallel data does not match, per language pair: by default
   * Apertium when it has the pair installed (`apertium eng-spa` for en→es), else none (the English comes
   * back unchanged and marked, as without it). `null` turns it off.
   */
  translator?: ((source: string, target: string) => HtmlTranslator | null) | null;
}

/** The default machine translator of a pair: Apertium when installed for it, else none. */
export function defaultTranslator(source: string, target: string): HtmlTranslator | null {
  const t = apertiumTranslator(source, target);
  return 'missing' in t ? null : t;
}

export interface TranslateEmulator {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  accountId: string;
  region: string;
  /** Replace the fault configuration (counts restart). */
  setFaults(faults: EmulatorFaults): void;
  /** Set Translate's per-job quotas (omitted ones back to TRANSLATE_LIMITS); jobs run or started later see them. */
  setLimits(limits: Partial<EmulatorLimits>): void;
  /** Every request answered so far. */
  readonly calls: readonly OperationEvent[];
  /** Snapshot of the state (parallel data and jobs). */
  state(): EmulatorState;
  /** Forgets every resource, job, client token, recorded call and fault count. */
  reset(): void;
  stop(): Promise<void>;
}

/** Starts the emulator on 127.0.0.1 (port 0 by default). */
export async function startTranslateEmulator(options: TranslateEmulatorOptions): Promise<TranslateEmulator> {
  const choose = options.translator;
  const ctx: EmulatorContext = {
    store: new EmulatorStore(options.stateFile),
    s3: options.s3,
    accountId: options.accountId ?? '000000000000',
    region: options.region ?? 'us-east-1',
    now: options.now ?? Date.now,
    delays: { parallelDataMs: 0, jobQueuedMs: 0, jobRunMs: 0, ...options.delays },
    limits: { ...TRANSLATE_LIMITS, ...options.limits },
    faults: new FaultInjector(options.faults ?? {}),
    translatorFor: (source, target) =>
      choose === null ? null : (choose ?? defaultTranslator)(source, target),
  };
  const calls: OperationEvent[] = [];
  const server = await serveTranslateProtocol({
    port: options.port,
    handlers: {
      ...parallelDataHandlers(ctx),
      ...jobHandlers(ctx),
      TranslateText: translateTextHandler(ctx),
    },
    beforeOperation(operation) {
      const fault = ctx.faults.injected(operation);
      if (fault) throw fault;
    },
    record(event) {
      calls.push(event);
      options.onOperation?.(event);
    },
  });

  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    accountId: ctx.accountId,
    region: ctx.region,
    calls,
    setFaults(next) {
      ctx.faults.set(next);
    },
    setLimits(next) {
      ctx.limits = { ...TRANSLATE_LIMITS, ...next };
    },
    state: () => structuredClone(ctx.store.state),
    reset() {
      ctx.faults.resetCounts();
      calls.length = 0;
      ctx.store.clear();
    },
    async stop() {
      await ctx.store.idle();
      await server.close();
    },
  };
}
