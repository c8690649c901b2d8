/**
 * The parallel-data resource's identity rules, shared by Build Parallel Data (is the resource up to
 * date?) and Create Or Update Parallel Data (what to write), and the latter's request and result.
 */
import { InvalidInputError } from '../errors';
import { PARALLEL_DATA_POLL, waitSeconds } from './backoff';
import { parallelDataClientToken } from './names';
import type { ParallelDataState } from './payload';

/** Description carrying the CSV hash: how Build Parallel Data knows the resource is up to date. */
export function parallelDataDescription(csvHash: string): string {
  return `AMTS parallel data sha256=${csvHash}`;
}

/** Is the resource ACTIVE with exactly this CSV (hash in its description) and no failed/pending update? */
export function isUpToDate(
  props: { Status?: string; LatestUpdateAttemptStatus?: string; Description?: string } | undefined,
  csvHash: string,
): boolean {
  if (props?.Status !== 'ACTIVE') return false;
  if (props.LatestUpdateAttemptStatus && props.LatestUpdateAttemptStatus !== 'ACTIVE') return false;
  return props.Description === parallelDataDescription(csvHash);
}

/** What Create Or Update Parallel Data needs of `$.parallelData`: a name, the CSV and its hash. */
export interface ParallelDataUpdate {
  name: string;
  csvKey: string;
  csvHash: string;
}

/** The update `$.parallelData` asks for; InvalidInputError when its name, CSV key or hash is missing. */
export function requestedUpdate(pd: ParallelDataState): ParallelDataUpdate {
  if (!pd.name || !pd.csvKey || !pd.csvHash) {
    throw new InvalidInputError('event.parallelData: name, csvKey and csvHash are required for an update');
  }
  return { name: pd.name, csvKey: pd.csvKey, csvHash: pd.csvHash };
}

/**
 * The CreateParallelData / UpdateParallelData request: the CSV, the description that carries its hash,
 * and a ClientToken derived from the run, the operation and the CSV (a retried Task repeats the same
 * request; docs/architecture.md "The state machine": idempotent re-runs).
 */
export function parallelDataRequest(
  update: ParallelDataUpdate,
  csvUri: string,
  runId: string,
  operation: 'create' | 'update',
): {
  Name: string;
  ParallelDataConfig: { S3Uri: string; Format: 'CSV' };
  Description: string;
  ClientToken: string;
} {
  return {
    Name: update.name,
    ParallelDataConfig: { S3Uri: csvUri, Format: 'CSV' },
    Description: parallelDataDescription(update.csvHash),
    ClientToken: parallelDataClientToken(runId, operation, update.csvHash),
  };
}

/** `$.parallelData` after the create or update was accepted: not ready yet, first wait with backoff. */
export function parallelDataSubmitted(
  pd: ParallelDataState,
  operation: 'create' | 'update',
  status: string | undefined,
): ParallelDataState {
  return {
    ...pd,
    operation,
    updated: true,
    ready: false,
    status: status ?? 'UNKNOWN',
    attempt: 0,
    waitSeconds: waitSeconds(0, PARALLEL_DATA_POLL),
  };
}
