// Task "Plan": validate the input (before any work), take the pair's run lock (or ask the state
// machine to wait for the earlier run), decide unit by unit what to reuse / take from the reference /
// machine translate, and store the plan under work/<pair>/<runId>/plan.json.

import { recoverAssembly } from '../aws/assembly-log';
import { logger, stepHandler } from '../aws/observability';
import { writeRunReport } from '../aws/reports';
import { listMarkdownObjects, notify, readMarkdown, services, stateStore } from '../aws/services';
import { capList } from '../core/cap';
import { ConcurrentRunError, InvalidInputError } from '../core/errors';
import type { RunReport } from '../core/report';
import type { PlanDocumentInput, SyncState } from '../core/sync/api';
import {
  DEFAULT_ORIGIN_PATTERN,
  isOriginPath,
  originPathOf,
  SYNC_STATE_VERSION,
  staleReferenceUnits,
} from '../core/sync/api';
import {
  changedDocuments,
  type DocumentListing,
  documentListing,
  settledChanges,
  withSettled,
} from '../core/sync/changes';
import { LOCK_WAIT, nextPoll } from '../core/workflow/backoff';
import {
  type DocumentFailure,
  describeFailure,
  failedDocumentReport,
  failureSummary,
  isRunError,
  planRunIsolating,
  runStatusOf,
} from '../core/workflow/chapter-guard';
import { lockExpiry } from '../core/workflow/execution-event';
import { type ExecutionRequest, parseExecutionInput, parseInput } from '../core/workflow/input';
import { pairId, planKey, runIdFor } from '../core/workflow/names';
import { PlanEventSchema, type PlanState } from '../core/workflow/payload';
import { planDocumentInput } from '../core/workflow/plan-documents';
import type { DocumentSnapshot, PlanFile } from '../core/workflow/plan-file';

/** Which documents to plan: the requested ones (each must exist), or every English document. */
export function selectDocuments(request: ExecutionRequest, sourcePaths: readonly string[]): string[] {
  const requested = request.options.documents;
  if (requested === null) return [...sourcePaths];
  const known = new Set(sourcePaths);
  const missing = requested.filter((d) => !known.has(d));
  if (missing.length > 0) {
    throw new InvalidInputError(
      `input.documents: ${missing.length === 1 ? '' : `${missing.length} documents `}${capList(missing.map((m) => JSON.stringify(m)))} not found under source/ (${sourcePaths.length} document(s) there)`,
    );
  }
  return [...requested].sort();
}

/**
 * Evaluate mode: the documents that have a human reference (the requested ones must all have one);
 * they are machine translated in full and scored, nothing is written to translated/.
 */
