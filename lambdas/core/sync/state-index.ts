/**
 * The sharded sync state (issue 17, layout version 4): one small index for the pair and one shard per
 * document, so a run reads and writes only the documents it works on.
 *
 *   state/<src>-<tgt>/sync-state.json            the index: { version: 4, pair, lastRunId, documents: { <path>: entry } }
 *   state/<src>-<tgt>/documents/<key>.json       one shard per document: { version: 3, pair, path, document }
 *
 * `<key>` is `shardName(path)` (a hash: any path, one flat folder). The index entry of a document says
 * which run last wrote its shard and, when the document was last found up to date, the listing it had
 * then (lambdas/core/sync/changes.ts). A shard's `version` is the version of its document content
 * (SYNC_STATE_VERSION, migrated on read like the whole state was); the index's 4 is the layout. A
 * version 1–3 `sync-state.json` (one object holding every document) is read as it is and written back
 * sharded by the next commit. Pure: no SDK.
 */
import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { sha256 } from '../hash';
import { PAIR_ID } from '../language';
import type { DocumentState, SyncState } from './api';
import { type SettledDocument, SettledDocumentSchema } from './changes';
import { parseSyncState, SYNC_STATE_VERSION } from './state';

/** Version of the sharded layout (the index object). */
export const STATE_INDEX_VERSION = 4 as const;

const PairSchema = z.string().regex(PAIR_ID, 'expected <src>-<tgt>, e.g. en-zh');

const IndexEntrySchema = z
  .object({
    /** Run that last wrote the document's shard. */
    runId: z.string().min(1),
    /** Set while the document is known to be up to date (its listing then, its report line). */
    settled: SettledDocumentSchema.optional(),
  })
  .strict();
export type IndexEntry = z.infer<typeof IndexEntrySchema>;

export const StateIndexSchema = z
  .object({
    version: z.literal(STATE_INDEX_VERSION),
    pair: PairSchema,
    lastRunId: z.string().min(1).nullable(),
    documents: z.record(z.string().min(1), IndexEntrySchema),
  })
  .strict();
export type StateIndex = z.infer<typeof StateIndexSchema>;

/** File name (without folder) of a document's shard: 32 hex of the SHA-256 of its path. */
export function shardName(path: string): string {
  return `${sha256(path).slice(0, 32)}.json`;
}

/** An index with no documents. */
export function emptyStateIndex(pair: string): StateIndex {
  return { version: STATE_INDEX_VERSION, pair, lastRunId: null, documents: {} };
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '<root>'}: ${i.message}`)
    .join('; ');
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${where}: corrupt sync state, not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/**
 * What `state/<pair>/sync-state.json` holds: the index of a sharded state, or (versions 1–3) a whole
 * state in one object, migrated to the current document version.
 * @throws InvalidInputError on anything else.
 */
export function parseStateObject(
  text: string,
  where: string,
  pair: string,
): { index: StateIndex; whole: null } | { index: null; whole: SyncState } {
  const value = parseJson(text, where);
  if (
    value &&
    typeof value === 'object' &&
    (value as { version?: unknown }).version === STATE_INDEX_VERSION
  ) {
    const parsed = StateIndexSchema.safeParse(value);
    if (!parsed.success)
      throw new InvalidInputError(`${where}: corrupt sync state index: ${issues(parsed.error)}`);
    if (parsed.data.pair !== pair) {
      throw new InvalidInputError(`${where}: sync state is for pair ${parsed.data.pair}, expected ${pair}`);
    }
    return { index: parsed.data, whole: null };
  }
  return { index: null, whole: parseSyncState(value, where, pair) };
}

/** The index of a whole (unsharded) state: every document, none settled. */
export function indexOfState(state: SyncState): StateIndex {
  const documents: Record<string, IndexEntry> = {};
  for (const [path, doc] of Object.entries(state.documents)) documents[path] = { runId: doc.runId };
  return { version: STATE_INDEX_VERSION, pair: state.pair, lastRunId: state.lastRunId, documents };
}

/** A shard's JSON text. */
export function serializeShard(pair: string, path: string, document: DocumentState): string {
  return `${JSON.stringify({ version: SYNC_STATE_VERSION, pair, path, document }, null, 1)}\n`;
}

/** Parses a shard (migrating older document versions); checks it is the shard of `path`. */
export function parseShard(text: string, where: string, pair: string, path: string): DocumentState {
  const value = parseJson(text, where) as { version?: unknown; path?: unknown; document?: unknown } | null;
  if (!value || typeof value !== 'object' || value.path !== path) {
    throw new InvalidInputError(`${where}: not the sync state shard of ${JSON.stringify(path)}`);
  }
  // The document goes through the whole-state parser: one schema, one migration chain.
  const state = parseSyncState(
    {
      version: value.version,
      pair: (value as { pair?: unknown }).pair,
      lastRunId: null,
      documents: { [path]: value.document },
    },
    where,
    pair,
  );
  return state.documents[path] as DocumentState;
}

/** Serialises an index with documents sorted by path (stable ETags for equal indexes). */
export function serializeStateIndex(index: StateIndex): string {
  const documents: Record<string, IndexEntry> = {};
  for (const path of Object.keys(index.documents).sort())
    documents[path] = index.documents[path] as IndexEntry;
  return `${JSON.stringify({ ...index, documents })}\n`;
}

/** What a commit changes in the index. */
export interface IndexChange {
  /** Documents whose shard this commit writes (their `settled` record is dropped unless given). */
  written: ReadonlyMap<string, DocumentState>;
  /** Documents found up to date (record) or changed (`null`: forget the record); others are kept. */
  settled?: ReadonlyMap<string, SettledDocument | null>;
  /** The run that commits (a run's final commit); absent: `lastRunId` stays (Plan recording listings). */
  lastRunId?: string;
}

/** The index after a commit. */
export function applyIndexChange(index: StateIndex, change: IndexChange): StateIndex {
  const documents: Record<string, IndexEntry> = { ...index.documents };
  for (const [path, doc] of change.written) documents[path] = { runId: doc.runId };
  for (const [path, settled] of change.settled ?? []) {
    const entry = documents[path];
    if (!entry) continue; // no shard: nothing the record could stand for
    if (settled === null) {
      const { settled: _dropped, ...rest } = entry;
      documents[path] = rest;
    } else documents[path] = { ...entry, settled };
  }
  return { ...index, lastRunId: change.lastRunId ?? index.lastRunId, documents };
}
