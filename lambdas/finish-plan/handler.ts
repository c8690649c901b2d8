// Task "Finish Plan": combine the results of the "Plan Batch" children into the run's plan
// (work/<pair>/<runId>/plan.json), record in the state's index what was found up to date (conditional
// on the index Plan read), and end a dry run or a run with nothing to write: its report, the lock
// released, the notification. The policy is core/workflow/planning.ts.

import { logger, stepHandler } from '../aws/observability';
import { writeRunReport } from '../aws/reports';
import { notify, services, stateStore } from '../aws/services';
import { failureSummary } from '../core/workflow/chapter-guard';
import { parseInput } from '../core/workflow/input';
import { planKey } from '../core/workflow/names';
import { FinishPlanEventSchema, type PlanState } from '../core/workflow/payload';
import type { PlanFile } from '../core/workflow/plan-file';
import {
  combinePlan,
  endsWithPlan,
  type PlanBatchResult,
  PlanBatchResultSchema,
  PlanContextSchema,
  PlanRunSchema,
  parsePlanArtifact,
  planContextKey,
  planCounts,
  planNotification,
  planReport,
  planResultPrefix,
  planRunKey,
  writesState,
} from '../core/workflow/planning';

export const handler = stepHandler('Finish Plan', async (event: unknown): Promise<PlanState> => {
  const { pair, plan: planned } = parseInput(FinishPlanEventSchema, event, 'event');
  const { runId, attempt } = planned;
  const svc = services();
  const store = stateStore(svc, pair);
  const read = async <T extends { runId: string }>(
    schema: Parameters<typeof parsePlanArtifact<T>>[0],
    key: string,
  ) => parsePlanArtifact(schema, await svc.bucket.getJson(key), svc.bucket.uri(key), runId);
  const run = await read(PlanRunSchema, planRunKey(pair, runId));
  const context = await read(PlanContextSchema, planContextKey(pair, runId));
  const results: PlanBatchResult[] = [];
  for (const key of await svc.bucket.listKeys(planResultPrefix(pair, runId))) {
    results.push(await read(PlanBatchResultSchema, key));
  }
  const { file: combined, changes } = combinePlan(run, context, results);
  // What this plan found up to date is recorded in the index for the next run (never by a dry run or
  // an evaluation: they write nothing to the sync state).
  let stateEtag = context.indexEtag;
  if (writesState(run.request) && changes.size > 0) {
    stateEtag = await store.commitDocuments(new Map(), context.indexEtag, { settled: changes });
  }
  const file: PlanFile = { ...combined, stateEtag };
  if (file.failed) logger.warn('documents left out of the run', { failures: file.failed });
  const key = planKey(pair, runId);
  await svc.bucket.putJson(key, file);
  const counts = planCounts(file);
  if (!endsWithPlan(file))
    return { action: 'continue', attempt, waitSeconds: 0, runId, planKey: key, ...counts };
  const report = planReport(file, context.act, new Date().toISOString());
  const reportKey = await writeRunReport(svc.bucket, pair, report);
  await store.releaseLock(runId);
  const failures = file.failed ?? [];
  const note = planNotification(
    file,
    report,
    failures.length > 0 ? failureSummary(failures) : '',
    svc.bucket.uri(reportKey),
  );
  await notify(svc, note.outcome, pair, note.subject, note.message);
  return { action: 'done', attempt, waitSeconds: 0, runId, planKey: key, reportKey, ...counts };
});
