// Task "Start Translation Job": one StartTextTranslationJob, idempotent through its ClientToken.
import { StartTextTranslationJobCommand } from '@aws-sdk/client-translate';
import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { AmtsError, InvalidInputError } from '../core/errors';
import { JOB_POLL, waitSeconds } from '../core/workflow/backoff';
import { parseInput } from '../core/workflow/input';
import { clientToken, jobName } from '../core/workflow/names';
import { type JobState, StartTranslationJobEventSchema } from '../core/workflow/payload';

/** Output folder of the baseline job: `…/output/` → `…/output/plain/` (inside the prefix Translate may write). */
export function plainOutputUri(outputUri: string): string {
  return `${outputUri.replace(/\/+$/, '')}/plain/`;
}

export const handler = stepHandler('Start Translation Job', async (event: unknown): Promise<JobState> => {
  const { pair, plan, parallelData, batch } = parseInput(StartTranslationJobEventSchema, event, 'event');
  if (!batch.needsJob || !batch.inputUri || !batch.outputUri || !batch.batchHash) {
    throw new InvalidInputError('event.batch: Start Translation Job needs inputUri, outputUri and batchHash');
  }
  const svc = services();
  if (!svc.env.translateRoleArn) {
    throw new AmtsError(
      'AMTS_TRANSLATE_ROLE_ARN is not set: Translate needs a data-access role for batch jobs',
    );
  }
  const start = async (variant: 'act' | 'plain') => {
    const out = await svc.translate.send(
      new StartTextTranslationJobCommand({
        JobName: jobName(pair, variant === 'act' ? plan.runId : `${plan.runId}-plain`),
        InputDataConfig: { S3Uri: batch.inputUri as string, ContentType: 'text/html' },
        OutputDataConfig: {
          S3Uri: variant === 'act' ? (batch.outputUri as string) : plainOutputUri(batch.outputUri as string),
        },
        DataAccessRoleArn: svc.env.translateRoleArn,
        SourceLanguageCode: pair.source,
        TargetLanguageCodes: [pair.target],
        ...(variant === 'act' && parallelData.name ? { ParallelDataNames: [parallelData.name] } : {}),
        ClientToken: clientToken(
          plan.runId,
          variant === 'act' ? (batch.batchHash as string) : `${batch.batchHash}:plain`,
        ),
      }),
    );
    if (!out.JobId) throw new AmtsError('StartTextTranslationJob returned no JobId');
    return { jobId: out.JobId, status: out.JobStatus ?? 'SUBMITTED', done: false };
  };
  const main = await start('act');
  // A baseline only means something when the main job uses parallel data.
  const baseline = plan.compareWithoutParallelData && parallelData.name ? await start('plain') : undefined;
  return { ...main, attempt: 0, waitSeconds: waitSeconds(0, JOB_POLL), ...(baseline ? { baseline } : {}) };
});
