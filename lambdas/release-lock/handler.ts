// Target of the pair's "execution ended" EventBridge rule (FAILED, TIMED_OUT, ABORTED): releases the
// pair lock if — and only if — that execution holds it. A timed-out or stopped execution never reaches
// Record Failure; without this its lock would block the pair until it expires.

import { workflowEnv } from '../aws/config';
import { logger, stepHandler } from '../aws/observability';
import { services, stateStore } from '../aws/services';
import { AmtsError } from '../core/errors';
import { ExecutionStatusChangeSchema, endedRun } from '../core/workflow/execution-event';
import { parseInput } from '../core/workflow/input';

export const handler = stepHandler(
  'Release Lock',
  async (event: unknown): Promise<{ runId: string | null; released: boolean }> => {
    parseInput(ExecutionStatusChangeSchema, event, 'event'); // InvalidInputError before anything else
    const svc = services();
    const pair = workflowEnv().pair; // read per call: the local runner sets it for the pair that ended
    if (!pair) throw new AmtsError('AMTS_PAIR is not set: the lock release does not know its pair');
    const ended = endedRun(event, pair);
    if (!ended) return { runId: null, released: false };
    const released = await stateStore(svc, pair).releaseLock(ended.runId);
    logger.info(released ? 'released the lock of an ended execution' : 'the ended execution held no lock', {
      ...ended,
    });
    return { runId: ended.runId, released };
  },
);
