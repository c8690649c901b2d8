/**
 * Start Translation Job's policy: which parts of the batch to start now (never more running jobs than
 * Translate's concurrent quota, core/workflow/translation-job.ts), and the StartTextTranslationJob request
 * of each — input folder, output prefix, job name, parallel data and a ClientToken derived from the run
 * and the part's exact input, so a retried Start returns the job already started instead of paying for a
 * second one. No SDK here: the handler sends the requests.
 */
import { InvalidInputError } from '../errors';
import { jobInputFolder } from './batch';
import { clientToken, jobName, type LanguagePair } from './names';
import type { BatchState, JobPart, JobState } from './payload';
import { jobParts, jobState, partsToStart } from './translation-job';

/** Output folder of the baseline job: `…/output/` → `…/output/plain/` (inside the prefix Translate may write). */
export function plainOutputUri(outputUri: string): string {
  return `${outputUri.replace(/\/+$/, '')}/plain/`;
}

/** One part of the batch as Start needs it: its input folder and the hash of its input (ClientToken). */
export interface BatchPart {
  part: number;
  inputUri: string;
  hash: string;
}

/**
 * The parts of a prepared batch. A batch written before jobs were split (no `jobs`) is one job over
 * `inputUri`; otherwise part `n` reads `<inputUri><n>/`.
 */
export function batchParts(batch: BatchState): BatchPart[] {
  if (!batch.needsJob || !batch.inputUri || !batch.outputUri || !batch.batchHash) {
    throw new InvalidInputError('event.batch: Start Translation Job needs inputUri, outputUri and batchHash');
  }
  const root = batch.inputUri.endsWith('/') ? batch.inputUri : `${batch.inputUri}/`;
  if (!batch.jobs) return [{ part: 0, inputUri: batch.inputUri, hash: batch.batchHash }];
  return batch.jobs.map((j, part) => ({ part, inputUri: `${root}${jobInputFolder(part)}`, hash: j.hash }));
}

/** The fields of StartTextTranslationJob's request the workflow sets. */
export interface StartJobRequest {
  JobName: string;
  InputDataConfig: { S3Uri: string; ContentType: 'text/html' };
  OutputDataConfig: { S3Uri: string };
  DataAccessRoleArn: string;
  SourceLanguageCode: string;
  TargetLanguageCodes: string[];
  ParallelDataNames?: string[];
  ClientToken: string;
}

/**
 * The request of one part's job (`act`: with the run's parallel data) or of its evaluation baseline
 * (`plain`: without, written under `output/plain/`). A batch of one job keeps the names and tokens it
 * always had; part `n` > 0 adds `-<n>` to the job name.
 */
export function startJobRequest(input: {
  pair: LanguagePair;
  runId: string;
  part: BatchPart;
  outputUri: string;
  variant: 'act' | 'plain';
  parallelDataName: string | null;
  roleArn: string;
}): StartJobRequest {
  const { pair, runId, part, variant } = input;
  const name = `${runId}${part.part > 0 ? `-${part.part}` : ''}${variant === 'plain' ? '-plain' : ''}`;
  return {
    JobName: jobName(pair, name),
    InputDataConfig: { S3Uri: part.inputUri, ContentType: 'text/html' },
    OutputDataConfig: { S3Uri: variant === 'act' ? input.outputUri : plainOutputUri(input.outputUri) },
    DataAccessRoleArn: input.roleArn,
    SourceLanguageCode: pair.source,
    TargetLanguageCodes: [pair.target],
    ...(variant === 'act' && input.parallelDataName ? { ParallelDataNames: [input.parallelDataName] } : {}),
    ClientToken: clientToken(runId, variant === 'act' ? part.hash : `${part.hash}:plain`),
  };
}

/** What Start does this time: the parts to start (within the quota) and whether each gets a baseline. */
export function startPlan(input: {
  batch: BatchState;
  job: JobState | null | undefined;
  concurrent: number;
  /** Evaluate with `compareWithoutParallelData` and parallel data: a baseline job per part. */
  baseline: boolean;
}): { parts: BatchPart[]; start: BatchPart[]; started: JobPart[] } {
  const parts = batchParts(input.batch);
  const started = jobParts(input.job);
  const start = partsToStart(started, parts.length, input.concurrent, input.baseline).map(
    (n) => parts[n] as BatchPart,
  );
  return { parts, start, started };
}

/** `$.job` after Start: the jobs started before and now, the first check after the first backoff wait. */
export function startedJobState(
  started: readonly JobPart[],
  parts: number,
  previous: JobState | null | undefined,
  waitSeconds: number,
): JobState {
  return jobState(started, parts, { attempt: previous?.attempt ?? 0, waitSeconds });
}
