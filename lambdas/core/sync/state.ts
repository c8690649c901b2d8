/**
 * The sync state document (`state/<src>-<tgt>/sync-state.json`): versioned JSON, validated on read so a
 * corrupt or foreign object stops the run with a clear error instead of silently re-translating a book.
 */
import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { PAIR_ID } from '../language';
import { normalizeForCompare } from './match';
import { splitSourceSentences, splitSourceSentencesV1 } from './sentences';

/**
 * Version of the state layout; bump it (and add a step to `MIGRATIONS`) when the shape or the meaning of
 * a field changes.
 * 2: `sentenceHashes` are cut by the one English splitter shared with the aligner (issue 15).
 * 3: units remember the human reference they were paired with and the English it was written for
 *    (`reference`, `referenceSource`), carry review flags (`review`); documents remember their reference's
 *    units (`referenceUnits`) (issue 10).
 */
export const SYNC_STATE_VERSION = 3 as const;

export const UnitKindSchema = z.enum([
  'heading',
  'paragraph',
  'list-item',
  'table-cell',
  'blockquote',
  'image-alt',
  'caption',
]);

/** Where the target text of a unit came from. */
export const UnitOriginSchema = z.enum([
  /** The human reference translation (`reference/<tgt>/…`), exact source match. */
  'reference',
  /** Amazon Translate output (job id in `jobId`). */
  'machine',
  /** A human edited the unit in `translated/<tgt>/…` after AMTS wrote it; kept as long as the English is unchanged. */
  'post-edit',
  /** No usable translation (missing from the job output or damaged protected content): the English is kept. */
  'source-fallback',
]);
export type UnitOrigin = z.infer<typeof UnitOriginSchema>;

/** A review flag stored with a unit (the report lists it with the unit's texts). */
export const ReviewFlagSchema = z
  .object({
    kind: z.enum(['stale', 'fuzzy', 'conflict', 'weak-alignment']),
    reason: z.string(),
    /** The English the old human text was written for (stale, fuzzy). */
    previousSource: z.string().optional(),
    /** The old human text (stale, fuzzy). */
    previousHuman: z.string().optional(),
    /** The human reference that disagrees with a post-edit (conflict). */
    reference: z.string().optional(),
    /** The post-edit kept (conflict). */
    postEdit: z.string().optional(),
  })
  .strict();
export type ReviewFlag = z.infer<typeof ReviewFlagSchema>;

/** One unit of a document as last written to `translated/`. */
export const UnitStateSchema = z
  .object({
    /** `Segment.hash` of the English unit. */
    sourceHash: z.string().min(1),
    /** `Segment.text` of the English unit (what Translate saw). */
    sourceText: z.string(),
    kind: UnitKindSchema.optional(),
    /** The unit's Markdown in the translated file as last written (compared with the current file to detect post-edits). */
    targetMarkdown: z.string(),
    origin: UnitOriginSchema,
    /** Translate job that produced the text (origin `machine`). */
    jobId: z.string().min(1).optional(),
    /** Hashes of the English unit's sentences (`splitSourceSentences`): lets an edited unit send only its changed sentences. */
    sentenceHashes: z.array(z.string().min(1)).optional(),
    /** The human reference unit Markdown paired with this unit when it was written (absent: none). */
    reference: z.string().optional(),
    /** The English (`Segment.text`) that `reference` was written for, when it is not `sourceText` (a stale reference). */
    referenceSource: z.string().optional(),
    /** A flag for a translator's review, carried while nobody edits the unit. */
    review: ReviewFlagSchema.optional(),
  })
  .strict();
export type UnitState = z.infer<typeof UnitStateSchema>;

/** The units of one document, in source order, as last written. */
export const DocumentStateSchema = z
  .object({
    units: z.array(UnitStateSchema),
    /** Run that last wrote the document. */
    runId: z.string().min(1),
    /** SHA-256 (hex) of the English document the translation was built from: detects changes outside units (code, math). */
    sourceDocumentHash: z.string().min(1).optional(),
    /**
     * Hash of each stretch of the English source between units when the document was last written
     * (`units.length + 1` entries: before the first unit, between units, after the last). The translated file
     * differs from them only where a human edited outside units (e.g. translated a code comment): a rewrite
     * carries those edits over while the English stretch is unchanged, and reports a conflict otherwise.
     */
    gapHashes: z.array(z.string()).optional(),
    /**
     * `referenceUnitHash` of every unit of the human reference when the document was last written: a human
     * text already there but never paired with a unit is not taken as written for new English.
     */
    referenceUnits: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((d) => d.gapHashes === undefined || d.gapHashes.length === d.units.length + 1, {
    message: 'gapHashes must have one entry more than units',
    path: ['gapHashes'],
  });
export type DocumentState = z.infer<typeof DocumentStateSchema>;

/**
 * The sync state of one language pair (`state/<src>-<tgt>/sync-state.json`): the zod schema and, derived
 * from it, the type. Unknown fields are rejected (a typo in a hand-edited state is an error).
 */
export const SyncStateSchema = z
  .object({
    version: z.literal(SYNC_STATE_VERSION),
    /** `<src>-<tgt>`, e.g. `en-zh`. */
    pair: z.string().regex(PAIR_ID, 'expected <src>-<tgt>, e.g. en-zh'),
    /** Last run that committed the state; `null` for a fresh state. */
    lastRunId: z.string().min(1).nullable(),
    /** Keyed by document path relative to `source/<src>/`, e.g. `chapter_x/y.md`. */
    documents: z.record(z.string().min(1), DocumentStateSchema),
  })
  .strict();
export type SyncState = z.infer<typeof SyncStateSchema>;

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
