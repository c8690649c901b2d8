/**
 * Batch translation jobs: Start/Describe/Stop/ListTextTranslationJobs. A job moves SUBMITTED →
 * IN_PROGRESS → done when it is next read after its delays (run-job.ts does the work), or STOP_REQUESTED
 * → STOPPED; at most `ctx.limits.concurrent` (10, as in Translate) run at once.
 */
import { randomUUID } from 'node:crypto';
import { type EmulatorContext, outputPrefix } from './context';
import { advanceParallelData, getPd } from './parallel-data';
import {
  type Operation,
  type OperationHandler,
  parseS3Uri,
  strip,
  TranslateApiError,
  validation,
} from './protocol';
import { runJob } from './run-job';
import type { JobRecord } from './state';

const ROLE = /^arn:aws(-[^:]+)?:iam::[0-9]{12}:role\/.+$/;

function jobProperties(ctx: EmulatorContext, job: JobRecord): Record<string, unknown> {
  return strip({
    JobId: job.id,
    JobName: job.name,
    JobStatus: job.status,
    JobDetails: job.details,
    SourceLanguageCode: job.sourceLanguageCode,
    TargetLanguageCodes: job.targetLanguageCodes,
    TerminologyNames: job.terminologyNames,
    ParallelDataNames: job.parallelDataNames,
    Message: job.message,
    SubmittedTime: job.submittedAt / 1000,
    EndTime: job.endAt === undefined ? undefined : job.endAt / 1000,
    InputDataConfig: job.input,
    OutputDataConfig: { ...job.output, S3Uri: outputPrefix(ctx, job) },
    DataAccessRoleArn: job.dataAccessRoleArn,
    Settings: job.settings,
  });
}

/** Moves the job on as far as its delays (and the injected faults) allow; runs it when due. */
export async function advanceJob(ctx: EmulatorContext, job: JobRecord): Promise<void> {
  await ctx.store.exclusive(`job:${job.id}`, async () => {
    if (job.status === 'STOP_REQUESTED') {
      job.status = 'STOPPED';
      job.endAt = ctx.now();
      ctx.store.save();
      return;
    }
    if (ctx.faults.current.jobStops && (job.status === 'SUBMITTED' || job.status === 'IN_PROGRESS')) {
      job.status = 'STOP_REQUESTED';
      job.message = 'injected: the job was stopped';
      ctx.store.save();
      return;
    }
    if (job.status === 'SUBMITTED' && ctx.now() >= job.inProgressAt) {
      job.status = 'IN_PROGRESS';
      ctx.store.save();
    }
    if (job.status !== 'IN_PROGRESS' || ctx.now() < job.dueAt) return;
    await runJob(ctx, job);
    job.endAt = ctx.now();
    ctx.store.save();
  });
}

function getJob(ctx: EmulatorContext, id: unknown): JobRecord {
  if (typeof id !== 'string' || !id) throw validation('JobId is required');
  const job = ctx.store.state.jobs[id];
  if (!job) throw new TranslateApiError('ResourceNotFoundException', `The job ${id} does not exist`);
  return job;
}

