/**
 * Build Parallel Data's policy (which documents are paired with which English, what goes into the CSV,
 * what the run records) and the parallel-data resource's identity rules, shared by Build Parallel Data
 * (is the resource up to date?) and Create Or Update Parallel Data (what to write), and the latter's
 * request and result.
 */
import { z } from 'zod';
import type { AlignedDocument } from '../align/book';
import { type CsvCounts, ParallelDataRows } from '../align/csv';
import type { PairCounts } from '../align/pair';
import { InvalidInputError } from '../errors';
import { jsonMembers } from '../json-members';
import type { ObjectStamp } from '../sync/changes';
import { clearOf, isOriginPath, originPathOf } from '../sync/reference';
import { PARALLEL_DATA_POLL, waitSeconds } from './backoff';
import { type LanguagePair, parallelDataClientToken } from './names';
import type { PairCacheKey } from './pair-cache';
import type { ParallelDataState } from './payload';

/** A document with a human reference, and the English it is aligned with. */
export interface ReferenceDocument {
  path: string;
  /** Bucket key of the English: the document, or its origin file (the English the reference was written for). */
  sourceKey: string;
  referenceKey: string;
  fromOrigin: boolean;
  /** What its cached pairs must have been aligned from; null when a listing left out an ETag or size. */
  cacheKey: PairCacheKey | null;
}

/**
 * The documents to pair, in listing order, from the listings of `source/<src>/` and `reference/<tgt>/`
 * (relative path → stamp): every English document with a reference. Never new English with a human text
 * written for older English: where the English a reference was translated from is kept beside it
 * (`<name>_origin.md`, `originPattern`), that is the English paired. Origin files are never documents.
 */
export function referenceDocuments(
  pair: LanguagePair,
  sources: ReadonlyMap<string, ObjectStamp | null>,
  references: ReadonlyMap<string, ObjectStamp | null>,
  originPattern: string,
): ReferenceDocument[] {
  const srcPrefix = `source/${pair.source}/`;
  const refPrefix = `reference/${pair.target}/`;
  const origins = new Set([...references.keys()].filter((p) => isOriginPath(p, originPattern)));
  return [...sources.keys()]
    .filter((path) => references.has(path) && !origins.has(path))
    .map((path) => {
      const originKey = originPathOf(path, originPattern);
      const fromOrigin = origins.has(originKey);
      const source = fromOrigin ? references.get(originKey) : sources.get(path);
      const reference = references.get(path);
      return {
        path,
        sourceKey: fromOrigin ? refPrefix + originKey : srcPrefix + path,
        referenceKey: refPrefix + path,
        fromOrigin,
        cacheKey: source && reference ? { fromOrigin, source, reference } : null,
      };
    });
}

const PlanStaleUnitsSchema = z.object({
  version: z.literal(1),
  runId: z.string().min(1),
  staleReferenceUnits: z.record(z.array(z.string())).optional(),
});

/**
 * The reference units Plan found stale (path → unit source texts), read from the plan file's bytes: only
 * its `version`, `runId` and `staleReferenceUnits` members are built and checked, never its plans and
 * snapshots (hundreds of MB at 5,000 documents). InvalidInputError when it is not this run's plan.
 */
export function planStaleUnits(bytes: Uint8Array, where: string, runId: string): Record<string, string[]> {
  const members = jsonMembers(bytes, ['version', 'runId', 'staleReferenceUnits'], where);
  const parsed = PlanStaleUnitsSchema.safeParse(members);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new InvalidInputError(`${where}: not an AMTS plan file (version 1)${at}: ${issue?.message}`);
  }
  if (parsed.data.runId !== runId) {
    throw new InvalidInputError(`${where}: plan of run ${parsed.data.runId}, expected ${runId}`);
  }
  return parsed.data.staleReferenceUnits ?? {};
}

/** What Build Parallel Data records of a run (`work/<pair>/<runId>/parallel-data.json`). */
export interface ParallelDataSummary {
  counts: {
    documents: { path: string; counts: PairCounts }[];
    missingTarget: string[];
    missingSource: string[];
    csv: CsvCounts;
  };
  skipped: { path: string; error: string }[];
  fromOrigin: string[];
  staleLeftOut: number;
  realigned: string[];
}

/**
 * The book's parallel data, document by document: each document's pairs go into the CSV rows (and are
 * then dropped: only the rows are held), except those of units Plan found stale (new English with a
 * human text written for older English) unless the document is paired with its origin file.
 */
export class BookParallelData {
  readonly rows: ParallelDataRows;
  private readonly summary: ParallelDataSummary;

  constructor(
    pair: LanguagePair,
    private readonly staleUnits: Readonly<Record<string, string[]>>,
  ) {
    this.rows = new ParallelDataRows({ source: pair.source, target: pair.target });
    this.summary = {
      counts: { documents: [], missingTarget: [], missingSource: [], csv: this.rows.counts() },
      skipped: [],
      fromOrigin: [],
      staleLeftOut: 0,
      realigned: [],
    };
  }

  /** A document about to be paired (listed in `fromOrigin` whether or not its pairs come). */
  begin(doc: ReferenceDocument): void {
    if (doc.fromOrigin) this.summary.fromOrigin.push(doc.path);
  }

  /** A document's aligned pairs (`realigned`: aligned in this run, not from the cache). */
  add(doc: ReferenceDocument, aligned: AlignedDocument, realigned: boolean): void {
    if (realigned) this.summary.realigned.push(doc.path);
    this.summary.counts.documents.push({ path: aligned.path, counts: aligned.counts });
    const stale = this.staleUnits[doc.path];
    const keep = doc.fromOrigin || !stale ? () => true : clearOf(stale);
    for (const p of aligned.pairs) {
      if (keep(p)) this.rows.add(p);
      else this.summary.staleLeftOut++;
    }
  }

  /** A document left out (its pair could not be read or aligned): the others go on. */
  skip(path: string, error: string): void {
    this.summary.skipped.push({ path, error });
  }

  /** The run's record, with the CSV counts as they are now. */
  result(): ParallelDataSummary {
    return { ...this.summary, counts: { ...this.summary.counts, csv: this.rows.counts() } };
  }
}

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
