// Task "Check Translation Job": one DescribeTextTranslationJob per running job of the batch (two with an
// evaluation's baseline), classified by core/workflow/translation-job.ts; the Wait state does the
// waiting, and a split batch goes back to Start Translation Job when jobs ended and parts wait.
import { DescribeTextTranslationJobCommand } from '@aws-sdk/client-translate';
import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { parseInput } from '../core/workflow/input';
import { CheckTranslationJobEventSchema, type JobState } from '../core/workflow/payload';
import {
  type DescribedJob,
  describedJob,
  describedPart,
  jobParts,
  nextBaseline,
  nextJobsState,
} from '../core/workflow/translation-job';

async function describeJob(jobId: string): Promise<DescribedJob> {
  const out = await services().translate.send(new DescribeTextTranslationJobCommand({ JobId: jobId }));
  return describedJob(jobId, out.TextTranslationJobProperties);
}

export const handler = stepHandler('Check Translation Job', async (event: unknown): Promise<JobState> => {
  const { job } = parseInput(CheckTranslationJobEventSchema, event, 'event');
  const described = [];
  for (const part of jobParts(job)) {
    const main = part.done ? null : await describeJob(part.jobId);
    const baseline =
      part.baseline && !part.baseline.done
        ? nextBaseline(part.baseline, await describeJob(part.baseline.jobId))
        : part.baseline;
    described.push(describedPart(part, main, baseline));
  }
  return nextJobsState(job, described, services().env.jobLimits.concurrent);
});
