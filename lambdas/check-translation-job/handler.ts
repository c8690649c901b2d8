// Task "Check Translation Job": one DescribeTextTranslationJob, classified; the Wait state does the waiting.
import { DescribeTextTranslationJobCommand } from '@aws-sdk/client-translate';
import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { TranslationJobFailedError } from '../core/errors';
import { JOB_POLL, nextPoll } from '../core/workflow/backoff';
import { parseInput } from '../core/workflow/input';
import { type BaselineJob, CheckTranslationJobEventSchema, type JobState } from '../core/workflow/payload';
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

/** One DescribeTextTranslationJob, classified (throws for FAILED/STOPPED), with the real output prefix when done. */
async function describeJob(jobId: string) {
  const { translate } = services();
  const out = await translate.send(new DescribeTextTranslationJobCommand({ JobId: jobId }));
  const p = out.TextTranslationJobProperties;
  if (!p)
    throw new TranslationJobFailedError(`DescribeTextTranslationJob(${jobId}) returned no job properties`);
  const details = p.JobDetails;
  const progress = classifyJob({
    jobId,
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
  if (!progress.done) return { progress, counts, outputUri: undefined };
  const configured = p.OutputDataConfig?.S3Uri;
  if (!configured)
    throw new TranslationJobFailedError(`job ${jobId} is ${progress.status} but has no output URI`);
  return { progress, counts, outputUri: jobOutputUri(configured, jobId, p.DataAccessRoleArn) };
}

export const handler = stepHandler('Check Translation Job', async (event: unknown): Promise<JobState> => {
  const { job } = parseInput(CheckTranslationJobEventSchema, event, 'event');
  const main = await describeJob(job.jobId);
  let baseline: BaselineJob | undefined = job.baseline;
  if (baseline && !baseline.done) {
    const b = await describeJob(baseline.jobId);
    baseline = {
      jobId: baseline.jobId,
      status: b.progress.status,
      done: b.progress.done,
      ...(b.progress.done ? { partial: b.progress.partial } : {}),
      ...(b.outputUri ? { outputUri: b.outputUri } : {}),
    };
  }
  const base = {
    jobId: job.jobId,
    status: main.progress.status,
    ...main.counts,
    ...(baseline ? { baseline } : {}),
  };
  if (!main.progress.done || (baseline && !baseline.done)) {
    const next = nextPoll(job.attempt, JOB_POLL, `translation job ${job.jobId} (${main.progress.status})`);
    return { ...base, done: false, ...next };
  }
  return {
    ...base,
    done: true,
    partial: main.progress.partial,
    attempt: job.attempt,
    waitSeconds: 0,
    outputUri: main.outputUri,
  };
});
