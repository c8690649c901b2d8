// Task "Build Parallel Data": align every document that has a human reference into one CSV (the full
// corpus: UpdateParallelData replaces, never merges) and decide whether the resource needs an update.
// The CSV is built row by row and streamed: hashed first, uploaded only when the resource needs it.
import { GetParallelDataCommand, ResourceNotFoundException } from '@aws-sdk/client-translate';
import { logger, stepHandler } from '../aws/observability';
import { alignedDocument } from '../aws/parallel-data-io';
import { listMarkdownObjects, services } from '../aws/services';
import { sha256OfChunks } from '../core/hash';
import { DEFAULT_ORIGIN_PATTERN } from '../core/sync/reference';
import { describeFailure, isRunError } from '../core/workflow/chapter-guard';
import { parseInput } from '../core/workflow/input';
import { parallelDataKey, parallelDataName, workPrefix } from '../core/workflow/names';
import {
  BookParallelData,
  isUpToDate,
  planStaleUnits,
  referenceDocuments,
} from '../core/workflow/parallel-data';
import { BuildParallelDataEventSchema, type ParallelDataState } from '../core/workflow/payload';

const NONE: ParallelDataState = {
  action: 'none',
  name: null,
  pairs: 0,
  csvKey: null,
  csvHash: null,
  updated: false,
};

export const handler = stepHandler(
  'Build Parallel Data',
  async (event: unknown): Promise<ParallelDataState> => {
    const { pair, plan } = parseInput(BuildParallelDataEventSchema, event, 'event');
    const svc = services();
    if (!svc.env.parallelData) {
      // Deployed with parallelData: false (a region without Active Custom Translation).
      logger.info('parallel data is off for this deployment: translating without it');
      return NONE;
    }
    const documents = referenceDocuments(
      pair,
      await listMarkdownObjects(svc.bucket, `source/${pair.source}/`),
      await listMarkdownObjects(svc.bucket, `reference/${pair.target}/`),
      process.env.AMTS_ORIGIN_PATTERN || DEFAULT_ORIGIN_PATTERN,
    );
    // Only the plan's stale units are built: never its documents' plans and snapshots (no missing plan: no bytes).
    const stale = planStaleUnits(
      (await svc.bucket.getBytes(plan.planKey)) ?? new Uint8Array(),
      svc.bucket.uri(plan.planKey),
      plan.runId,
    );
    const book = new BookParallelData(pair, stale);
    for (const doc of documents) {
      book.begin(doc);
      try {
        const got = await alignedDocument(svc, pair, doc);
        if (got) book.add(doc, got.aligned, got.realigned);
      } catch (error) {
        // A pair the codec cannot parse (nesting, size…) is left out rather than failing the whole book.
        if (isRunError(error)) throw error;
        book.skip(doc.path, describeFailure(error, `source/${pair.source}/${doc.path}`));
      }
    }
    const summary = book.result();
    await svc.bucket.putJson(`${workPrefix(pair, plan.runId)}parallel-data.json`, summary);
    if (summary.counts.csv.written === 0) {
      logger.info('no reference pairs: translating without parallel data', {
        skipped: summary.skipped.length,
      });
      return NONE;
    }
    const name = parallelDataName(pair);
    const { hash: csvHash, bytes } = sha256OfChunks(book.rows.lines());
    const csvKey = parallelDataKey(pair);
    let props: Parameters<typeof isUpToDate>[0];
    try {
      props = (await svc.translate.send(new GetParallelDataCommand({ Name: name }))).ParallelDataProperties;
    } catch (error) {
      if (
        !(error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException')
      ) {
        throw error;
      }
    }
    const base = { name, pairs: summary.counts.csv.written, csvKey, csvHash };
    if (isUpToDate(props, csvHash)) return { action: 'unchanged', ...base, updated: false };
    await svc.bucket.putChunks(csvKey, book.rows.lines(), bytes, 'text/csv; charset=utf-8');
    return { action: 'update', ...base, updated: false };
  },
);
