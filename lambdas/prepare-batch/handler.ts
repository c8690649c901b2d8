// Task "Prepare Batch": the Translate HTML of every unit that needs machine translation, one file per
// document, under work/<pair>/<runId>/input/ (one input folder per job), plus a manifest. The policy
// (what goes in, Translate's limits, file names, the manifest) is core/workflow/batch.ts.

import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { type BatchEntry, batchInputs, batchSummary } from '../core/workflow/batch';
import { parseInput } from '../core/workflow/input';
import { batchManifestKey, workPrefix } from '../core/workflow/names';
import { type BatchState, PrepareBatchEventSchema } from '../core/workflow/payload';
import { parsePlanFile } from '../core/workflow/plan-file';

export const handler = stepHandler('Prepare Batch', async (event: unknown): Promise<BatchState> => {
  const { pair, plan } = parseInput(PrepareBatchEventSchema, event, 'event');
  const svc = services();
  const file = parsePlanFile(
    await svc.bucket.getJson(plan.planKey),
    svc.bucket.uri(plan.planKey),
    plan.runId,
  );
  const prefix = workPrefix(pair, plan.runId);
  const written: { entry: BatchEntry; hash: string }[] = [];
  const skipped: { path: string; reason: string }[] = [];
  for (const input of batchInputs(file, pair.source, plan.planKey)) {
    if (input.kind === 'skipped') {
      skipped.push({ path: input.path, reason: input.reason });
      continue;
    }
    await svc.bucket.putText(`${prefix}input/${input.entry.file}`, input.html, 'text/html; charset=utf-8');
    written.push({ entry: input.entry, hash: input.hash }); // not the HTML: one document in memory at a time
  }
  const { manifest, characters, batchHash } = batchSummary(plan.runId, written, skipped);
  const manifestKey = batchManifestKey(pair, plan.runId);
  await svc.bucket.putJson(manifestKey, manifest);
  const needsJob = written.length > 0;
  return {
    needsJob,
    documents: written.length,
    characters,
    inputUri: needsJob ? svc.bucket.uri(`${prefix}input/`) : null,
    outputUri: needsJob ? svc.bucket.uri(`${prefix}output/`) : null,
    manifestKey,
    batchHash,
  };
});
