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
import { type DocumentReport, DocumentReportSchema } from '../report';
import type { DocumentPlan, RunPlan } from './api';

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

/**
 * The listings of the pair's objects, keyed by path relative to their prefix; a `null` stamp is an
 * object listed without ETag or size.
 */
export interface PairListing {
  source: ReadonlyMap<string, ObjectStamp | null>;
  translated: ReadonlyMap<string, ObjectStamp | null>;
  /** References and origin files (`<name>_origin.md`) alike, as listed under `reference/<tgt>/`. */
  reference: ReadonlyMap<string, ObjectStamp | null>;
}

/**
 * The listing of one document; `null` when it cannot be known from the listing (its English source is
 * not listed, or one of its objects was listed without ETag or size): such a document is always read.
 * @param originPath where the document's origin file would be (`originPathOf`), `null` when origins are not used.
 */
export function documentListing(
  path: string,
  listing: PairListing,
  originPath: string | null,
): DocumentListing | null {
  const stamp = (
    map: ReadonlyMap<string, ObjectStamp | null>,
    key: string | null,
  ): ObjectStamp | null | undefined => {
    if (key === null || !map.has(key)) return null; // absent
    return map.get(key) ?? undefined; // listed without a stamp: unknown
  };
  const source = stamp(listing.source, path);
  const translated = stamp(listing.translated, path);
  const reference = stamp(listing.reference, path);
  const origin = stamp(listing.reference, originPath);
  if (!source || translated === undefined || reference === undefined || origin === undefined) return null;
  return { source, translated, reference, origin };
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

/** The plan of a document whose recorded plan still holds: nothing to read, write or send. */
export function settledPlan(path: string, settled: SettledDocument): DocumentPlan {
  return {
    path,
    status: 'unchanged',
    units: [],
    counts: { ...settled.report.units },
    machineUnitIds: [],
    charactersSent: 0,
    warnings: [...settled.report.warnings],
    error: null,
    sourceDocumentHash: '',
    gapOverrides: [],
    translatedDocumentHash: null,
  };
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The run plan with the settled documents in it: each as an `unchanged` document with its recorded
 * report line, in path order (orphans stay last). Characters, cost and the job decision are unchanged:
 * a settled document sends nothing.
 */
export function withSettled(plan: RunPlan, settled: ReadonlyMap<string, SettledDocument>): RunPlan {
  if (settled.size === 0) return plan;
  const extra = [...settled].map(([path, s]) => ({
    plan: settledPlan(path, s),
    report: s.report as DocumentReport,
  }));
  const planned = plan.documents.length;
  return {
    ...plan,
    documents: [...plan.documents, ...extra.map((e) => e.plan)].sort(byPath),
    report: [...plan.report.slice(0, planned), ...extra.map((e) => e.report)]
      .sort(byPath)
      .concat(plan.report.slice(planned)),
  };
}

/**
 * What the index learns from a plan: each document read and planned `unchanged` (not forced) is settled
 * at its listing, with its report line and stale reference units; a document read that is no longer up
 * to date loses its record. Only changes are returned (an empty map: nothing to write).
 */
export function settledChanges(input: {
  plan: Pick<RunPlan, 'documents' | 'report'>;
  /** The documents read and planned in this run. */
  read: readonly string[];
  listings: ReadonlyMap<string, DocumentListing>;
  known: ReadonlyMap<string, SettledDocument>;
  staleUnits: Readonly<Record<string, readonly string[]>>;
}): Map<string, SettledDocument | null> {
  const changes = new Map<string, SettledDocument | null>();
  const plans = new Map(input.plan.documents.map((d) => [d.path, d]));
  const reports = new Map(input.plan.report.map((r) => [r.path, r]));
  for (const path of input.read) {
    const plan = plans.get(path);
    const report = reports.get(path);
    const listing = input.listings.get(path);
    const known = input.known.get(path);
    if (plan?.status === 'unchanged' && !plan.forced && report && listing) {
      const record: SettledDocument = {
        listing,
        report: DocumentReportSchema.parse(report),
        staleUnits: [...(input.staleUnits[path] ?? [])],
      };
      if (!known || JSON.stringify(known) !== JSON.stringify(record)) changes.set(path, record);
    } else if (known) changes.set(path, null);
  }
  return changes;
}
