/**
 * Check Translation Job's policy: what a DescribeTextTranslationJob answer means (progress, counts, the
 * real output prefix) and the next `$.job` state — poll again with backoff, or done. No SDK here: the
 * handler passes the job properties it read.
 */
import { TranslationJobFailedError } from '../errors';
import { JOB_POLL, nextPoll } from './backoff';
import type { BaselineJob, JobState } from './payload';
import { classifyJob, type JobProgress } from './status';

/** The fields of DescribeTextTranslationJob's `TextTranslationJobProperties` the workflow reads. */
export interface JobProperties {
  JobStatus?: string | undefined;
  Message?: string | undefined;
  DataAccessRoleArn?: string | undefined;
  OutputDataConfig?: { S3Uri?: string | undefined } | undefined;
  JobDetails?:
    | {
        InputDocumentsCount?: number | undefined;
        TranslatedDocumentsCount?: number | undefined;
        DocumentsWithErrorsCount?: number | undefined;
      }
    | undefined;
}

/** A described job: its progress (throws for FAILED/STOPPED), document counts, the output prefix when done. */
export interface DescribedJob {
  progress: JobProgress;
  counts: { documentsWithErrors?: number; inputDocuments?: number };
  outputUri: string | undefined;
}

/**
 * The job's real output prefix. Translate writes under `<OutputS3Uri><AccountId>-TranslateText-<JobId>/`;
 * Describe may return either the configured URI or that full prefix, so both are handled
 * (docs/architecture.md "Amazon Translate facts").
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

/** What one DescribeTextTranslationJob answer says (throws TranslationJobFailedError for FAILED/STOPPED). */
export function describedJob(jobId: string, p: JobProperties | undefined): DescribedJob {
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

/** The baseline job's state after it was described (`b`), or as it was when already done. */
export function nextBaseline(baseline: BaselineJob, b: DescribedJob): BaselineJob {
  return {
    jobId: baseline.jobId,
    status: b.progress.status,
    done: b.progress.done,
    ...(b.progress.done ? { partial: b.progress.partial } : {}),
    ...(b.outputUri ? { outputUri: b.outputUri } : {}),
  };
}

/**
 * The next `$.job`: done when the job (and its baseline, if any) ended; otherwise the next wait with
 * backoff (WaitLimitExceededError past the poll limit).
 */
export function nextJobState(job: JobState, main: DescribedJob, baseline: BaselineJob | undefined): JobState {
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
}
