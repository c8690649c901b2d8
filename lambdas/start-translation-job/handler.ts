// Task "Start Translation Job": one StartTextTranslationJob, idempotent through its ClientToken.
import { StartTextTranslationJobCommand } from '@aws-sdk/client-translate';
import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { AmtsError, InvalidInputError } from '../core/errors';
import { JOB_POLL, waitSeconds } from '../core/workflow/backoff';
import { parseInput } from '../core/workflow/input';
import { clientToken, jobName } from '../core/workflow/names';
import { type JobState, StartTranslationJobEventSchema } from '../core/workflow/payload';

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
  const out = await svc.translate.send(
    new StartTextTranslationJobCommand({
      JobName: jobName(pair, plan.runId),
      InputDataConfig: { S3Uri: batch.inputUri, ContentType: 'text/html' },
      OutputDataConfig: { S3Uri: batch.outputUri },
      DataAccessRoleArn: svc.env.translateRoleArn,
      SourceLanguageCode: pair.source,
      TargetLanguageCodes: [pair.target],
      ...(parallelData.name ? { ParallelDataNames: [parallelData.name] } : {}),
      ClientToken: clientToken(plan.runId, batch.batchHash),
    }),
  );
  if (!out.JobId) throw new AmtsError('StartTextTranslationJob returned no JobId');
  return {
    jobId: out.JobId,
    status: out.JobStatus ?? 'SUBMITTED',
    done: false,
    attempt: 0,
    waitSeconds: waitSeconds(0, JOB_POLL),
  };
});