/** The batch-job operations. */
export function jobHandlers(
  ctx: EmulatorContext,
): Record<Extract<Operation, `${string}TextTranslationJob${string}`>, OperationHandler> {
  return {
    async StartTextTranslationJob(body) {
      const input = body.InputDataConfig as { S3Uri?: unknown; ContentType?: unknown } | undefined;
      const output = body.OutputDataConfig as { S3Uri?: unknown; EncryptionKey?: unknown } | undefined;
      if (!input || typeof input.S3Uri !== 'string' || typeof input.ContentType !== 'string') {
        throw validation('InputDataConfig.S3Uri and InputDataConfig.ContentType are required');
      }
      if (!output || typeof output.S3Uri !== 'string') throw validation('OutputDataConfig.S3Uri is required');
      parseS3Uri(input.S3Uri);
      parseS3Uri(output.S3Uri);
      const contentType = input.ContentType;
      if (!['text/html', 'text/plain'].includes(contentType)) {
        throw new TranslateApiError(
          'InvalidRequestException',
          `The emulator supports text/html and text/plain, not ${contentType}`,
        );
      }
      if (typeof body.DataAccessRoleArn !== 'string' || !ROLE.test(body.DataAccessRoleArn)) {
        throw validation('DataAccessRoleArn must be an IAM role ARN');
      }
      const source = body.SourceLanguageCode;
      const targets = body.TargetLanguageCodes;
      if (typeof source !== 'string' || !Array.isArray(targets) || targets.length === 0) {
        throw validation('SourceLanguageCode and TargetLanguageCodes are required');
      }
      if (targets.includes(source)) {
        throw new TranslateApiError(
          'UnsupportedLanguagePairException',
          `${source} → ${source} is not a language pair`,
        );
      }
      const pdNames = (body.ParallelDataNames as string[] | undefined) ?? [];
      if (pdNames.length > 1) throw validation('At most one parallel data resource per job');
      const memory: [string, Record<string, string>][] = [];
      for (const name of pdNames) {
        const pd = getPd(ctx, name);
        await advanceParallelData(ctx, pd);
        if (!pd.entries) {
          throw new TranslateApiError(
            'InvalidRequestException',
            `The parallel data ${name} is ${pd.status}; it must be ACTIVE to be used by a job`,
          );
        }
        if (
          pd.sourceLanguageCode !== source ||
          !targets.every((t: string) => pd.targetLanguageCodes?.includes(t))
        ) {
          throw new TranslateApiError(
            'InvalidParameterValueException',
            `The parallel data ${name} (${pd.sourceLanguageCode} → ${pd.targetLanguageCodes?.join(',')}) does not match ${source} → ${targets.join(',')}`,
          );
        }
        memory.push(...pd.entries);
      }
      return ctx.store.idempotent('StartTextTranslationJob', body, () => {
        const running = Object.values(ctx.store.state.jobs).filter((j) =>
          ['SUBMITTED', 'IN_PROGRESS'].includes(j.status),
        );
        if (running.length >= ctx.limits.concurrent) {
          throw new TranslateApiError(
            'LimitExceededException',
            `There are already ${ctx.limits.concurrent} concurrent jobs`,
          );
        }
        const t = ctx.now();
        const id = randomUUID().replace(/-/g, '');
        ctx.store.state.jobs[id] = {
          id,
          name: typeof body.JobName === 'string' ? body.JobName : undefined,
          status: 'SUBMITTED',
          sourceLanguageCode: source,
          targetLanguageCodes: targets as string[],
          parallelDataNames: pdNames,
          terminologyNames: (body.TerminologyNames as string[] | undefined) ?? [],
          input: { S3Uri: input.S3Uri as string, ContentType: contentType },
          output: strip({
            S3Uri: output.S3Uri as string,
            EncryptionKey: output.EncryptionKey,
          }) as JobRecord['output'],
          dataAccessRoleArn: body.DataAccessRoleArn as string,
          settings: body.Settings as Record<string, unknown> | undefined,
          submittedAt: t,
          inProgressAt: t + ctx.delays.jobQueuedMs,
          dueAt: t + ctx.delays.jobQueuedMs + ctx.delays.jobRunMs,
          memory,
        };
        return { JobId: id, JobStatus: 'SUBMITTED' };
      });
    },
    async DescribeTextTranslationJob(body) {
      const job = getJob(ctx, body.JobId);
      await advanceJob(ctx, job);
      return { TextTranslationJobProperties: jobProperties(ctx, job) };
    },
    async StopTextTranslationJob(body) {
      const job = getJob(ctx, body.JobId);
      await advanceJob(ctx, job);
      if (job.status === 'SUBMITTED' || job.status === 'IN_PROGRESS') {
        job.status = 'STOP_REQUESTED';
        ctx.store.save();
      }
      return { JobId: job.id, JobStatus: job.status };
    },
    async ListTextTranslationJobs(body) {
      const filter = (body.Filter as { JobName?: string; JobStatus?: string } | undefined) ?? {};
      const jobs = Object.values(ctx.store.state.jobs);
      for (const j of jobs) await advanceJob(ctx, j);
      return {
        TextTranslationJobPropertiesList: jobs
          .filter((j) => (filter.JobName ? j.name === filter.JobName : true))
          .filter((j) => (filter.JobStatus ? j.status === filter.JobStatus : true))
          .map((j) => jobProperties(ctx, j)),
      };
    },
  };
}
