import { ParallelDataFailedError, TranslationJobFailedError } from '../errors';

/** The seven statuses of a batch translation job (TextTranslationJobProperties.JobStatus). */
export const JOB_STATUSES = [
  'SUBMITTED',
  'IN_PROGRESS',
  'COMPLETED',
  'COMPLETED_WITH_ERROR',
  'FAILED',
  'STOP_REQUESTED',
  'STOPPED',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** What DescribeTextTranslationJob told us, reduced to what the workflow decides on. */
export interface JobSnapshot {
  jobId: string;
  status: string | undefined;
  message?: string | undefined;
  /** JobDetails.InputDocumentsCount */
  inputDocuments?: number | undefined;
  /** JobDetails.TranslatedDocumentsCount */
  translatedDocuments?: number | undefined;
  /** JobDetails.DocumentsWithErrorsCount */
  documentsWithErrors?: number | undefined;
}

/** The decision for one check of a job. */
export type JobProgress =
  | { done: false; status: JobStatus }
  /** Assemble now; `partial` = some documents failed (report PARTIAL, those documents `failed`). */
  | { done: true; status: JobStatus; partial: boolean };

/**
 * Classify a job check. Still running: SUBMITTED, IN_PROGRESS, and STOP_REQUESTED (wait for STOPPED, the
 * job may still write output). Done: COMPLETED (partial when DocumentsWithErrorsCount > 0) and
 * COMPLETED_WITH_ERROR (partial). Throws TranslationJobFailedError for FAILED, STOPPED, an unknown
 * status, and a completed job in which every document failed (nothing to assemble).
 */
export function classifyJob(job: JobSnapshot): JobProgress {
  const status = job.status;
  const errors = job.documentsWithErrors ?? 0;
  const why = job.message ? `: ${job.message}` : '';
  switch (status) {
    case 'SUBMITTED':
    case 'IN_PROGRESS':
    case 'STOP_REQUESTED':
      return { done: false, status };
    case 'COMPLETED':
    case 'COMPLETED_WITH_ERROR': {
      const input = job.inputDocuments;
      if (input !== undefined && input > 0 && errors >= input) {
        throw new TranslationJobFailedError(
          `translation job ${job.jobId} ended ${status} but all ${input} document(s) failed${why}`,
        );
      }
      return { done: true, status, partial: status === 'COMPLETED_WITH_ERROR' || errors > 0 };
    }
    case 'FAILED':
      throw new TranslationJobFailedError(`translation job ${job.jobId} FAILED${why}`);
    case 'STOPPED':
      throw new TranslationJobFailedError(
        `translation job ${job.jobId} was STOPPED before it finished${why}`,
      );
    default:
      throw new TranslationJobFailedError(
        `translation job ${job.jobId} has unexpected status ${JSON.stringify(status)} (expected one of ${JOB_STATUSES.join(', ')})`,
      );
  }
}

/**
 * The job status a failure report shows. The last successful check saw SUBMITTED, IN_PROGRESS or
 * STOP_REQUESTED; the check that ended the run threw (classifyJob) instead of returning the status it
 * read, so the status it saw is read back from that TranslationJobFailedError message.
 */
export function terminalJobStatus(
  lastSeen: string | undefined,
  error: { name: string; message: string },
): string {
  if (error.name === 'TranslationJobFailedError') {
    const m = /^translation job \S+ (?:(FAILED)\b|was (STOPPED)\b|ended (COMPLETED(?:_WITH_ERROR)?)\b)/.exec(
      error.message,
    );
    const status = m?.[1] ?? m?.[2] ?? m?.[3];
    if (status) return status;
  }
  return lastSeen ?? 'UNKNOWN';
}

/** What GetParallelData told us. */
export interface ParallelDataSnapshot {
  name: string;
  /** ParallelDataProperties.Status: CREATING | UPDATING | ACTIVE | DELETING | FAILED */
  status: string | undefined;
  /** ParallelDataProperties.LatestUpdateAttemptStatus (set after an UpdateParallelData). */
  latestUpdateAttemptStatus?: string | undefined;
  /** ParallelDataProperties.Message: the import error summary on failure. */
  message?: string | undefined;
  failedRecordCount?: number | undefined;
  skippedRecordCount?: number | undefined;
  importedRecordCount?: number | undefined;
}

/**
 * Is the parallel data ready for a job? After an update the resource stays ACTIVE (with the old data)
 * while LatestUpdateAttemptStatus is UPDATING, so that field decides when `updating` is true.
 * Throws ParallelDataFailedError for FAILED (with the import error summary) and DELETING.
 */
export function classifyParallelData(pd: ParallelDataSnapshot, updating: boolean): { ready: boolean } {
  const status = updating ? (pd.latestUpdateAttemptStatus ?? pd.status) : pd.status;
  const detail = [
    pd.message,
    pd.failedRecordCount ? `${pd.failedRecordCount} record(s) failed` : undefined,
    pd.skippedRecordCount ? `${pd.skippedRecordCount} record(s) skipped` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  switch (status) {
    case 'ACTIVE':
      return { ready: true };
    case 'CREATING':
    case 'UPDATING':
      return { ready: false };
    case 'FAILED':
      throw new ParallelDataFailedError(
        `parallel data ${pd.name} ${updating ? 'update' : 'import'} FAILED${detail ? `: ${detail}` : ''}`,
      );
    default:
      throw new ParallelDataFailedError(
        `parallel data ${pd.name} has status ${JSON.stringify(status)}; expected CREATING, UPDATING or ACTIVE`,
      );
  }
}
