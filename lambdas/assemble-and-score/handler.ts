// Task "Assemble And Score", after the Distributed Map "Assemble Documents": add the batches' results
// up (core/workflow/assembly), commit the sync state (conditional on the ETag Plan read), close the
// write-ahead logs, write the report (JSON + Markdown + review page), release the pair lock, notify.

import { closeLog } from '../aws/assembly-log';
import { MetricUnit, metrics, stepHandler } from '../aws/observability';
import { writeRunReport } from '../aws/reports';
import { notify, services, stateStore } from '../aws/services';
import { assemblyReport, finishAssembly } from '../core/workflow/assembly';
import {
  type AssemblyBatchResult,
  type AssemblySummary,
  assemblyResultPrefix,
  assemblySummaryKey,
  parseAssemblyArtifact,
} from '../core/workflow/assembly-files';
import { parseInput } from '../core/workflow/input';
import { pairId, runOutputPrefix } from '../core/workflow/names';
import { AssembleAndScoreEventSchema, type AssembleResultState } from '../core/workflow/payload';

export const handler = stepHandler(
  'Assemble And Score',
  async (event: unknown): Promise<AssembleResultState> => {
    const { pair, plan, parallelData, job } = parseInput(AssembleAndScoreEventSchema, event, 'event');
    const svc = services();
    const runId = plan.runId;
    const read = async <T>(key: string, fields: string[]) =>
      parseAssemblyArtifact<T>(await svc.bucket.getJson(key), svc.bucket.uri(key), runId, fields);
    const summary = await read<AssemblySummary>(assemblySummaryKey(pair, runId), [
      'order',
      'reports',
      'request',
    ]);
    const results: AssemblyBatchResult[] = [];
    for (const key of await svc.bucket.listKeys(assemblyResultPrefix(pair, runId))) {
      results.push(await read<AssemblyBatchResult>(key, ['reports', 'states']));
    }
    const evaluate = summary.request.options.mode === 'evaluate';
    const output = runOutputPrefix(pair, runId);
    const evaluationOutput = evaluate ? svc.bucket.uri(`${output}evaluate/`) : null;
    const plainOutput = svc.bucket.uri(`${output}evaluate-without-parallel-data/`);
    const done = finishAssembly({
      summary,
      results,
      job,
      parallelData,
      evaluate: evaluationOutput === null ? null : { output: evaluationOutput, plainOutput },
    });
    // Evaluate measures, it does not publish: translated/ and the sync state stay as they are.
    const store = stateStore(svc, pair);
    if (!evaluate) {
      // A retried Task (timeout or transient error after the commit) finds its own commit: skip it
      // instead of failing the ETag condition. Only the documents written are read and committed (one
      // shard each) with the index.
      if ((await store.readIndex()).index.lastRunId !== runId) {
        const written = new Map([...done.states].flatMap(([path, s]) => (s ? [[path, s] as const] : [])));
        await store.readDocuments(written.keys());
        // The batches' settled records: the next Plan reads nothing of a document just written.
        const settled = new Map(results.flatMap((r) => Object.entries(r.settled ?? {})));
        await store.commitDocuments(written, summary.stateEtag, { runId, settled });
      }
      // Committed: the logs are no longer needed (a crash before this line is finished by the next Plan).
      if (results.some((r) => r.logged)) await closeLog(svc, pair);
    }
    const finishedAt = new Date().toISOString();
    const report = assemblyReport({
      runId,
      pair: pairId(pair),
      finishedAt,
      summary,
      done,
      job,
      parallelData,
      evaluationOutput,
    });
    const key = await writeRunReport(svc.bucket, pair, report);
    await store.releaseLock(runId);
    const { status, charactersSent, documents } = done;
    const failed = documents.filter((r) => r.status === 'failed').length;
    const translated = documents.filter((r) => r.status === 'translated').length;
    metrics.addMetric('CharactersSent', MetricUnit.Count, charactersSent);
    metrics.addMetric('DocumentsFailed', MetricUnit.Count, failed);
    const line = `${translated} document(s) translated, ${failed} failed, ${charactersSent} characters sent`;
    await notify(
      svc,
      status,
      pair,
      `AMTS ${pairId(pair)} ${status}`,
      `Run ${runId}: ${status}. ${line}.\nReport: ${svc.bucket.uri(key)}`,
    );
    return { status, reportKey: key, documents: documents.length, translated, failed, charactersSent };
  },
);
