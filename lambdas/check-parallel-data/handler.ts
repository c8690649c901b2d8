// Task "Check Parallel Data": one GetParallelData, classified; the Wait state does the waiting.
import { GetParallelDataCommand } from '@aws-sdk/client-translate';
import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { InvalidInputError, ParallelDataFailedError } from '../core/errors';
import { nextPoll, PARALLEL_DATA_POLL } from '../core/workflow/backoff';
import { parseInput } from '../core/workflow/input';
import { CheckParallelDataEventSchema, type ParallelDataState } from '../core/workflow/payload';
import { classifyParallelData } from '../core/workflow/status';

export const handler = stepHandler(
  'Check Parallel Data',
  async (event: unknown): Promise<ParallelDataState> => {
    const { parallelData: pd } = parseInput(CheckParallelDataEventSchema, event, 'event');
    if (!pd.name) throw new InvalidInputError('event.parallelData.name: required to check the parallel data');
    const { translate } = services();
    const out = await translate.send(new GetParallelDataCommand({ Name: pd.name }));
    const p = out.ParallelDataProperties;
    if (!p) throw new ParallelDataFailedError(`GetParallelData(${pd.name}) returned no properties`);
    const { ready } = classifyParallelData(
      {
        name: pd.name,
        status: p.Status,
        latestUpdateAttemptStatus: p.LatestUpdateAttemptStatus,
        message: p.Message,
        failedRecordCount: p.FailedRecordCount,
        skippedRecordCount: p.SkippedRecordCount,
        importedRecordCount: p.ImportedRecordCount,
      },
      pd.operation === 'update',
    );
    const status =
      (pd.operation === 'update' ? p.LatestUpdateAttemptStatus : undefined) ?? p.Status ?? 'UNKNOWN';
    if (ready) return { ...pd, ready: true, status, waitSeconds: 0 };
    const next = nextPoll(pd.attempt ?? 0, PARALLEL_DATA_POLL, `parallel data ${pd.name} (${status})`);
    return { ...pd, ready: false, status, ...next };
  },
);
