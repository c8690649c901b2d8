import { InvalidInputError } from '../errors';
import type { DocumentState, RunPlan } from '../sync/api';
import type { DocumentFailure } from './chapter-guard';
import type { ExecutionRequest } from './input';
import type { LanguagePair } from './names';

/** The documents a run works on, as they were when it planned (later uploads wait for the next run). */
export interface DocumentSnapshot {
  source: string;
  /** `translated/<tgt>/<path>` at planning time, `null` if absent. */
  translated: string | null;
  /** `reference/<tgt>/<path>`, `null` if absent (no score). */
  reference: string | null;
  /**
   * The document's sync-state entry the plan was made from (absent: first run, or a forced plan). Assembly
   * re-plans against it when a human edited `translated/` while the job ran.
   */
  previous?: DocumentState;
}

/** `work/<src>-<tgt>/<runId>/plan.json`: written by Plan, read by Prepare Batch and Assemble And Score. */
export interface PlanFile {
  version: 1;
  runId: string;
  pair: LanguagePair;
  startedAt: string;
  request: ExecutionRequest;
  /** ETag of the sync state the plan was made from (`null`: no state yet); the commit is conditional on it. */
  stateEtag: string | null;
  plan: RunPlan;
  /** Snapshots of every document with status `translate`. */
  snapshots: Record<string, DocumentSnapshot>;
  /** Documents that could not be read or planned (encoding, size, nesting…): reported failed, not sent. */
  failed?: DocumentFailure[];
  /**
   * Per document, English unit texts whose human reference was written for another English: Build
   * Parallel Data leaves their pairs out (never new English with a stale human text). Absent in older plans.
   */
  staleReferenceUnits?: Record<string, string[]>;
  /** What Plan did to finish an earlier run's interrupted assembly (run-level report warnings). */
  recovered?: string[];
}

/** Parse a plan file read back from S3; throws InvalidInputError when it is not one of this run's. */
export function parsePlanFile(value: unknown, where: string, runId: string): PlanFile {
  const v = value as Partial<PlanFile> | null;
  if (!v || typeof v !== 'object' || v.version !== 1 || !v.plan || !v.snapshots || !v.pair) {
    throw new InvalidInputError(`${where}: not an AMTS plan file (version 1)`);
  }
  if (v.runId !== runId) throw new InvalidInputError(`${where}: plan of run ${v.runId}, expected ${runId}`);
  return v as PlanFile;
}
