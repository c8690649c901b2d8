// Task "Build Parallel Data": align every document that has a human reference into one CSV (the full
// corpus: UpdateParallelData replaces, never merges) and decide whether the resource needs an update.
import { GetParallelDataCommand, ResourceNotFoundException } from '@aws-sdk/client-translate';
import { logger, stepHandler } from '../aws/observability';
import { listMarkdown, readMarkdown, services } from '../aws/services';
import { pairBook } from '../core/align';
import { sha256 } from '../core/hash';
import { extractSegments } from '../core/markdown';
import { clearOf, DEFAULT_ORIGIN_PATTERN, isOriginPath, originPathOf } from '../core/sync/reference';
import { describeFailure, isRunError } from '../core/workflow/chapter-guard';
import { parseInput } from '../core/workflow/input';
import { parallelDataKey, parallelDataName, workPrefix } from '../core/workflow/names';
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
    const listing = await listMarkdown(svc.bucket, refPrefix);
    const originPaths = new Set(listing.filter((p) => isOriginPath(p, originPattern)));
    const referencePaths = new Set(listing.filter((p) => !originPaths.has(p)));
    const sourcePaths = (await listMarkdown(svc.bucket, srcPrefix)).filter((p) => referencePaths.has(p));
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
    const sources: { path: string; markdown: string }[] = [];
    const targets: { path: string; markdown: string }[] = [];
    const skipped: { path: string; error: string }[] = [];
    for (const path of sourcePaths) {
      try {
        const originKey = originPathOf(path, originPattern);
        const origin = originPaths.has(originKey)
          ? await readMarkdown(svc.bucket, refPrefix + originKey)
          : null;
        if (origin !== null) fromOrigin.push(path);
        const source = origin ?? (await readMarkdown(svc.bucket, srcPrefix + path));
        const target = await readMarkdown(svc.bucket, refPrefix + path);
        if (source === null || target === null) continue; // deleted meanwhile
        // A pair the codec cannot parse (nesting, size…) is left out here rather than failing the aligner
        // for the whole book.
        extractSegments(source, { file: srcPrefix + path });
        extractSegments(target, { file: refPrefix + path });
        sources.push({ path, markdown: source });
        targets.push({ path, markdown: target });
      } catch (error) {
        if (isRunError(error)) throw error;
        skipped.push({ path, error: describeFailure(error, srcPrefix + path) });
      }
    }
    const name = parallelDataName(pair);
    const { csv, counts } = pairBook(sources, targets, {
      from: pair.source,
      to: pair.target,
      level: 'sentence',
      keep: (path, p) => {
        const keep = fromOrigin.includes(path) || !stale[path] || clearOf(stale[path])(p);
        if (!keep) leftOut++;
        return keep;
      },
    });
    await svc.bucket.putJson(`${workPrefix(pair, plan.runId)}parallel-data.json`, {
      counts,
      skipped,
      fromOrigin,
      staleLeftOut: leftOut,
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
