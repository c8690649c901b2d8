// Task "Assemble Batch" (the child workflow of the Distributed Map "Assemble Documents"): assemble a
// bounded batch of documents, reading and writing only theirs — job output merged with reused and
// reference units, checked and scored (core/workflow/assembly), written to translated/ through this
// batch's write-ahead log (ETag-conditional) — and leave the batch's result for "Assemble And Score".

import { jobOutput, readAssemblyInputs, settleWritten } from '../aws/assembly-io';
import { writeBatch } from '../aws/assembly-log';
import { stepHandler } from '../aws/observability';
import { readMarkdownWithEtag, services } from '../aws/services';
import {
  assembleBaseline,
  assembleOne,
  type BatchWrite,
  batchWrite,
  deliveredCharacters,
  emptyBatchResult,
  markConflict,
  withBaseline,
} from '../core/workflow/assembly';
import { assemblyResultKey } from '../core/workflow/assembly-files';
import { assemblyBatchLogKey } from '../core/workflow/assembly-log';
import { parseInput } from '../core/workflow/input';
import { runOutputPrefix } from '../core/workflow/names';
import { AssembleBatchEventSchema, type AssembleBatchResultState } from '../core/workflow/payload';
import { jobOfPart } from '../core/workflow/translation-job';

const MARKDOWN = 'text/markdown; charset=utf-8';

export const handler = stepHandler(
  'Assemble Batch',
  async (event: unknown): Promise<AssembleBatchResultState> => {
    const { pair, plan, job, items } = parseInput(AssembleBatchEventSchema, event, 'event');
    const svc = services();
    const [runId, first] = [plan.runId, items[0]?.index ?? 0];
    const inputs = await readAssemblyInputs(svc, pair, runId, items);
    const run = inputs[0]?.run ?? { stateEtag: null, evaluate: false };
    const [evaluation, plainPrefix] = [
      runOutputPrefix(pair, runId),
      `${runOutputPrefix(pair, runId)}evaluate-without-parallel-data/`,
    ];
    const outPrefix = run.evaluate ? `${evaluation}evaluate/` : `translated/${pair.target}/`;
    const ctx = { ...run, pair, runId, job, outPrefix };
    const output = (uri?: string, file?: string) => jobOutput(svc, pair.target, uri, file);
    const result = emptyBatchResult(runId);
    const pending: BatchWrite[] = [];
    for (const input of inputs) {
      // The translated file as it is NOW (a human may have edited it while the job ran), with its ETag.
      const now = run.evaluate ? null : await readMarkdownWithEtag(svc.bucket, `${outPrefix}${input.path}`);
      const planned = run.evaluate || input.plan.forced ? input.snapshot.translated : (now?.text ?? null);
      const part = jobOfPart(job, input.job ?? 0); // the job this document was sent in
      const sent = input.plan.machineUnitIds.length > 0 && part?.done;
      const html = sent ? await output(part.outputUri, input.file) : null;
      const outcome = assembleOne({ ...ctx, job: part }, input, html, planned);
      if (outcome.markdown !== undefined && run.evaluate) {
        await svc.bucket.putText(outPrefix + input.path, outcome.markdown, MARKDOWN);
      } else if (outcome.markdown !== undefined) {
        pending.push(batchWrite(input, { ...outcome, markdown: outcome.markdown }, now));
      }
      const failed = outcome.report.status === 'failed';
      if (outcome.state !== undefined && !failed) result.states[input.path] = outcome.state;
      const baseline = part?.baseline;
      if (run.evaluate && baseline?.done && input.snapshot.reference !== null && !failed) {
        const html = await output(baseline.outputUri, input.file);
        const plain =
          html === null
            ? null
            : assembleBaseline(
                { ...ctx, job: part, baselineJobId: baseline.jobId, plainPrefix },
                input,
                html,
              );
        if (plain?.markdown) await svc.bucket.putText(plainPrefix + input.path, plain.markdown, MARKDOWN);
        if (plain) withBaseline(outcome.report, plain, result.compared);
      }
      result.reports.push(outcome.report);
    }
    // Write-ahead: this batch's log, then each file only if nobody changed it meanwhile (ETag). A file
    // changed meanwhile keeps the human's text; the machine version goes beside the run (merge by hand).
    result.logged = pending.length > 0;
    const logKey = assemblyBatchLogKey(pair, first);
    for (const c of await writeBatch(svc, pair, runId, run.stateEtag, pending, logKey)) {
      markConflict(result, c.path, `translated/${pair.target}/${c.path}`, c.machineUri);
    }
    // What the next Plan would find of the files written (a conflict lost its state): recorded as settled.
    const paths = pending.map((p) => p.path);
    const settled = await settleWritten(svc, pair, paths, result.states, run);
    if (Object.keys(settled).length > 0) result.settled = settled;
    const scoredTwice = run.evaluate && job?.baseline?.done === true;
    result.delivered = deliveredCharacters(result.reports, inputs, scoredTwice);
    const resultKey = assemblyResultKey(pair, runId, first);
    await svc.bucket.putJson(resultKey, result);
    return {
      resultKey,
      documents: items.length,
      failed: result.reports.filter((r) => r.status === 'failed').length,
    };
  },
);
