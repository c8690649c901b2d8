/**
 * Parallel-data resources: Create/Update/Get/List/DeleteParallelData. An import runs when the resource
 * is next read after its delay (CREATING/UPDATING → ACTIVE/FAILED), reading the file from S3 with
 * Translate's rules (parallel-data-csv.ts); a failed update keeps the earlier version in use.
 */
import { type EmulatorContext, readS3 } from './context';
import { importParallelData, ParallelDataImportError } from './parallel-data-csv';
import { type Operation, type OperationHandler, strip, TranslateApiError, validation } from './protocol';
import type { ParallelDataConfig, ParallelDataRecord } from './state';

const NAME = /^([A-Za-z0-9-]_?)+$/;

export function pdProperties(pd: ParallelDataRecord): Record<string, unknown> {
  return strip({
    Name: pd.name,
    Arn: pd.arn,
    Description: pd.description,
    Status: pd.status,
    SourceLanguageCode: pd.sourceLanguageCode,
    TargetLanguageCodes: pd.targetLanguageCodes,
    ParallelDataConfig: pd.config,
    Message: pd.message,
    ImportedDataSize: pd.importedDataSize,
    ImportedRecordCount: pd.importedRecordCount,
    FailedRecordCount: pd.failedRecordCount,
    SkippedRecordCount: pd.skippedRecordCount,
    CreatedAt: pd.createdAt / 1000,
    LastUpdatedAt: pd.lastUpdatedAt / 1000,
    LatestUpdateAttemptStatus: pd.latestUpdateAttemptStatus,
    LatestUpdateAttemptAt:
      pd.latestUpdateAttemptAt === undefined ? undefined : pd.latestUpdateAttemptAt / 1000,
  });
}

/** Finishes the import in flight when its delay has passed. */
export async function advanceParallelData(ctx: EmulatorContext, pd: ParallelDataRecord): Promise<void> {
  await ctx.store.exclusive(`pd:${pd.name}`, async () => {
    const pending = pd.pending;
    if (!pending || ctx.now() < pending.dueAt) return;
    const wasActive = pd.entries !== undefined;
    let failure: string | undefined;
    try {
      if (ctx.faults.current.parallelDataImportFails) {
        throw new ParallelDataImportError(
          typeof ctx.faults.current.parallelDataImportFails === 'string'
            ? ctx.faults.current.parallelDataImportFails
            : 'injected import failure',
        );
      }
      if (pending.config.Format === 'TMX')
        throw new ParallelDataImportError('TMX is not supported by the emulator');
      const bytes = await readS3(ctx.s3, pending.config.S3Uri);
      const imported = importParallelData(bytes, pending.config.Format);
      pd.sourceLanguageCode = imported.languages[0];
      pd.targetLanguageCodes = imported.languages.slice(1);
      pd.importedDataSize = imported.importedDataSize;
      pd.importedRecordCount = imported.importedRecordCount;
      pd.skippedRecordCount = imported.skippedRecordCount;
      pd.failedRecordCount = imported.failedRecordCount;
      pd.entries = [...imported.entries];
      pd.config = pending.config;
      pd.message = undefined;
    } catch (error) {
      failure =
        error instanceof ParallelDataImportError
          ? `The parallel data import failed: ${error.message}`
          : error instanceof TranslateApiError
            ? error.message
            : `The parallel data import failed: ${String(error)}`;
    }
    pd.pending = undefined;
    pd.lastUpdatedAt = ctx.now();
    if (failure) {
      pd.message = failure;
      // A failed update keeps the earlier version in use (Status ACTIVE); a failed create is FAILED.
      pd.status = wasActive ? 'ACTIVE' : 'FAILED';
      if (pd.latestUpdateAttemptStatus) pd.latestUpdateAttemptStatus = 'FAILED';
    } else {
      pd.status = 'ACTIVE';
      if (pd.latestUpdateAttemptStatus) pd.latestUpdateAttemptStatus = 'ACTIVE';
    }
    ctx.store.save();
  });
}

