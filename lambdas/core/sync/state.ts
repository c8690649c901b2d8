/**
 * The sync state document (`state/<src>-<tgt>/sync-state.json`): versioned JSON, validated on read so a
 * corrupt or foreign object stops the run with a clear error instead of silently re-translating a book.
 */
import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { PAIR_ID } from '../language';
import { normalizeForCompare } from './match';
import { splitSourceSentences, splitSourceSentencesV1 } from './sentences';
import type { DocumentState, SyncState } from './types';

/**
 * Version of the state layout; bump it (and add a step to `MIGRATIONS`) when the shape or the meaning of
 * a field changes.
 * 2: `sentenceHashes` are cut by the one English splitter shared with the aligner (issue 15).
 * 3: units remember the human reference they were paired with and the English it was written for
 *    (`reference`, `referenceSource`), carry review flags (`review`); documents remember their reference's
 *    units (`referenceUnits`) (issue 10).
 */
export const SYNC_STATE_VERSION = 3 as const;

const UnitKindSchema = z.enum([
  'heading',
  'paragraph',
  'list-item',
  'table-cell',
  'blockquote',
  'image-alt',
  'caption',
]);

const UnitStateSchema = z
  .object({
    sourceHash: z.string().min(1),
    sourceText: z.string(),
    kind: UnitKindSchema.optional(),
    targetMarkdown: z.string(),
    origin: z.enum(['reference', 'machine', 'post-edit', 'source-fallback']),
    jobId: z.string().min(1).optional(),
    sentenceHashes: z.array(z.string().min(1)).optional(),
    reference: z.string().optional(),
    referenceSource: z.string().optional(),
    review: z
      .object({
        kind: z.enum(['stale', 'fuzzy', 'conflict', 'weak-alignment']),
        reason: z.string(),
        previousSource: z.string().optional(),
        previousHuman: z.string().optional(),
        reference: z.string().optional(),
        postEdit: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const DocumentStateSchema = z
  .object({
    units: z.array(UnitStateSchema),
    runId: z.string().min(1),
    sourceDocumentHash: z.string().min(1).optional(),
    gapHashes: z.array(z.string()).optional(),
    referenceUnits: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((d) => d.gapHashes === undefined || d.gapHashes.length === d.units.length + 1, {
    message: 'gapHashes must have one entry more than units',
    path: ['gapHashes'],
  });

/** zod schema of {@link SyncState}. Unknown fields are rejected (a typo in a hand-edited state is an error). */
export const SyncStateSchema = z
  .object({
    version: z.literal(SYNC_STATE_VERSION),
    pair: z.string().regex(PAIR_ID, 'expected <src>-<tgt>, e.g. en-zh'),
    lastRunId: z.string().min(1).nullable(),
    documents: z.record(z.string().min(1), DocumentStateSchema),
  })
  .strict();

/**
 * 1 → 2: the source sentence splitter changed (the aligner's rule and abbreviation list). A unit's stored
 * hashes stay valid where both splitters cut its text at the same places; elsewhere they are dropped, so an
 * edit of that unit before the next run is sent whole (re-hashing would pair sentences with the wrong
 * translated sentence). The next run writes every unit's hashes with the new splitter.
 */
function migrateSentenceHashes(old: Record<string, unknown>): Record<string, unknown> {
  const documents: Record<string, unknown> = {};
  for (const [path, doc] of Object.entries((old.documents ?? {}) as Record<string, unknown>)) {
    const units = (doc as { units?: unknown } | null)?.units;
    if (!Array.isArray(units)) {
      documents[path] = doc;
      continue;
    }
    documents[path] = {
      ...(doc as object),
      units: units.map((u: unknown) => {
        const unit = u as { sentenceHashes?: unknown; sourceText?: unknown } | null;
        if (!unit || unit.sentenceHashes === undefined || typeof unit.sourceText !== 'string') return u;
        const same = (a: string[], b: string[]) =>
          a.length === b.length &&
          a.every((x, k) => normalizeForCompare(x) === normalizeForCompare(b[k] ?? ''));
        if (same(splitSourceSentencesV1(unit.sourceText), splitSourceSentences(unit.sourceText))) return u;
        const { sentenceHashes: _dropped, ...rest } = unit;
        return rest;
      }),
    };
  }
  return { ...old, version: 2, documents };
}

/**
 * Steps from an older layout to the next one, keyed by the version they read. Each takes the parsed JSON
 * of that version (not yet validated) and returns the next version's.
 */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  1: migrateSentenceHashes,
  // 2 → 3: a unit written from the reference was, by definition, paired with that reference for its English.
  2: (old) => {
    const documents: Record<string, unknown> = {};
    for (const [path, doc] of Object.entries((old.documents ?? {}) as Record<string, unknown>)) {
      const d = doc as { units?: unknown };
      documents[path] = Array.isArray(d?.units)
        ? {
            ...d,
            units: d.units.map((u: unknown) => {
              const unit = u as { origin?: unknown; targetMarkdown?: unknown };
              return unit && unit.origin === 'reference' && typeof unit.targetMarkdown === 'string'
                ? { ...unit, reference: unit.targetMarkdown }
                : u;
            }),
          }
        : doc;
    }
    return { ...old, version: 3, documents };
  },
};

/** A state with no documents: what a pair starts from. */
export function emptySyncState(pair: string): SyncState {
  return { version: SYNC_STATE_VERSION, pair, lastRunId: null, documents: {} };
}

/**
 * Parses and validates a sync state (JSON text or an already parsed value).
 * @param where names the object in error messages, e.g. `s3://bucket/state/en-zh/sync-state.json`.
 * @throws InvalidInputError when the text is not JSON, has another version, or does not match the schema.
 */
export function parseSyncState(
  input: string | unknown,
  where = 'sync state',
  expectedPair?: string,
): SyncState {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new InvalidInputError(`${where}: corrupt sync state, not JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
  while (value && typeof value === 'object' && 'version' in value && value.version !== SYNC_STATE_VERSION) {
    const migrate = typeof value.version === 'number' ? MIGRATIONS[value.version] : undefined;
    if (!migrate) {
      throw new InvalidInputError(
        `${where}: unsupported sync state version ${JSON.stringify(value.version)}, expected ${SYNC_STATE_VERSION} (or an older one it can migrate)`,
      );
    }
    value = migrate(value as Record<string, unknown>);
  }
  const parsed = SyncStateSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '<root>'}: ${i.message}`)
      .join('; ');
    throw new InvalidInputError(`${where}: corrupt sync state: ${issues}`);
  }
  if (expectedPair !== undefined && parsed.data.pair !== expectedPair) {
    throw new InvalidInputError(
      `${where}: sync state is for pair ${parsed.data.pair}, expected ${expectedPair}`,
    );
  }
  return parsed.data as SyncState;
}

/** Serialises a state with documents sorted by path (stable diffs, stable ETags for equal states). */
export function serializeSyncState(state: SyncState): string {
  const documents: Record<string, DocumentState> = {};
  for (const path of Object.keys(state.documents).sort()) {
    const doc = state.documents[path];
    if (doc) documents[path] = doc;
  }
  return `${JSON.stringify({ ...state, documents }, null, 1)}\n`;
}
