// Task "Build Parallel Data": align every document that has a human reference into one CSV (the full
// corpus: UpdateParallelData replaces, never merges) and decide whether the resource needs an update.
import { GetParallelDataCommand, ResourceNotFoundException } from '@aws-sdk/client-translate';
import { logger, stepHandler } from '../aws/observability';
import { listMarkdownObjects, readMarkdown, services } from '../aws/services';
import { type AlignedDocument, alignBookDocument, csvOfDocuments } from '../core/align/book';
import { sha256 } from '../core/hash';
import { clearOf, DEFAULT_ORIGIN_PATTERN, isOriginPath, originPathOf } from '../core/sync/reference';
import { describeFailure, isRunError } from '../core/workflow/chapter-guard';
import { parseInput } from '../core/workflow/input';
import { parallelDataKey, parallelDataName, parallelDataPairsKey, workPrefix } from '../core/workflow/names';
import { cacheEntry, freshEntry } from '../core/workflow/pair-cache';
import { isUpToDate } from '../core/workflow/parallel-data';
import { BuildParallelDataEventSchema, type ParallelDataState } from '../core/workflow/payload';
import { parsePlanFile } from '../core/workflow/plan-file';

export const handler = stepHandler(
  'Build Parallel Data',
  async (event: unknown): Promise<ParallelDataState> => {
    const { pair, plan } = parseInput(BuildParallelDataEventSchema, event, 'event');
    const svc = services();
    if (!svc.env.parallelData) {
      // Deployed with parallelData: false (a region without Active Custom Translation).
      logger.info('parallel data is off for this deployment: translating without it');
      return { action: 'none', name: null, pairs: 0, csvKey: null, csvHash: null, updated: false };
    }
    const srcPrefix = `source/${pair.source}/`;
    const refPrefix = `reference/${pair.target}/`;
    const originPattern = process.env.AMTS_ORIGIN_PATTERN || DEFAULT_ORIGIN_PATTERN;
    const references = await listMarkdownObjects(svc.bucket, refPrefix);
    const originPaths = new Set([...references.keys()].filter((p) => isOriginPath(p, originPattern)));
    const sourceObjects = await listMarkdownObjects(svc.bucket, srcPrefix);
    const sourcePaths = [...sourceObjects.keys()].filter((p) => references.has(p) && !originPaths.has(p));
    // Never pair new English with a human text written for older English: where the English a reference
    // was translated from is kept beside it (`<name>_origin.md`), pair that; elsewhere leave out the units
    // the plan found stale.
    const file = parsePlanFile(
      await svc.bucket.getJson(plan.planKey),
      svc.bucket.uri(plan.planKey),
      plan.runId,
    );
    const stale = file.staleReferenceUnits ?? {};
    const fromOrigin: string[] = [];
    let leftOut = 0;
    const aligned: AlignedDocument[] = [];
    const skipped: { path: string; error: string }[] = [];
    const realigned: string[] = [];
    // Each document's pairs come from the cache while its two texts are the ones it was aligned from
    // (their listing); only a changed document is read and aligned again.
    for (const path of sourcePaths) {
      try {
        const originKey = originPathOf(path, originPattern);
        const fromOriginFile = originPaths.has(originKey);
        const sourceKey = fromOriginFile ? refPrefix + originKey : srcPrefix + path;
        const sourceStamp = fromOriginFile ? references.get(originKey) : sourceObjects.get(path);
        const referenceStamp = references.get(path);
        if (fromOriginFile) fromOrigin.push(path);
        const cacheKey = parallelDataPairsKey(pair, path);
        const key =
          sourceStamp && referenceStamp
            ? { fromOrigin: fromOriginFile, source: sourceStamp, reference: referenceStamp }
            : null;
        const cached = key ? freshEntry(await svc.bucket.getJson(cacheKey), path, key) : null;
        if (cached) {
          aligned.push(cached);
          continue;
        }
        const source = await readMarkdown(svc.bucket, sourceKey);
        const target = await readMarkdown(svc.bucket, refPrefix + path);
        if (source === null || target === null) continue; // deleted meanwhile
        // A pair the codec cannot parse (nesting, size…) is left out here rather than failing the aligner
        // for the whole book.
        const doc = alignBookDocument(path, source, target, { from: pair.source, to: pair.target });
        realigned.push(path);
        aligned.push(doc);
        if (key) await svc.bucket.putJson(cacheKey, cacheEntry(doc, key, { source, reference: target }));
      } catch (error) {
        if (isRunError(error)) throw error;
        skipped.push({ path, error: describeFailure(error, srcPrefix + path) });
      }
    }
    const name = parallelDataName(pair);
    const { csv, counts: csvCounts } = csvOfDocuments(aligned, {
      from: pair.source,
      to: pair.target,
      keep: (path, p) => {
        const keep = fromOrigin.includes(path) || !stale[path] || clearOf(stale[path])(p);
        if (!keep) leftOut++;
        return keep;
      },
    });
    const counts = {
      documents: aligned.map((d) => ({ path: d.path, counts: d.counts })),
      missingTarget: [],
      missingSource: [],
      csv: csvCounts,
    };
    await svc.bucket.putJson(`${workPrefix(pair, plan.runId)}parallel-data.json`, {
      counts,
      skipped,
      fromOrigin,
      staleLeftOut: leftOut,
      realigned,
    });
    if (counts.csv.written === 0) {
      logger.info('no reference pairs: translating without parallel data', { skipped: skipped.length });
      return { action: 'none', name: null, pairs: 0, csvKey: null, csvHash: null, updated: false };
    }
    const csvHash = sha256(csv);
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
    const base = { name, pairs: counts.csv.written, csvKey, csvHash };
    if (isUpToDate(props, csvHash)) return { action: 'unchanged', ...base, updated: false };
    await svc.bucket.putText(csvKey, csv, 'text/csv; charset=utf-8');
    return { action: 'update', ...base, updated: false };
  },
);
