/**
 * The aligned pairs of each document, cached between runs (issue 17): Build Parallel Data re-aligns a
 * document only when its English (or origin file) or its reference changed, and writes the CSV of the
 * whole book from the cache. An entry is keyed by what the S3 listing says of the two texts it was
 * aligned from (ETag and size: S3's own content hash, known without reading) and records their SHA-256
 * too. Pure: no SDK.
 */
import { z } from 'zod';
import type { AlignedDocument } from '../align/book';
import type { PairCounts } from '../align/pair';
import { sha256 } from '../hash';
import { type ObjectStamp, ObjectStampSchema } from '../sync/changes';

/** Bump when the aligner's output for the same texts changes: every entry is then re-aligned once. */
export const PAIR_CACHE_VERSION = 1 as const;

export const PairCacheEntrySchema = z
  .object({
    version: z.literal(PAIR_CACHE_VERSION),
    path: z.string().min(1),
    /** The English aligned: the document, or its origin file (the English the reference was written for). */
    fromOrigin: z.boolean(),
    source: ObjectStampSchema,
    reference: ObjectStampSchema,
    sourceHash: z.string().min(1),
    referenceHash: z.string().min(1),
    /** The aligner's counts for the document (PairCounts), as it reported them. */
    counts: z.custom<PairCounts>((v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
    pairs: z.array(z.object({ source: z.string(), target: z.string() }).strict()),
  })
  .strict();
export type PairCacheEntry = z.infer<typeof PairCacheEntrySchema>;

/** What a document's entry must match: the texts' listing and whether the English is the origin file. */
export interface PairCacheKey {
  fromOrigin: boolean;
  source: ObjectStamp;
  reference: ObjectStamp;
}

const same = (a: ObjectStamp, b: ObjectStamp) => a.etag === b.etag && a.size === b.size;

/** A cached entry (parsed JSON) if it is one and still holds for `key`, else `null`: re-align. */
export function freshEntry(value: unknown, path: string, key: PairCacheKey): PairCacheEntry | null {
  const parsed = PairCacheEntrySchema.safeParse(value);
  if (!parsed.success) return null;
  const e = parsed.data;
  return e.path === path &&
    e.fromOrigin === key.fromOrigin &&
    same(e.source, key.source) &&
    same(e.reference, key.reference)
    ? e
    : null;
}

/** The cache entry of a document just aligned. */
export function cacheEntry(
  aligned: AlignedDocument,
  key: PairCacheKey,
  texts: { source: string; reference: string },
): PairCacheEntry {
  return {
    version: PAIR_CACHE_VERSION,
    path: aligned.path,
    fromOrigin: key.fromOrigin,
    source: key.source,
    reference: key.reference,
    sourceHash: sha256(texts.source),
    referenceHash: sha256(texts.reference),
    counts: { ...aligned.counts },
    pairs: aligned.pairs,
  };
}
