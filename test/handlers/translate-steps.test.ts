import {
  CreateParallelDataCommand,
  DescribeTextTranslationJobCommand,
  GetParallelDataCommand,
  type JobStatus,
  StartTextTranslationJobCommand,
  UpdateParallelDataCommand,
} from '@aws-sdk/client-translate';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as checkParallelData } from '../../lambdas/check-parallel-data/handler';
import { handler as checkJob } from '../../lambdas/check-translation-job/handler';
import { handler as createOrUpdate } from '../../lambdas/create-or-update-parallel-data/handler';
import { handler as startJob } from '../../lambdas/start-translation-job/handler';
import { awsError, freshEnvironment, pair, RUN_ID, translateMock } from './helpers';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT'; // the handlers' logger is created at import
});

const plan = {
  action: 'continue',
  attempt: 0,
  waitSeconds: 0,
  runId: RUN_ID,
  planKey: `work/en-zh/${RUN_ID}/plan.json`,
};
const parallelData = {
  action: 'update',
  name: 'amts-en-zh',
  pairs: 12,
  csvKey: 'parallel-data/en-zh/parallel-data.csv',
  csvHash: 'abc',
  updated: false,
};
const batch = {
  needsJob: true,
  documents: 2,
  characters: 500,
  inputUri: `s3://book/work/en-zh/${RUN_ID}/input/`,
  outputUri: `s3://book/work/en-zh/${RUN_ID}/output/`,
  manifestKey: `work/en-zh/${RUN_ID}/batch.json`,
  batchHash: 'bh',
};
const job = { jobId: 'job-1', status: 'SUBMITTED', done: false, attempt: 0, waitSeconds: 30 };

beforeEach(() => {
  freshEnvironment();
});

