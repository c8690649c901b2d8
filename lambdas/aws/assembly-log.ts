/**
 * The write-ahead log of an assembly in S3 (see lambdas/core/workflow/assembly-log.ts): Assemble And
 * Score writes it before the first `translated/` object and deletes it after the state commit; Plan
 * finishes a crashed assembly from it before planning.
 */

import { sha256 } from '../core/hash';
import { commitRun } from '../core/sync/assemble';
import {
  type AssemblyLog,
  type AssemblyLogEntry,
  assemblyLogKey,
  assemblyLogPrefix,
  mergeLogs,
  parseAssemblyLog,
  planRecovery,
} from '../core/workflow/assembly-log';
import { type LanguagePair, workPrefix } from '../core/workflow/names';
import type { Services } from './services';
import type { StateStore } from './state-store';

const MARKDOWN = 'text/markdown; charset=utf-8';
const translatedKey = (pair: LanguagePair, path: string) => `translated/${pair.target}/${path}`;

/** A file to write, with the ETag it had when the assembly read it (`null`: absent). */
export interface PendingWrite extends AssemblyLogEntry {
  etag: string | null;
  /** Already known to conflict (a forced document a human changed since the plan): never written. */
  conflict?: boolean;
}

/**
 * Records `pending` in the log, then writes each file only if it is still as the assembly read it
 * (conditional PUT on its ETag). Returns the paths NOT written because a human changed the file in
 * between: the caller keeps their previous state and reports them.
 */
export async function writeAhead(
  svc: Services,
  pair: LanguagePair,
  runId: string,
  stateEtag: string | null,
  pending: readonly PendingWrite[],
  /** One log per assembly batch (the fanned-out assembly), or the pair's single log. */
  logKey: string = assemblyLogKey(pair),
): Promise<string[]> {
  const log: AssemblyLog = {
    version: 1,
    runId,
    stateEtag,
    documents: pending
      .filter((p) => !p.conflict)
      .map(({ path, before, after, markdown, state }) => ({ path, before, after, markdown, state })),
  };
  await svc.bucket.putJson(logKey, log);
  const conflicts: string[] = [];
  for (const p of pending) {
    const written =
      !p.conflict && (await svc.bucket.putTextIf(translatedKey(pair, p.path), p.markdown, p.etag, MARKDOWN));
    if (written !== 'written') conflicts.push(p.path);
  }
  return conflicts;
}

/**
 * writeAhead for one "Assemble Batch" (its own log): the machine version of each file a human changed
 * meanwhile goes to `work/<pair>/<runId>/machine/<path>`. Returns those paths with that URI.
 */
export async function writeBatch(
  svc: Services,
  pair: LanguagePair,
  runId: string,
  stateEtag: string | null,
  pending: readonly PendingWrite[],
  logKey: string,
): Promise<{ path: string; machineUri: string }[]> {
  if (pending.length === 0) return [];
  const conflicts = await writeAhead(svc, pair, runId, stateEtag, pending, logKey);
  const out: { path: string; machineUri: string }[] = [];
  for (const path of conflicts) {
    const key = `${workPrefix(pair, runId)}machine/${path}`;
    await svc.bucket.putText(key, pending.find((p) => p.path === path)?.markdown ?? '', MARKDOWN);
    out.push({ path, machineUri: svc.bucket.uri(key) });
  }
  return out;
}

/** Deletes the logs (the single one and every batch's) once the state is committed. */
export async function closeLog(svc: Services, pair: LanguagePair): Promise<void> {
  for (const key of await svc.bucket.listKeys(assemblyLogPrefix(pair))) await svc.bucket.delete(key);
}

/**
 * Finishes an assembly that crashed after writing its log (see planRecovery). Call with the pair's lock
 * held, before reading the state to plan from. Returns what it did, for the log and the report.
 */
export async function recoverAssembly(
  svc: Services,
  pair: LanguagePair,
  store: StateStore,
): Promise<string[]> {
  const keys = await svc.bucket.listKeys(assemblyLogPrefix(pair));
  const logs: AssemblyLog[] = [];
  for (const key of keys) {
    const raw = await svc.bucket.getJson(key);
    if (raw !== null) logs.push(parseAssemblyLog(raw, svc.bucket.uri(key)));
  }
  const done: string[] = [];
  // One run's batches wrote one log each: they are finished together, as one assembly.
  for (const log of mergeLogs(logs)) done.push(...(await recoverLog(svc, pair, store, log)));
  for (const key of keys) await svc.bucket.delete(key);
  return done;
}

async function recoverLog(
  svc: Services,
  pair: LanguagePair,
  store: StateStore,
  log: AssemblyLog,
): Promise<string[]> {
  const { state, etag } = await store.read();
  const current = new Map<string, string | null>();
  const etags = new Map<string, string | null>();
  for (const d of log.documents) {
    const got = await svc.bucket.getWithEtag(translatedKey(pair, d.path));
    current.set(d.path, got === null ? null : sha256(new TextDecoder().decode(got.bytes)));
    etags.set(d.path, got?.etag ?? null);
  }
  const recovery = planRecovery(log, state, etag, current);
  if (recovery.action === 'discard') {
    return [`assembly log of run ${log.runId} discarded: ${recovery.reason}`];
  }
  for (const entry of recovery.write) {
    const etagNow = etags.get(entry.path) ?? null;
    const written = await svc.bucket.putTextIf(
      translatedKey(pair, entry.path),
      entry.markdown,
      etagNow,
      MARKDOWN,
    );
    if (written === 'conflict') {
      recovery.adopt.delete(entry.path);
      recovery.keptHuman.push(entry.path);
    }
  }
  await store.commit(commitRun(state, recovery.adopt, log.runId), etag);
  const rewritten =
    recovery.write.length - recovery.keptHuman.filter((p) => recovery.write.some((w) => w.path === p)).length;
  return [
    `finished the interrupted assembly of run ${log.runId} from its log: ${recovery.adopt.size} document(s) committed (${rewritten} written now from the job's output, nothing sent again)` +
      (recovery.keptHuman.length > 0
        ? `; ${recovery.keptHuman.length} changed by a human since, kept: ${recovery.keptHuman.join(', ')}`
        : ''),
  ];
}
