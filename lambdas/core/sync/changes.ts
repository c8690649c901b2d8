/**
 * Listing-based change detection (issue 17): a run with no change costs an S3 listing, not a read.
 *
 * A document's *listing* is the ETag and size of its four objects (English source, translated file,
 * human reference, origin file) as a ListObjectsV2 page reports them. When a document was last planned
 * (or assembled) and came out `unchanged`, the sync state's index records that listing with the report
 * line the plan gave and the English unit texts whose reference is stale (Build Parallel Data leaves
 * them out). A later run whose listing of the document is identical reuses that record and reads
 * nothing of it; any difference (a new ETag or size, an object that appeared or disappeared) and the
 * document is read and planned in full. Pure: no SDK, no clock.
 */
import { z } from 'zod';
import { DocumentReportSchema } from '../report';

/** An object as a listing shows it. */
export const ObjectStampSchema = z
  .object({ etag: z.string().min(1), size: z.number().int().nonnegative() })
  .strict();
export type ObjectStamp = z.infer<typeof ObjectStampSchema>;

/** The objects of one document (`null`: absent). */
export const DocumentListingSchema = z
  .object({
    source: ObjectStampSchema,
    translated: ObjectStampSchema.nullable(),
    reference: ObjectStampSchema.nullable(),
    origin: ObjectStampSchema.nullable(),
  })
  .strict();
export type DocumentListing = z.infer<typeof DocumentListingSchema>;

/** A document known to be up to date as long as its listing stays the same. */
export const SettledDocumentSchema = z
  .object({
    listing: DocumentListingSchema,
    /** The report line its plan gave (status `unchanged`). */
    report: DocumentReportSchema,
    /** English unit texts whose human reference was written for other English (see staleReferenceUnits). */
    staleUnits: z.array(z.string()),
  })
  .strict();
export type SettledDocument = z.infer<typeof SettledDocumentSchema>;

/** The listings of the pair's objects, keyed by path relative to their prefix. */
export interface PairListing {
  source: ReadonlyMap<string, ObjectStamp>;
  translated: ReadonlyMap<string, ObjectStamp>;
  /** References and origin files (`<name>_origin.md`) alike, as listed under `reference/<tgt>/`. */
  reference: ReadonlyMap<string, ObjectStamp>;
}

/**
 * The listing of one document; `null` when its English source is not listed.
 * @param originPath where the document's origin file would be (`originPathOf`), `null` when origins are not used.
 */
export function documentListing(
  path: string,
  listing: PairListing,
  originPath: string | null,
): DocumentListing | null {
  const source = listing.source.get(path);
  if (!source) return null;
  return {
    source,
    translated: listing.translated.get(path) ?? null,
    reference: listing.reference.get(path) ?? null,
    origin: originPath === null ? null : (listing.reference.get(originPath) ?? null),
  };
}

const sameStamp = (a: ObjectStamp | null, b: ObjectStamp | null): boolean =>
  a === b || (a !== null && b !== null && a.etag === b.etag && a.size === b.size);

/** Whether two listings name the same objects (same ETag and size each, or both absent). */
export function sameListing(a: DocumentListing, b: DocumentListing): boolean {
  return (
    sameStamp(a.source, b.source) &&
    sameStamp(a.translated, b.translated) &&
    sameStamp(a.reference, b.reference) &&
    sameStamp(a.origin, b.origin)
  );
}

/** Input of {@link changedDocuments}. */
export interface ChangeInput {
  /** The documents the run covers (every English document, or those the input names). */
  selected: readonly string[];
  /** Each selected document's listing now (absent: not listed). */
  listings: ReadonlyMap<string, DocumentListing>;
  /** What the state recorded per document (absent: never settled). */
  settled: ReadonlyMap<string, SettledDocument>;
  /** Documents that must be read whatever their listing (named in the input, finished from a crash log). */
  mustRead: ReadonlySet<string>;
  /** force / evaluate: every selected document is read. */
  readAll: boolean;
}

/**
 * Splits the selected documents into those to read and plan and those whose recorded plan still holds
 * (same listing as when they were found up to date): the second cost nothing but the listing.
 */
export function changedDocuments(input: ChangeInput): {
  read: string[];
  settled: Map<string, SettledDocument>;
} {
  const read: string[] = [];
  const settled = new Map<string, SettledDocument>();
  for (const path of input.selected) {
    const now = input.listings.get(path);
    const known = input.settled.get(path);
    if (!input.readAll && !input.mustRead.has(path) && now && known && sameListing(now, known.listing)) {
      settled.set(path, known);
    } else read.push(path);
  }
  return { read, settled };
}
