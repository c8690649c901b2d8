/**
 * The write-ahead log of an assembly (`state/<pair>/assembly-log.json`). Assemble And Score computes
 * every document first, records what it is about to write (each file's hash before and after, the
 * full new text and the document's new sync state) and only then writes `translated/`, commits the
 * state and deletes the log. A crash in between (Lambda timeout, the local runner killed) leaves the
 * log, and the next run's Plan finishes the assembly from it (redo) before it plans:
 *
 * - a file that already holds the logged text is the crashed run's own output: its state is adopted,
 *   never counted as a human post-edit;
 * - a file still as it was before is written from the log: the job's output is reused, nothing is sent
 *   to Amazon Translate again;
 * - a file that is neither was changed by a human since: it is kept, and its document keeps its old
 *   state (the next plan treats the edit as usual).
 *
 * A log of a run that committed (`lastRunId`), or older than a state another run committed since
 * (ETag changed), is stale and only deleted.
 */
import { InvalidInputError } from '../errors';
import type { DocumentState, SyncState } from '../sync/api';
import { type LanguagePair, pairId } from './names';

/** One file the assembly is about to write. */
export interface AssemblyLogEntry {
  /** Document path (relative to `translated/<tgt>/`). */
  path: string;
  /** SHA-256 of the file's text when the assembly read it (`null`: absent). */
  before: string | null;
  /** SHA-256 of the text it writes. */
  after: string;
  /** The text it writes. */
  markdown: string;
  /** The document's sync state once written (`null`: keep the previous entry). */
  state: DocumentState | null;
}

export interface AssemblyLog {
  version: 1;
  runId: string;
  /** ETag of the sync state the run planned from (the commit is conditional on it). */
  stateEtag: string | null;
  documents: AssemblyLogEntry[];
}

export function assemblyLogKey(pair: LanguagePair): string {
  return `state/${pairId(pair)}/assembly-log.json`;
}

/** The log of one "Assemble Batch" (the fanned-out assembly writes one per batch, `first` = its first item). */
export function assemblyBatchLogKey(pair: LanguagePair, first: number): string {
  return `state/${pairId(pair)}/assembly-log/${first}.json`;
}

/** Prefix of every assembly log of the pair (the single one and the batches'). */
export function assemblyLogPrefix(pair: LanguagePair): string {
  return `state/${pairId(pair)}/assembly-log`;
}

/** The logs of one run's batches as one log (their documents together); one per run, in first-seen order. */
export function mergeLogs(logs: readonly AssemblyLog[]): AssemblyLog[] {
  const byRun = new Map<string, AssemblyLog>();
  for (const log of logs) {
    const seen = byRun.get(log.runId);
    if (seen) seen.documents.push(...log.documents);
    else byRun.set(log.runId, { ...log, documents: [...log.documents] });
  }
  return [...byRun.values()];
}

/** A log read back from S3; InvalidInputError when it is not one. */
export function parseAssemblyLog(value: unknown, where: string): AssemblyLog {
  const v = value as Partial<AssemblyLog> | null;
  const ok =
    v !== null &&
    typeof v === 'object' &&
    v.version === 1 &&
    typeof v.runId === 'string' &&
    (v.stateEtag === null || typeof v.stateEtag === 'string') &&
    Array.isArray(v.documents) &&
    v.documents.every(
      (d) =>
        d &&
        typeof d.path === 'string' &&
        typeof d.after === 'string' &&
        typeof d.markdown === 'string' &&
        (d.before === null || typeof d.before === 'string'),
    );
  if (!ok) throw new InvalidInputError(`${where}: not an AMTS assembly log (version 1)`);
  return v as AssemblyLog;
}

/** What the next run does with a log it finds. */
export type Recovery =
  | { action: 'discard'; reason: string }
  | {
      action: 'redo';
      /** Files still as they were before the crashed assembly: write the logged text. */
      write: AssemblyLogEntry[];
      /** Files that hold the logged text (already written, or written now): adopt their state. */
      adopt: Map<string, DocumentState | null>;
      /** Files a human changed since: kept as they are, state not adopted. */
      keptHuman: string[];
    };

/**
 * Decide how to finish a crashed assembly. `current` maps each logged path to the SHA-256 of its file
 * now (`null`: absent).
 */
export function planRecovery(
  log: AssemblyLog,
  state: Pick<SyncState, 'lastRunId'>,
  stateEtag: string | null,
  current: ReadonlyMap<string, string | null>,
): Recovery {
  if (state.lastRunId === log.runId) {
    return { action: 'discard', reason: `run ${log.runId} committed its state: the log is stale` };
  }
  if (stateEtag !== log.stateEtag) {
    return {
      action: 'discard',
      reason: `the sync state changed since run ${log.runId} planned (another run committed): its log no longer applies`,
    };
  }
  const write: AssemblyLogEntry[] = [];
  const adopt = new Map<string, DocumentState | null>();
  const keptHuman: string[] = [];
  for (const entry of log.documents) {
    const now = current.get(entry.path) ?? null;
    if (now === entry.after) adopt.set(entry.path, entry.state);
    else if (now === entry.before) {
      write.push(entry);
      adopt.set(entry.path, entry.state);
    } else keptHuman.push(entry.path);
  }
  return { action: 'redo', write, adopt, keptHuman };
}
