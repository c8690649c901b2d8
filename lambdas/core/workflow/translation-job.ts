/**
 * Check Translation Job's policy: what a DescribeTextTranslationJob answer means (progress, counts, the
 * real output prefix) and the next `$.job` state — poll again with backoff, start the next jobs of a
 * split batch, or done. Also Amazon Translate's per-job quotas and the jobs of a split batch
 * (`$.job.jobs`), which Prepare Batch and Start Translation Job share. No SDK here: the handler passes
 * the job properties it read.
 */
import { AmtsError, TranslationJobFailedError } from '../errors';
import { JOB_POLL, nextPoll } from './backoff';
import type { BaselineJob, JobPart, JobState } from './payload';
import { classifyJob, type JobProgress } from './status';

/**
 * What one batch job may hold and how many may run at once. Amazon Translate's quotas
 * (https://docs.aws.amazon.com/translate/latest/dg/what-is-limits.html, "Asynchronous batch translation
 * quotas"; docs/architecture.md "Amazon Translate facts"): 1,000,000 documents in a batch, 5 GB of
 * documents in a batch (read as 5,000,000,000 bytes, the stricter reading), 10 concurrent batch jobs per
 * account. A run over the first two becomes several jobs; never more than `concurrent` of them run.
 */
export interface JobLimits {
  documents: number;
  bytes: number;
  concurrent: number;
}
export const TRANSLATE_JOB_LIMITS: Readonly<JobLimits> = {
  documents: 1_000_000,
  bytes: 5_000_000_000,
  concurrent: 10,
};

/**
 * The limits with some lowered (`AMTS_TRANSLATE_JOB_MAX_DOCUMENTS`, `…_MAX_BYTES`,
 * `AMTS_TRANSLATE_MAX_CONCURRENT_JOBS`: a test splits a small book against an emulator lowered alike).
 * A value is a positive integer no higher than Translate's; `concurrent` is at least 2 (a part with an
 * evaluation's baseline runs two jobs).
 */
export function jobLimits(values: {
  documents?: string | undefined;
  bytes?: string | undefined;
  concurrent?: string | undefined;
}): JobLimits {
  const names = {
    documents: 'AMTS_TRANSLATE_JOB_MAX_DOCUMENTS',
    bytes: 'AMTS_TRANSLATE_JOB_MAX_BYTES',
    concurrent: 'AMTS_TRANSLATE_MAX_CONCURRENT_JOBS',
  } as const;
  const limits = { ...TRANSLATE_JOB_LIMITS };
  for (const key of ['documents', 'bytes', 'concurrent'] as const) {
    const text = values[key];
    if (text === undefined || text === '') continue;
    const n = Number(text);
    const least = key === 'concurrent' ? 2 : 1;
    if (!/^[0-9]+$/.test(text) || n < least || n > TRANSLATE_JOB_LIMITS[key]) {
      throw new AmtsError(
        `${names[key]}=${JSON.stringify(text)}: expected an integer from ${least} to ${TRANSLATE_JOB_LIMITS[key]} (Amazon Translate's quota)`,
      );
    }
    limits[key] = n;
  }
  return limits;
}

/** The jobs of `$.job`, one per part of the batch (a job state without `jobs` is the one job, part 0). */
export function jobParts(job: JobState | null | undefined): JobPart[] {
  if (!job) return [];
  if (job.jobs) return job.jobs;
  const { jobs: _, parts: __, startMore: ___, attempt: _a, waitSeconds: _w, ...one } = job;
  return [{ part: 0, ...one }];
}

/** The job of one part (what its documents are assembled from); `null` when that part has no job. */
export function jobOfPart(job: JobState | null | undefined, part: number): JobPart | null {
  return jobParts(job).find((p) => p.part === part) ?? null;
}

/** Jobs one part runs at once: its job, and the baseline job of an evaluation. */
const jobsPerPart = (baseline: boolean) => (baseline ? 2 : 1);

/** Jobs running (started, not done) among the parts, baselines included. */
function runningJobs(parts: readonly JobPart[]): number {
  return parts.reduce((n, p) => n + (p.done ? 0 : 1) + (p.baseline && !p.baseline.done ? 1 : 0), 0);
}

/**
 * The parts to start now, in order: those not started yet, as many as leave the running jobs within
 * `concurrent` (a part with a baseline counts two).
 */
