// Task "Create Or Update Parallel Data": create if absent, update if present; the request and the result
// come from core/workflow/parallel-data.ts. ConflictException / ConcurrentModificationException /
// TooManyRequestsException propagate: the state machine retries them.
import {
  CreateParallelDataCommand,
  GetParallelDataCommand,
  ResourceNotFoundException,
  UpdateParallelDataCommand,
} from '@aws-sdk/client-translate';
import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { parseInput } from '../core/workflow/input';
import { parallelDataRequest, parallelDataSubmitted, requestedUpdate } from '../core/workflow/parallel-data';
import { CreateOrUpdateParallelDataEventSchema, type ParallelDataState } from '../core/workflow/payload';

export const handler = stepHandler(
  'Create Or Update Parallel Data',
  async (event: unknown): Promise<ParallelDataState> => {
    const { plan, parallelData: pd } = parseInput(CreateOrUpdateParallelDataEventSchema, event, 'event');
    const update = requestedUpdate(pd);
    const svc = services();
    let exists = true;
    try {
      await svc.translate.send(new GetParallelDataCommand({ Name: update.name }));
    } catch (error) {
      if (
        !(error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException')
      ) {
        throw error;
      }
      exists = false;
    }
    const operation = exists ? 'update' : 'create';
    const request = parallelDataRequest(update, svc.bucket.uri(update.csvKey), plan.runId, operation);
    if (exists) {
      const out = await svc.translate.send(new UpdateParallelDataCommand(request));
      return parallelDataSubmitted(pd, operation, out.LatestUpdateAttemptStatus ?? out.Status);
    }
    const out = await svc.translate.send(new CreateParallelDataCommand(request));
    return parallelDataSubmitted(pd, operation, out.Status);
  },
);