describe('Check Translation Job handler', () => {
  it('rejects a malformed event with InvalidInputError before calling Translate', async () => {
    await expect(checkJob({ pair, job: { jobId: '' } })).rejects.toMatchObject({ name: 'InvalidInputError' });
    await expect(checkJob(null)).rejects.toMatchObject({ name: 'InvalidInputError' });
    expect(translateMock.calls()).toHaveLength(0);
  });

  it('returns the next (doubled) wait while the job is IN_PROGRESS', async () => {
    translateMock.on(DescribeTextTranslationJobCommand).resolves({
      TextTranslationJobProperties: { JobId: 'job-1', JobStatus: 'IN_PROGRESS' },
    });
    await expect(checkJob({ pair, job: { ...job, attempt: 2 } })).resolves.toMatchObject({
      done: false,
      status: 'IN_PROGRESS',
      attempt: 3,
      waitSeconds: 240,
    });
  });

  it('returns the real output prefix and the error count when the job is COMPLETED_WITH_ERROR', async () => {
    translateMock.on(DescribeTextTranslationJobCommand).resolves({
      TextTranslationJobProperties: {
        JobId: 'job-1',
        JobStatus: 'COMPLETED_WITH_ERROR',
        JobDetails: { InputDocumentsCount: 3, TranslatedDocumentsCount: 2, DocumentsWithErrorsCount: 1 },
        OutputDataConfig: { S3Uri: batch.outputUri },
        DataAccessRoleArn: 'arn:aws:iam::123456789012:role/r',
      },
    });
    await expect(checkJob({ pair, job })).resolves.toEqual({
      jobId: 'job-1',
      status: 'COMPLETED_WITH_ERROR',
      done: true,
      partial: true,
      attempt: 0,
      waitSeconds: 0,
      outputUri: `${batch.outputUri}123456789012-TranslateText-job-1/`,
      documentsWithErrors: 1,
      inputDocuments: 3,
    });
  });

  it('throws TranslationJobFailedError with the job message when FAILED', async () => {
    translateMock.on(DescribeTextTranslationJobCommand).resolves({
      TextTranslationJobProperties: { JobId: 'job-1', JobStatus: 'FAILED', Message: 'Unsupported HTML' },
    });
    await expect(checkJob({ pair, job })).rejects.toMatchObject({
      name: 'TranslationJobFailedError',
      message: expect.stringContaining('Unsupported HTML'),
    });
  });

  it('lets throttling propagate with its name (the state machine retries it)', async () => {
    translateMock.on(DescribeTextTranslationJobCommand).rejects(awsError('ThrottlingException'));
    await expect(checkJob({ pair, job })).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('Check Translation Job handler with a baseline job (evaluate)', () => {
  const props = (JobId: string, JobStatus: JobStatus) => ({
    TextTranslationJobProperties: {
      JobId,
      JobStatus,
      OutputDataConfig: { S3Uri: `s3://book/out-${JobId}/` },
      DataAccessRoleArn: 'arn:aws:iam::123456789012:role/r',
    },
  });

  it('is done only when both jobs are done, and reports both output prefixes', async () => {
    const baseline = { jobId: 'job-2', status: 'SUBMITTED', done: false };
    translateMock
      .on(DescribeTextTranslationJobCommand, { JobId: 'job-1' })
      .resolves(props('job-1', 'COMPLETED'));
    translateMock
      .on(DescribeTextTranslationJobCommand, { JobId: 'job-2' })
      .resolves(props('job-2', 'IN_PROGRESS'));
    const first = await checkJob({ pair, job: { ...job, baseline } });
    expect(first).toMatchObject({
      done: false,
      attempt: 1,
      baseline: { status: 'IN_PROGRESS', done: false },
    });
    translateMock
      .on(DescribeTextTranslationJobCommand, { JobId: 'job-2' })
      .resolves(props('job-2', 'COMPLETED'));
    const second = await checkJob({ pair, job: first });
    expect(second).toMatchObject({
      done: true,
      outputUri: 's3://book/out-job-1/123456789012-TranslateText-job-1/',
      baseline: { done: true, outputUri: 's3://book/out-job-2/123456789012-TranslateText-job-2/' },
    });
  });

  it('fails the run when the baseline job FAILED', async () => {
    translateMock
      .on(DescribeTextTranslationJobCommand, { JobId: 'job-1' })
      .resolves(props('job-1', 'COMPLETED'));
    translateMock
      .on(DescribeTextTranslationJobCommand, { JobId: 'job-2' })
      .resolves(props('job-2', 'FAILED'));
    await expect(
      checkJob({ pair, job: { ...job, baseline: { jobId: 'job-2', status: 'IN_PROGRESS', done: false } } }),
    ).rejects.toMatchObject({ name: 'TranslationJobFailedError', message: expect.stringContaining('job-2') });
  });
});

describe('Start Translation Job handler', () => {
  it('starts an HTML job with the parallel data, the data-access role and a run-derived ClientToken', async () => {
    translateMock.on(StartTextTranslationJobCommand).resolves({ JobId: 'job-1', JobStatus: 'SUBMITTED' });
    const out = await startJob({ pair, plan, parallelData, batch });
    expect(out).toEqual({ jobId: 'job-1', status: 'SUBMITTED', done: false, attempt: 0, waitSeconds: 30 });
    const input = translateMock.commandCalls(StartTextTranslationJobCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      InputDataConfig: { S3Uri: batch.inputUri, ContentType: 'text/html' },
      OutputDataConfig: { S3Uri: batch.outputUri },
      DataAccessRoleArn: 'arn:aws:iam::123456789012:role/amts-translate',
      SourceLanguageCode: 'en',
      TargetLanguageCodes: ['zh'],
      ParallelDataNames: ['amts-en-zh'],
    });
    expect(input?.ClientToken).toMatch(/^[a-f0-9]{64}$/);
    // Same run, same batch → same token: a retried Start returns the same job.
    await startJob({ pair, plan, parallelData, batch });
    expect(translateMock.commandCalls(StartTextTranslationJobCommand)[1]?.args[0].input.ClientToken).toBe(
      input?.ClientToken,
    );
  });

  it('evaluate with compareWithoutParallelData: also starts a baseline job without parallel data', async () => {
    translateMock
      .on(StartTextTranslationJobCommand)
      .resolvesOnce({ JobId: 'job-1', JobStatus: 'SUBMITTED' })
      .resolvesOnce({ JobId: 'job-2', JobStatus: 'SUBMITTED' });
    const out = await startJob({
      pair,
      plan: { ...plan, compareWithoutParallelData: true },
      parallelData,
      batch,
    });
    expect(out).toMatchObject({ jobId: 'job-1', baseline: { jobId: 'job-2', done: false } });
    const [act, plain] = translateMock
      .commandCalls(StartTextTranslationJobCommand)
      .map((c) => c.args[0].input);
    expect(act?.ParallelDataNames).toEqual(['amts-en-zh']);
    expect(plain?.ParallelDataNames).toBeUndefined();
    expect(plain?.OutputDataConfig?.S3Uri).toBe(`s3://book/work/en-zh/${RUN_ID}/output/plain/`);
    expect(plain?.ClientToken).not.toBe(act?.ClientToken);
  });

  it('omits ParallelDataNames when the pair has no parallel data', async () => {
    translateMock.on(StartTextTranslationJobCommand).resolves({ JobId: 'job-2' });
    await startJob({ pair, plan, parallelData: { ...parallelData, action: 'none', name: null }, batch });
    expect(
      translateMock.commandCalls(StartTextTranslationJobCommand)[0]?.args[0].input.ParallelDataNames,
    ).toBeUndefined();
  });

  it('refuses a batch without input (needsJob false) and a missing data-access role', async () => {
    await expect(
      startJob({ pair, plan, parallelData, batch: { ...batch, needsJob: false } }),
    ).rejects.toMatchObject({
      name: 'InvalidInputError',
    });
    vi.stubEnv('AMTS_TRANSLATE_ROLE_ARN', undefined);
    const { resetServices } = await import('../../lambdas/aws/services');
    resetServices();
    await expect(startJob({ pair, plan, parallelData, batch })).rejects.toThrow(/AMTS_TRANSLATE_ROLE_ARN/);
  });
});

describe('Create Or Update Parallel Data handler', () => {
  it('creates the resource when it does not exist, with the CSV hash in its description', async () => {
    translateMock.on(GetParallelDataCommand).rejects(awsError('ResourceNotFoundException'));
    translateMock.on(CreateParallelDataCommand).resolves({ Name: 'amts-en-zh', Status: 'CREATING' });
    const out = await createOrUpdate({ pair, plan, parallelData });
    expect(out).toMatchObject({
      operation: 'create',
      updated: true,
      ready: false,
      status: 'CREATING',
      waitSeconds: 30,
    });
    expect(translateMock.commandCalls(CreateParallelDataCommand)[0]?.args[0].input).toMatchObject({
      Name: 'amts-en-zh',
      ParallelDataConfig: { S3Uri: 's3://book/parallel-data/en-zh/parallel-data.csv', Format: 'CSV' },
      Description: 'AMTS parallel data sha256=abc',
    });
  });

  it('updates the resource when it exists', async () => {
    translateMock
      .on(GetParallelDataCommand)
      .resolves({ ParallelDataProperties: { Name: 'amts-en-zh', Status: 'ACTIVE' } });
    translateMock
      .on(UpdateParallelDataCommand)
      .resolves({ Status: 'ACTIVE', LatestUpdateAttemptStatus: 'UPDATING' });
    const out = await createOrUpdate({ pair, plan, parallelData });
    expect(out).toMatchObject({ operation: 'update', status: 'UPDATING' });
    expect(translateMock.commandCalls(CreateParallelDataCommand)).toHaveLength(0);
  });

  it.each(['ConflictException', 'ConcurrentModificationException', 'TooManyRequestsException'])(
    'lets %s propagate by name for the state machine to retry',
    async (name) => {
      translateMock.on(GetParallelDataCommand).resolves({ ParallelDataProperties: { Status: 'UPDATING' } });
      translateMock.on(UpdateParallelDataCommand).rejects(awsError(name));
      await expect(createOrUpdate({ pair, plan, parallelData })).rejects.toMatchObject({ name });
    },
  );

  it('rejects an update request without a CSV', async () => {
    await expect(
      createOrUpdate({ pair, plan, parallelData: { ...parallelData, csvKey: null } }),
    ).rejects.toMatchObject({ name: 'InvalidInputError' });
  });
});

describe('Check Parallel Data handler', () => {
  const updating = {
    ...parallelData,
    operation: 'update',
    updated: true,
    ready: false,
    attempt: 0,
    waitSeconds: 30,
  };

  it('waits while the update attempt is UPDATING', async () => {
    translateMock
      .on(GetParallelDataCommand)
      .resolves({ ParallelDataProperties: { Status: 'ACTIVE', LatestUpdateAttemptStatus: 'UPDATING' } });
    await expect(checkParallelData({ pair, parallelData: updating })).resolves.toMatchObject({
      ready: false,
      attempt: 1,
      waitSeconds: 60,
    });
  });

  it('is ready when the update attempt is ACTIVE', async () => {
    translateMock
      .on(GetParallelDataCommand)
      .resolves({ ParallelDataProperties: { Status: 'ACTIVE', LatestUpdateAttemptStatus: 'ACTIVE' } });
    await expect(checkParallelData({ pair, parallelData: updating })).resolves.toMatchObject({ ready: true });
  });

  it('throws ParallelDataFailedError with the import error summary when FAILED', async () => {
    translateMock.on(GetParallelDataCommand).resolves({
      ParallelDataProperties: {
        Status: 'FAILED',
        Message: 'Line 3: field starts with "="',
        FailedRecordCount: 1,
      },
    });
    await expect(
      checkParallelData({ pair, parallelData: { ...updating, operation: 'create' } }),
    ).rejects.toMatchObject({ name: 'ParallelDataFailedError', message: expect.stringContaining('Line 3') });
  });
});
