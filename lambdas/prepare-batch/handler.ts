// Task "Prepare Batch": the Translate HTML of every unit that needs machine translation, one file per
// document, under work/<pair>/<runId>/input/ (one input folder per job), plus a manifest; and the
// fanned-out assembly's items, one input per document and its summary. Both kinds of files are written
// with bounded concurrency (core/pool.ts). The policy (what goes in,
// Translate's limits, file names, the manifest) is core/workflow/batch.ts, the assembly's split of the
// plan core/workflow/assembly-files.ts.

import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { mapBounded } from '../core/pool';
import {
  assemblyArtifacts,
  assemblyInputKey,
  assemblyItemsKey,
  assemblySummaryKey,
} from '../core/workflow/assembly-files';
import {
  type BatchEntry,
  batchInputs,
  batchSummary,
  jobInputFolder,
  PREPARE_WRITES,
} from '../core/workflow/batch';
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
  // At most PREPARE_WRITES documents rendered and in flight at a time; `written` keeps the plan's order.
  const decided = await mapBounded(
    batchInputs(file, pair.source, plan.planKey, svc.env.jobLimits),
    PREPARE_WRITES,
    async (input) => {
      if (input.kind === 'skipped') return input;
      await svc.bucket.putText(
        `${prefix}input/${jobInputFolder(input.entry.job ?? 0)}${input.entry.file}`,
        input.html,
        'text/html; charset=utf-8',
      );
      return { kind: input.kind, entry: input.entry, hash: input.hash }; // not the HTML
    },
  );
  for (const input of decided) {
    if (input.kind === 'skipped') skipped.push({ path: input.path, reason: input.reason });
    else written.push({ entry: input.entry, hash: input.hash });
  }
  const { manifest, characters, batchHash, jobs } = batchSummary(plan.runId, written, skipped);
  const manifestKey = batchManifestKey(pair, plan.runId);
  await svc.bucket.putJson(manifestKey, manifest);
  const assembly = assemblyArtifacts(file, manifest);
  await mapBounded(assembly.inputs, PREPARE_WRITES, (input, i) =>
    svc.bucket.putJson(assemblyInputKey(pair, plan.runId, i), input),
  );
  await svc.bucket.putJson(assemblySummaryKey(pair, plan.runId), assembly.summary);
  await svc.bucket.putJson(assemblyItemsKey(pair, plan.runId), assembly.items);
  const needsJob = written.length > 0;
  return {
    needsJob,
    documents: written.length,
    characters,
    inputUri: needsJob ? svc.bucket.uri(`${prefix}input/`) : null,
    outputUri: needsJob ? svc.bucket.uri(`${prefix}output/`) : null,
    manifestKey,
    batchHash,
    assemblyItemsKey: assemblyItemsKey(pair, plan.runId),
    ...(needsJob ? { jobs } : {}),
  };
});