export function parseParallelDataConfig(value: unknown): ParallelDataConfig {
  const c = value as Partial<ParallelDataConfig> | undefined;
  if (!c || typeof c !== 'object') throw validation('ParallelDataConfig is required');
  if (typeof c.S3Uri !== 'string' || !c.S3Uri.startsWith('s3://')) {
    throw new TranslateApiError(
      'InvalidParameterValueException',
      'ParallelDataConfig.S3Uri must be an s3:// URI',
    );
  }
  const format = c.Format ?? 'CSV';
  if (!['CSV', 'TSV', 'TMX'].includes(format)) {
    throw new TranslateApiError(
      'InvalidParameterValueException',
      `unknown ParallelDataConfig.Format ${format}`,
    );
  }
  return { S3Uri: c.S3Uri, Format: format };
}

/** The resource named, or ResourceNotFoundException. */
export function getPd(ctx: EmulatorContext, name: unknown): ParallelDataRecord {
  if (typeof name !== 'string' || !name) throw validation('Name is required');
  const pd = ctx.store.state.parallelData[name];
  if (!pd)
    throw new TranslateApiError('ResourceNotFoundException', `The parallel data ${name} does not exist`);
  return pd;
}

/** The parallel-data operations. */
export function parallelDataHandlers(
  ctx: EmulatorContext,
): Record<Extract<Operation, `${string}ParallelData`>, OperationHandler> {
  return {
    async CreateParallelData(body) {
      return ctx.store.idempotent('CreateParallelData', body, () => {
        const name = body.Name;
        if (typeof name !== 'string' || !NAME.test(name) || name.length > 256) {
          throw validation('Name must match ^([A-Za-z0-9-]_?)+$ (1–256 characters)');
        }
        if (ctx.store.state.parallelData[name]) {
          throw new TranslateApiError('ConflictException', `The parallel data ${name} already exists`);
        }
        const config = parseParallelDataConfig(body.ParallelDataConfig);
        const t = ctx.now();
        ctx.store.state.parallelData[name] = {
          name,
          arn: `arn:aws:translate:${ctx.region}:${ctx.accountId}:parallel-data/${name}`,
          description: typeof body.Description === 'string' ? body.Description : undefined,
          status: 'CREATING',
          config,
          createdAt: t,
          lastUpdatedAt: t,
          pending: { config, dueAt: t + ctx.delays.parallelDataMs },
        };
        return { Name: name, Status: 'CREATING' };
      });
    },
    async UpdateParallelData(body) {
      const pd = getPd(ctx, body.Name);
      await advanceParallelData(ctx, pd);
      return ctx.store.idempotent('UpdateParallelData', body, () => {
        if (pd.pending || (pd.status !== 'ACTIVE' && pd.status !== 'FAILED')) {
          throw new TranslateApiError(
            'ConcurrentModificationException',
            `The parallel data ${pd.name} is ${pd.latestUpdateAttemptStatus === 'UPDATING' ? 'UPDATING' : pd.status}; another modification must complete first`,
          );
        }
        const config = parseParallelDataConfig(body.ParallelDataConfig);
        const t = ctx.now();
        if (typeof body.Description === 'string') pd.description = body.Description;
        if (pd.status === 'FAILED') pd.status = 'UPDATING';
        pd.latestUpdateAttemptStatus = 'UPDATING';
        pd.latestUpdateAttemptAt = t;
        pd.pending = { config, dueAt: t + ctx.delays.parallelDataMs };
        return {
          Name: pd.name,
          Status: pd.status,
          LatestUpdateAttemptStatus: 'UPDATING',
          LatestUpdateAttemptAt: t / 1000,
        };
      });
    },
    async GetParallelData(body) {
      const pd = getPd(ctx, body.Name);
      await advanceParallelData(ctx, pd);
      return {
        ParallelDataProperties: pdProperties(pd),
        DataLocation: { RepositoryType: 'S3', Location: pd.config.S3Uri },
      };
    },
    async ListParallelData() {
      const all = Object.values(ctx.store.state.parallelData);
      for (const pd of all) await advanceParallelData(ctx, pd);
      return { ParallelDataPropertiesList: all.map(pdProperties) };
    },
    async DeleteParallelData(body) {
      const pd = getPd(ctx, body.Name);
      delete ctx.store.state.parallelData[pd.name];
      ctx.store.save();
      return { Name: pd.name, Status: 'DELETING' };
    },
  };
}
