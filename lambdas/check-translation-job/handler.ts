// Task "Check Translation Job": one DescribeTextTranslationJob, classified; the Wait state does the waiting.
import { DescribeTextTranslationJobCommand } from '@aws-sdk/client-translate';
import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { TranslationJobFailedError } from '../core/errors';
import { JOB_POLL, nextPoll } from '../core/workflow/backoff';
import { parseInput } from '../core/workflow/input';
import { CheckTranslationJobEventSchema, type JobState } from '../core/workflow/payload';
import { classifyJob } from '../core/workflow/status';

/**
 * The job's real output prefix. Translate writes under `<OutputS3Uri><AccountId>-TranslateText-<JobId>/`;
 * Describe may return either the configured URI or that full prefix, so both are handled.
 */
export function jobOutputUri(
  configured: string,
  jobId: string,
  dataAccessRoleArn: string | undefined,
): string {
  const base = configured.endsWith('/') ? configured : `${configured}/`;
  if (base.endsWith(`-TranslateText-${jobId}/`)) return base;
  const account = dataAccessRoleArn?.split(':')[4];
  if (!account) {
    throw new TranslationJobFailedError(
      `job ${jobId}: cannot derive the output prefix (no account in the role ARN)`,
    );
  }
  return `${base}${account}-TranslateText-${jobId}/`;
}

export const handler = stepHandler('Check Translation Job', async (event: unknown): Promise<JobState> => {
  const { job } = parseInput(CheckTranslationJobEventSchema, event, 'event');
  const { translate } = services();
  const out = await translate.send(new DescribeTextTranslationJobCommand({ JobId: job.jobId }));
  const p = out.TextTranslationJobProperties;
  if (!p)
    throw new TranslationJobFailedError(
      `DescribeTextTranslationJob(${job.jobId}) returned no job properties`,
    );
  const details = p.JobDetails;
  const progress = classifyJob({
    jobId: job.jobId,
    status: p.JobStatus,
    message: p.Message,
    inputDocuments: details?.InputDocumentsCount,
    translatedDocuments: details?.TranslatedDocumentsCount,
    documentsWithErrors: details?.DocumentsWithErrorsCount,
  });
  const counts = {
    ...(details?.DocumentsWithErrorsCount !== undefined
      ? { documentsWithErrors: details.DocumentsWithErrorsCount }
      : {}),
    ...(details?.InputDocumentsCount !== undefined ? { inputDocuments: details.InputDocumentsCount } : {}),
  };
  if (!progress.done) {
    const next = nextPoll(job.attempt, JOB_POLL, `translation job ${job.jobId} (${progress.status})`);
    return { jobId: job.jobId, status: progress.status, done: false, ...next, ...counts };
  }
  const configured = p.OutputDataConfig?.S3Uri;
  if (!configured)
    throw new TranslationJobFailedError(`job ${job.jobId} is ${progress.status} but has no output URI`);
  return {
    jobId: job.jobId,
    status: progress.status,
    done: true,
    partial: progress.partial,
    attempt: job.attempt,
    waitSeconds: 0,
    outputUri: jobOutputUri(configured, job.jobId, p.DataAccessRoleArn),
    ...counts,
  };
});