export function partsToStart(
  started: readonly JobPart[],
  parts: number,
  concurrent: number,
  baseline: boolean,
): number[] {
  const have = new Set(started.map((p) => p.part));
  const free = Math.floor((concurrent - runningJobs(started)) / jobsPerPart(baseline));
  const out: number[] = [];
  for (let n = 0; n < parts && out.length < free; n++) if (!have.has(n)) out.push(n);
  return out;
}

/**
 * `$.job` for the started parts of a batch of `parts` jobs. One part: that job's state, as it always was.
 * Several: the first job's id, an overall status (IN_PROGRESS while any runs, COMPLETED_WITH_ERROR when
 * any ended so), `done` once every part has ended, the summed counts, and every part in `jobs`.
 */
export function jobState(
  started: readonly JobPart[],
  parts: number,
  next: { attempt: number; waitSeconds: number; startMore?: boolean },
): JobState {
  const sorted = [...started].sort((a, b) => a.part - b.part);
  const first = sorted[0];
  if (!first) throw new AmtsError('a job state needs at least one started job');
  const more = next.startMore ? { startMore: true } : {};
  if (parts === 1) {
    const { part: _, ...one } = first;
    const done = one.done && (one.baseline?.done ?? true); // the Choice waits for the baseline too
    return { ...one, done, attempt: next.attempt, waitSeconds: next.waitSeconds, ...more };
  }
  const done = sorted.length === parts && sorted.every((p) => p.done && (p.baseline?.done ?? true));
  const partial = sorted.some((p) => p.partial === true);
  const status = done
    ? partial
      ? 'COMPLETED_WITH_ERROR'
      : 'COMPLETED'
    : sorted.some((p) => p.status === 'IN_PROGRESS')
      ? 'IN_PROGRESS'
      : 'SUBMITTED';
  const sum = (key: 'documentsWithErrors' | 'inputDocuments') =>
    sorted.some((p) => p[key] !== undefined) ? { [key]: sorted.reduce((n, p) => n + (p[key] ?? 0), 0) } : {};
  const baselines = sorted.flatMap((p) => (p.baseline ? [p.baseline] : []));
  const baseline: BaselineJob | undefined =
    baselines[0] === undefined
      ? undefined
      : {
          jobId: baselines[0].jobId,
          status: baselines.every((b) => b.done) ? 'COMPLETED' : 'IN_PROGRESS',
          done: baselines.length === sorted.length && done,
        };
  return {
    jobId: first.jobId,
    status,
    done,
    ...(done ? { partial } : {}),
    attempt: next.attempt,
    waitSeconds: next.waitSeconds,
    ...sum('documentsWithErrors'),
    ...sum('inputDocuments'),
    ...(baseline ? { baseline } : {}),
    parts,
    jobs: sorted,
    ...more,
  };
}

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

/**
 * The next `$.job` of a batch of `parts` jobs after its running jobs were described (`described` holds
 * each part as it is now): done when every part has ended; `startMore` when parts wait and jobs ended
 * (Start Translation Job starts them, within `concurrent`); otherwise the next wait with backoff.
 */
export function nextJobsState(job: JobState, described: readonly JobPart[], concurrent: number): JobState {
  const parts = job.parts ?? 1;
  const baseline = described.some((p) => p.baseline !== undefined);
  const done = described.length === parts && described.every((p) => p.done && (p.baseline?.done ?? true));
  if (done) return jobState(described, parts, { attempt: job.attempt, waitSeconds: 0 });
  if (partsToStart(described, parts, concurrent, baseline).length > 0) {
    return jobState(described, parts, { attempt: job.attempt, waitSeconds: 0, startMore: true });
  }
  const next = nextPoll(job.attempt, JOB_POLL, `translation job ${job.jobId} (${job.status})`);
  return jobState(described, parts, next);
}

/** One part after its job (and baseline) were described. */
export function describedPart(
  part: JobPart,
  main: DescribedJob | null,
  baseline: BaselineJob | undefined,
): JobPart {
  if (!main) return { ...part, ...(baseline ? { baseline } : {}) };
  return {
    part: part.part,
    jobId: part.jobId,
    status: main.progress.status,
    done: main.progress.done,
    ...main.counts,
    ...(main.progress.done ? { partial: main.progress.partial, outputUri: main.outputUri } : {}),
    ...(baseline ? { baseline } : {}),
  };
}
