// Task "Create Or Update Parallel Data": create if absent, update if present. ConflictException /
// ConcurrentModificationException / TooManyRequestsException propagate: the state machine retries them.
import {
  CreateParallelDataCommand,
  GetParallelDataCommand,
  ResourceNotFoundException,
  UpdateParallelDataCommand,
} from '@aws-sdk/client-translate';
import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { InvalidInputError } from '../core/errors';
import { PARALLEL_DATA_POLL, waitSeconds } from '../core/workflow/backoff';
import { parseInput } from '../core/workflow/input';
import { parallelDataClientToken } from '../core/workflow/names';
import { parallelDataDescription } from '../core/workflow/parallel-data';
import { CreateOrUpdateParallelDataEventSchema, type ParallelDataState } from '../core/workflow/payload';

export const handler = stepHandler(
  'Create Or Update Parallel Data',
  async (event: unknown): Promise<ParallelDataState> => {
    const { plan, parallelData: pd } = parseInput(CreateOrUpdateParallelDataEventSchema, event, 'event');
    if (!pd.name || !pd.csvKey || !pd.csvHash) {
      throw new InvalidInputError('event.parallelData: name, csvKey and csvHash are required for an update');
    }
    const svc = services();
    const config = { S3Uri: svc.bucket.uri(pd.csvKey), Format: 'CSV' as const };
    const common = {
      Name: pd.name,
      ParallelDataConfig: config,
      Description: parallelDataDescription(pd.csvHash),
    };
    let exists = true;
    try {
      await svc.translate.send(new GetParallelDataCommand({ Name: pd.name }));
    } catch (error) {
      if (
        !(error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException')
      ) {
        throw error;
      }
      exists = false;
    }
    let status: string | undefined;
    if (exists) {
      const out = await svc.translate.send(
        new UpdateParallelDataCommand({
          Name: common.Name,
          ParallelDataConfig: common.ParallelDataConfig,
          Description: common.Description,
          ClientToken: parallelDataClientToken(plan.runId, 'update', pd.csvHash),
        }),
      );
      status = out.LatestUpdateAttemptStatus ?? out.Status;
    } else {
      const out = await svc.translate.send(
        new CreateParallelDataCommand({
          ...common,
          ClientToken: parallelDataClientToken(plan.runId, 'create', pd.csvHash),
        }),
      );
      status = out.Status;
    }
    return {
      ...pd,
      operation: exists ? 'update' : 'create',
      updated: true,
      ready: false,
      status: status ?? 'UNKNOWN',
      attempt: 0,
      waitSeconds: waitSeconds(0, PARALLEL_DATA_POLL),
    };
  },
);
