// Task "Plan Batch" (the child workflow of the Distributed Map "Plan Documents"): read a bounded batch
// of documents (their English, translated file, reference and origin, and their sync-state shards) and
// decide unit by unit what to reuse, take from the reference or machine translate (core/workflow/
// planning.ts, core/sync/plan.ts); the result goes to work/<pair>/<runId>/plan/result/ for "Finish Plan".

import { stepHandler } from '../aws/observability';
import { readMarkdown, services, stateStore } from '../aws/services';
import { parseInput } from '../core/workflow/input';
import { PlanBatchEventSchema, type PlanBatchResultState, type PlanItem } from '../core/workflow/payload';
import {
  type BatchDocument,
  PlanRunSchema,
  parsePlanArtifact,
  planBatch,
  planResultKey,
  planRunKey,
} from '../core/workflow/planning';

export const handler = stepHandler('Plan Batch', async (event: unknown): Promise<PlanBatchResultState> => {
  const { items, pair, plan } = parseInput(PlanBatchEventSchema, event, 'event');
  const svc = services();
  const runKey = planRunKey(pair, plan.runId);
  const run = parsePlanArtifact(
    PlanRunSchema,
    await svc.bucket.getJson(runKey),
    svc.bucket.uri(runKey),
    plan.runId,
  );
  const previous = await stateStore(svc, pair).readDocuments(items.map((i) => i.path));
  const [src, tr, ref] = [
    `source/${pair.source}/`,
    `translated/${pair.target}/`,
    `reference/${pair.target}/`,
  ];
  const read = async (item: PlanItem): Promise<BatchDocument> => {
    try {
      const source = await readMarkdown(svc.bucket, src + item.path);
      if (source === null) return { path: item.path, texts: null }; // deleted since the listing
      const translated = item.translated ? await readMarkdown(svc.bucket, tr + item.path) : null;
      const reference = item.reference ? await readMarkdown(svc.bucket, ref + item.path) : null;
      const origin =
        reference !== null && item.origin ? await readMarkdown(svc.bucket, ref + item.origin) : null;
      return { path: item.path, texts: { path: item.path, source, translated, reference, origin } };
    } catch (error) {
      return { path: item.path, error };
    }
  };
  const documents: BatchDocument[] = [];
  for (const item of items) documents.push(await read(item));
  const result = planBatch(run, documents, previous);
  const resultKey = planResultKey(pair, plan.runId, items[0]?.index ?? 0);
  await svc.bucket.putJson(resultKey, result);
  return { resultKey, documents: items.length, failed: result.failed.length };
});
