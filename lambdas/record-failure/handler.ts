// Task "Record Failure": a failure report in reports/, the pair lock released if this run holds it, a
// notification; the state machine then fails with the original error name.

import { stepHandler } from '../aws/observability';
import { writeRunReport } from '../aws/reports';
import { notify, services, stateStore } from '../aws/services';
import type { RunReport } from '../core/report';
import { parseInput } from '../core/workflow/input';
import { pairId, runIdFor } from '../core/workflow/names';
import { RecordFailureEventSchema } from '../core/workflow/payload';
import { terminalJobStatus } from '../core/workflow/status';
import { describeError } from '../core/workflow/step-error';

export const handler = stepHandler(
  'Record Failure',
  async (event: unknown): Promise<{ reportKey: string }> => {
    const { pair, execution, plan, job, error } = parseInput(RecordFailureEventSchema, event, 'event');
    const svc = services();
    const runId = plan.runId ?? runIdFor(execution);
    const err = describeError(error);
    const jobInfo = job as { jobId?: string; status?: string } | null;
    const report: RunReport = {
      runId,
      pair: pairId(pair),
      status: 'FAILED',
      startedAt: execution.startTime,
      finishedAt: new Date().toISOString(),
      parallelData: null,
      job: jobInfo?.jobId ? { jobId: jobInfo.jobId, status: terminalJobStatus(jobInfo.status, err) } : null,
      charactersSent: 0,
      estimatedCostUsd: 0,
      documents: [],
      error: err,
    };
    const key = await writeRunReport(svc.bucket, pair, report);
    // Only this run's lock: releaseLock never frees another run's.
    await stateStore(svc, pair).releaseLock(runId);
    await notify(
      svc,
      'FAILED',
      pair,
      `AMTS ${pairId(pair)} FAILED: ${err.name}`,
      `Run ${runId} failed with ${err.name}: ${err.message}\nReport: ${svc.bucket.uri(key)}`,
    );
    return { reportKey: key };
  },
);
