// Task "Start Translation Job": StartTextTranslationJob for the parts of the batch the concurrent-jobs
// quota leaves room for (a split batch comes back here as its jobs end), each idempotent through its
// ClientToken. The policy is core/workflow/start-translation-job.ts.
import { StartTextTranslationJobCommand } from '@aws-sdk/client-translate';
import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { AmtsError } from '../core/errors';
import { JOB_POLL, waitSeconds } from '../core/workflow/backoff';
import { parseInput } from '../core/workflow/input';
import { type JobPart, type JobState, StartTranslationJobEventSchema } from '../core/workflow/payload';
import { startedJobState, startJobRequest, startPlan } from '../core/workflow/start-translation-job';

export const handler = stepHandler('Start Translation Job', async (event: unknown): Promise<JobState> => {
  const { pair, plan, parallelData, batch, job } = parseInput(StartTranslationJobEventSchema, event, 'event');
  const svc = services();
  const roleArn = svc.env.translateRoleArn;
  if (!roleArn) {
    throw new AmtsError(
      'AMTS_TRANSLATE_ROLE_ARN is not set: Translate needs a data-access role for batch jobs',
    );
  }
  // A baseline only means something when the main job uses parallel data.
  const baseline = Boolean(plan.compareWithoutParallelData && parallelData.name);
  const { parts, start, started } = startPlan({
    batch,
    job,
    concurrent: svc.env.jobLimits.concurrent,
    baseline,
  });
  const send = async (part: (typeof start)[number], variant: 'act' | 'plain') => {
    const request = { pair, runId: plan.runId, part, variant, roleArn };
    const out = await svc.translate.send(
      new StartTextTranslationJobCommand(
        startJobRequest({
          ...request,
          outputUri: batch.outputUri as string,
          parallelDataName: parallelData.name,
        }),
      ),
    );
    if (!out.JobId) throw new AmtsError('StartTextTranslationJob returned no JobId');
    return { jobId: out.JobId, status: out.JobStatus ?? 'SUBMITTED', done: false };
  };
  const now: JobPart[] = [...started];
  for (const part of start) {
    const main = await send(part, 'act');
    now.push({ part: part.part, ...main, ...(baseline ? { baseline: await send(part, 'plain') } : {}) });
  }
  return startedJobState(now, parts.length, job, waitSeconds(job?.attempt ?? 0, JOB_POLL));
});