export function selectEvaluated(
  request: ExecutionRequest,
  sourcePaths: readonly string[],
  referencePaths: ReadonlySet<string>,
): string[] {
  const selected = selectDocuments(request, sourcePaths);
  if (request.options.documents !== null) {
    const without = selected.filter((d) => !referencePaths.has(d));
    if (without.length > 0) {
      throw new InvalidInputError(
        `input.documents: ${capList(without.map((d) => JSON.stringify(d)))} ha${without.length === 1 ? 's' : 've'} no reference/ translation to evaluate against`,
      );
    }
    return selected;
  }
  return selected.filter((d) => referencePaths.has(d));
}

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
    const srcPrefix = `source/${pair.source}/`;
    const trPrefix = `translated/${pair.target}/`;
    const refPrefix = `reference/${pair.target}/`;
    const objects = {
      source: await listMarkdownObjects(svc.bucket, srcPrefix),
      translated: await listMarkdownObjects(svc.bucket, trPrefix),
      reference: await listMarkdownObjects(svc.bucket, refPrefix),
    };
    const sourcePaths = [...objects.source.keys()];
    const translatedPaths = [...objects.translated.keys()];
    // `<name>_origin.md` beside a reference is the English it was translated from, not a reference.
    const originPattern = process.env.AMTS_ORIGIN_PATTERN || DEFAULT_ORIGIN_PATTERN;
    const referenceListing = [...objects.reference.keys()];
    const originPaths = new Set(referenceListing.filter((p) => isOriginPath(p, originPattern)));
    const referencePaths = new Set(referenceListing.filter((p) => !originPaths.has(p)));
    const evaluate = request.options.mode === 'evaluate';
    const selected = evaluate
      ? selectEvaluated(request, sourcePaths, referencePaths)
      : selectDocuments(request, sourcePaths);
    const listings = new Map<string, DocumentListing>();
    for (const path of selected) {
      const listing = documentListing(path, objects, originPathOf(path, originPattern));
      if (listing) listings.set(path, listing);
    }
    const known = new Map(
      Object.entries(index.documents).flatMap(([path, e]) => (e.settled ? [[path, e.settled] as const] : [])),
    );
    const { read, settled } = changedDocuments({
      selected,
      listings,
      settled: known,
      mustRead: new Set(request.options.documents ?? []),
      readAll: request.options.force || evaluate,
    });
    const state: SyncState = {
      version: SYNC_STATE_VERSION,
      pair: pairId(pair),
      lastRunId: index.lastRunId,
      documents: await store.readDocuments(read),
    };
    logger.info('planning from the listing', {
      documents: selected.length,
      read: read.length,
      settled: settled.size,
    });
    const texts = new Map<string, DocumentSnapshot>();
    const documents: Omit<PlanDocumentInput, 'previous'>[] = [];
    // A chapter that cannot be read or parsed fails alone (named, with the reason); the others go on.
    const failures: DocumentFailure[] = [];
    const readOne = async (path: string): Promise<void> => {
      const source = await readMarkdown(svc.bucket, srcPrefix + path);
      if (source === null) return; // deleted since the listing
      // Evaluate: translate the whole document from scratch, ignoring translated/ and the sync state.
      const translated =
        !evaluate && objects.translated.has(path) ? await readMarkdown(svc.bucket, trPrefix + path) : null;
      const reference = referencePaths.has(path) ? await readMarkdown(svc.bucket, refPrefix + path) : null;
      const originKey = originPathOf(path, originPattern);
      const origin =
        reference !== null && !evaluate && originPaths.has(originKey)
          ? await readMarkdown(svc.bucket, refPrefix + originKey)
          : null;
      const doc = planDocumentInput(pair, { path, source, translated, reference, origin }, { evaluate });
      documents.push(doc);
      texts.set(path, { source, translated, reference });
    };
    for (const path of read) {
      try {
        await readOne(path);
      } catch (error) {
        if (isRunError(error)) throw error;
        failures.push({ path, error: describeFailure(error, srcPrefix + path) });
      }
    }
    const { plan: planned, failures: planFailures } = planRunIsolating({
      pair: pairId(pair),
      state,
      statePaths: Object.keys(index.documents),
      force: request.options.force || evaluate,
      documents,
      sourcePaths,
      translatedPaths,
      act: referencePaths.size > 0,
      sentenceLevel: request.options.sentenceLevel,
      retranslateFuzzy: request.options.retranslateFuzzy,
    });
    failures.push(...planFailures);
    const staleUnits = staleReferenceUnits(planned.documents, state);
    for (const [path, s] of settled) if (s.staleUnits.length > 0) staleUnits[path] = [...s.staleUnits];
    // What this plan found up to date is recorded in the index for the next run (never by a dry run or
    // an evaluation: they write nothing to the sync state).
    let etag = indexEtag;
    if (!request.options.dryRun && !evaluate) {
      const changes = settledChanges({ plan: planned, read, listings, known, staleUnits });
      if (changes.size > 0) etag = await store.commitDocuments(new Map(), indexEtag, { settled: changes });
    }
    const plan = withSettled(planned, settled);
    if (failures.length > 0) {
      logger.warn('documents left out of the run', { failures });
      plan.report.push(...failures.map(failedDocumentReport));
      plan.report.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    }
    const snapshots: Record<string, DocumentSnapshot> = {};
    for (const d of plan.documents) {
      const t = texts.get(d.path);
      if (d.status !== 'translate' || !t) continue;
      const previous = d.forced ? undefined : state.documents[d.path];
      snapshots[d.path] = previous ? { ...t, previous } : t;
    }
    const file: PlanFile = {
      version: 1,
      runId,
      pair,
      startedAt: execution.startTime,
      request,
      stateEtag: etag,
      plan,
      snapshots,
      ...(failures.length > 0 ? { failed: failures } : {}),
      staleReferenceUnits: staleUnits,
      ...(recovered.length > 0 ? { recovered } : {}),
    };
    const key = planKey(pair, runId);
    await svc.bucket.putJson(key, file);
    const counts = {
      mode: request.options.mode,
      ...(request.options.compareWithoutParallelData ? { compareWithoutParallelData: true } : {}),
      documents: plan.documents.length,
      machineDocuments: plan.machineDocuments.length,
      charactersSent: plan.charactersSent,
    };
    const toWrite = plan.documents.filter((d) => d.status === 'translate').length;
    if (request.options.dryRun || toWrite === 0) {
      const cost = referencePaths.size > 0 ? plan.cost.act : plan.cost.standard;
      const status = runStatusOf(plan.report);
      const report: RunReport = {
        runId,
        pair: pairId(pair),
        status,
        startedAt: execution.startTime,
        finishedAt: new Date().toISOString(),
        parallelData: null,
        job: null,
        charactersSent: request.options.dryRun ? plan.charactersSent : 0,
        estimatedCostUsd: request.options.dryRun ? cost.usd : 0,
        documents: plan.report,
        dryRun: request.options.dryRun,
        ...{ trigger: request.trigger, changedDocuments: request.changedDocuments },
        warnings: [
          ...recovered,
          ...(request.options.dryRun
            ? [
                'dry run: nothing was sent to Amazon Translate and nothing written to translated/ or the sync state; this report (and its review page) is all a dry run writes',
              ]
            : []),
        ],
      };
      const reportKeyJson = await writeRunReport(svc.bucket, pair, report);
      await store.releaseLock(runId);
      const dry = request.options.dryRun;
      const failedLine = failures.length > 0 ? `\n${failureSummary(failures)}` : '';
      const outcome = dry ? 'DRY_RUN' : status === 'SUCCEEDED' ? 'NOTHING_TO_DO' : status;
      await notify(
        svc,
        outcome,
        pair,
        `AMTS ${pairId(pair)} ${dry ? 'dry run' : status === 'SUCCEEDED' ? 'nothing to do' : status}`,
        dry
          ? `Dry run ${runId}: ${plan.machineDocuments.length} document(s) would be sent, ${plan.charactersSent} characters, about $${report.estimatedCostUsd}.${failedLine}\nReport: ${svc.bucket.uri(reportKeyJson)}`
          : `Run ${runId}: every ${failures.length > 0 ? 'readable ' : ''}document is up to date; no job was started.${failedLine}\nReport: ${svc.bucket.uri(reportKeyJson)}`,
      );
      return {
        action: 'done',
        attempt,
        waitSeconds: 0,
        runId,
        planKey: key,
        reportKey: reportKeyJson,
        ...counts,
      };
    }
    return { action: 'continue', attempt, waitSeconds: 0, runId, planKey: key, ...counts };
  } catch (error) {
    // Nothing was committed: free the pair for the next run, then fail with the original error.
    await store.releaseLock(runId).catch(() => false);
    throw error;
  }
});
