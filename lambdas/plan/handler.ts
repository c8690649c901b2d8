// Task "Plan": validate the input (before any work), take the pair's run lock (or ask the state
// machine to wait for the earlier run), finish an earlier run's interrupted assembly, and decide from
// the listings which documents must be read and planned: they become the items of the Distributed Map
// "Plan Documents" (work/<pair>/<runId>/plan/items.json), planned by "Plan Batch" and combined by
// "Finish Plan". The policy is core/workflow/planning.ts.

import { recoverAssembly } from '../aws/assembly-log';
import { logger, stepHandler } from '../aws/observability';
import { listMarkdownObjects, services, stateStore } from '../aws/services';
import { ConcurrentRunError } from '../core/errors';
import { DEFAULT_ORIGIN_PATTERN } from '../core/sync/api';
import { LOCK_WAIT, nextPoll } from '../core/workflow/backoff';
import { lockExpiry } from '../core/workflow/execution-event';
import { parseExecutionInput, parseInput } from '../core/workflow/input';
import { pairId, runIdFor } from '../core/workflow/names';
import { PlanEventSchema, type PlanState } from '../core/workflow/payload';
import {
  decidePlanning,
  type PlanRun,
  planContextKey,
  planItemsKey,
  planRunKey,
} from '../core/workflow/planning';

export const handler = stepHandler('Plan', async (event: unknown): Promise<PlanState> => {
  const { input, pair, execution, attempt } = parseInput(PlanEventSchema, event, 'event');
  const request = parseExecutionInput(input, pair); // InvalidInputError before any work
  const runId = runIdFor(execution);
  const svc = services();
  const store = stateStore(svc, pair);
  try {
    await store.acquireLock(runId, { expiresAt: lockExpiry(execution.startTime) });
  } catch (error) {
    if (!(error instanceof ConcurrentRunError)) throw error;
    const next = nextPoll(
      attempt,
      LOCK_WAIT,
      `waiting for the earlier ${pairId(pair)} run (${error.message})`,
    );
    logger.info('pair locked by an earlier run: waiting', { runId, ...next });
    return { action: 'wait', runId, ...next };
  }
  try {
    // An earlier run that crashed while assembling is finished from its write-ahead log first.
    const recovered = await recoverAssembly(svc, pair, store);
    if (recovered.length > 0) logger.warn('recovered an interrupted assembly', { recovered });
    // What changed is decided from the listings (ETag and size against what the state's index recorded
    // when each document was last found up to date): only changed documents are read and planned.
    const { index, etag: indexEtag } = await store.readIndex();
    const objects = {
      source: await listMarkdownObjects(svc.bucket, `source/${pair.source}/`),
      translated: await listMarkdownObjects(svc.bucket, `translated/${pair.target}/`),
      reference: await listMarkdownObjects(svc.bucket, `reference/${pair.target}/`),
    };
    const run: PlanRun = {
      version: 1,
      runId,
      pair,
      startedAt: execution.startTime,
      request,
      ...(recovered.length > 0 ? { recovered } : {}),
    };
    const originPattern = process.env.AMTS_ORIGIN_PATTERN || DEFAULT_ORIGIN_PATTERN;
    const { items, context } = decidePlanning({ run, index, indexEtag, objects, originPattern });
    logger.info('planning from the listing', {
      documents: items.length + Object.keys(context.settled).length,
      read: items.length,
      settled: Object.keys(context.settled).length,
    });
    await svc.bucket.putJson(planRunKey(pair, runId), run);
    await svc.bucket.putJson(planContextKey(pair, runId), context);
    const itemsKey = planItemsKey(pair, runId);
    await svc.bucket.putJson(itemsKey, items);
    return { action: 'plan', attempt, waitSeconds: 0, runId, itemsKey, read: items.length };
  } catch (error) {
    // Nothing was committed: free the pair for the next run, then fail with the original error.
    await store.releaseLock(runId).catch(() => false);
    throw error;
  }
});
