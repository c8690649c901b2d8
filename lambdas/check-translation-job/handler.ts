// Task "Check Translation Job": one DescribeTextTranslationJob (two with an evaluation's baseline),
// classified by core/workflow/translation-job.ts; the Wait state does the waiting.
import { DescribeTextTranslationJobCommand } from '@aws-sdk/client-translate';
import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { parseInput } from '../core/workflow/input';
import { CheckTranslationJobEventSchema, type JobState } from '../core/workflow/payload';
import {
  type DescribedJob,
  describedJob,
  nextBaseline,
  nextJobState,
} from '../core/workflow/translation-job';

async function describeJob(jobId: string): Promise<DescribedJob> {
  const out = await services().translate.send(new DescribeTextTranslationJobCommand({ JobId: jobId }));
  return describedJob(jobId, out.TextTranslationJobProperties);
}

export const handler = stepHandler('Check Translation Job', async (event: unknown): Promise<JobState> => {
  const { job } = parseInput(CheckTranslationJobEventSchema, event, 'event');
  const main = await describeJob(job.jobId);
  const baseline =
    job.baseline && !job.baseline.done
      ? nextBaseline(job.baseline, await describeJob(job.baseline.jobId))
      : job.baseline;
  return nextJobState(job, main, baseline);
});
