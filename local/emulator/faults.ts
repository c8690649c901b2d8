/**
 * Faults the emulator injects on request, so the workflow's retries, Catch branches and failure reports
 * can be exercised without AWS: API errors for the first N calls of an operation, failed imports and
 * jobs, failing documents, stopped jobs. The runner's `--faults` option (local/faults.ts) validates
 * the same shape before the emulator starts.
 */
import { type Operation, TranslateApiError } from './protocol';

/** An error answered instead of the real result for the first `count` matching calls. */
export interface InjectedError {
  /** Operations affected (all when absent). */
  operation?: Operation | Operation[];
  /** `__type` of the answer: ThrottlingException, TooManyRequestsException, ConcurrentModificationException… */
  type: string;
  /** How many calls get the error (then the operation works again). */
  count: number;
  message?: string;
  /** HTTP status (default 400; 429 for the throttling types). */
  status?: number;
}

export interface EmulatorFaults {
  errors?: InjectedError[];
  /** Every parallel-data import ends FAILED (with this message when a string). */
  parallelDataImportFails?: boolean | string;
  /** Every job ends FAILED (with this message when a string), writing no output. */
  jobFails?: boolean | string;
  /** Input documents whose key contains one of these strings fail; the job ends COMPLETED_WITH_ERROR. */
  documentsFail?: string[];
  /** Every job is stopped before it runs (as if someone pressed Stop in the console): STOPPED. */
  jobStops?: boolean;
}

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException']);

/** The fault configuration in force and how many calls each injected error has answered. */
export class FaultInjector {
  private counts: number[] = [];

  constructor(private faults: EmulatorFaults = {}) {}

  /** The configuration in force (read at each use: `setFaults` may replace it mid-run). */
  get current(): EmulatorFaults {
    return this.faults;
  }

  /** Replaces the configuration; counts restart. */
  set(faults: EmulatorFaults): void {
    this.faults = faults;
    this.counts = [];
  }

  resetCounts(): void {
    this.counts = [];
  }

  /** The error to answer `operation` with instead of its result, if one is due. */
  injected(operation: Operation): TranslateApiError | undefined {
    const list = this.faults.errors ?? [];
    for (let i = 0; i < list.length; i++) {
      const f = list[i] as InjectedError;
      const ops =
        f.operation === undefined ? undefined : Array.isArray(f.operation) ? f.operation : [f.operation];
      if (ops && !ops.includes(operation)) continue;
      if ((this.counts[i] ?? 0) >= f.count) continue;
      this.counts[i] = (this.counts[i] ?? 0) + 1;
      const status = f.status ?? (THROTTLING.has(f.type) ? 429 : 400);
      return new TranslateApiError(
        f.type,
        f.message ?? `injected ${f.type} (${this.counts[i]}/${f.count})`,
        status,
      );
    }
    return undefined;
  }
}
