// Task "Assemble And Score": merge the job output with reused and reference units into translated/,
// score against reference/, commit the sync state (conditional on the ETag read by Plan), write the
// report (JSON + Markdown), release the pair lock, notify.

import { closeLog, type PendingWrite, writeAhead } from '../aws/assembly-log';
import { MetricUnit, metrics, stepHandler } from '../aws/observability';
import { writeRunReport } from '../aws/reports';
import { notify, readMarkdownWithEtag, services, stateStore } from '../aws/services';
import { UnusableTranslationError } from '../core/errors';
import { sha256 } from '../core/hash';
import { readTranslatedUnits, writtenMarkdownProblems } from '../core/markdown';
import type { ComparisonReport, DocumentReport, RunReport } from '../core/report';
import { machineReviewItems, withReviewItems } from '../core/review/items';
import type { DocumentPlan, DocumentState, MachineUnit } from '../core/sync/api';
// From the module, not the api.ts barrel: the barrel also loads the aligner + papaparse (≈ 25 KB).
import { assembleDocument } from '../core/sync/assemble';
import { estimateCost } from '../core/sync/cost';
import { emptyUnitCounts } from '../core/sync/report';
import { parseBatchManifest } from '../core/workflow/batch';
import {
  describeFailure,
  failedDocumentReport,
  isRunError,
  unusableTranslation,
} from '../core/workflow/chapter-guard';
import { parseInput } from '../core/workflow/input';
import { pairId, runOutputPrefix, workPrefix } from '../core/workflow/names';
import { AssembleAndScoreEventSchema, type AssembleResultState } from '../core/workflow/payload';
import { type DocumentSnapshot, parsePlanFile } from '../core/workflow/plan-file';
import { scoreAgainstReference } from '../core/workflow/score';

/** `s3://bucket/a/b/` → `a/b/` (the key prefix inside the workflow bucket). */
export function keyPrefixOf(uri: string, bucket: string): string {
  const head = `s3://${bucket}/`;
  if (!uri.startsWith(head)) throw new Error(`${uri} is not in the workflow bucket ${bucket}`);
  return uri.slice(head.length);
}

export const handler = stepHandler(
  'Assemble And Score',
  async (event: unknown): Promise<AssembleResultState> => {
    const { pair, plan, parallelData, batch, job } = parseInput(AssembleAndScoreEventSchema, event, 'event');
    const svc = services();
    const file = parsePlanFile(
      await svc.bucket.getJson(plan.planKey),
      svc.bucket.uri(plan.planKey),
      plan.runId,
    );
    const rawManifest = batch.manifestKey ? await svc.bucket.getJson(batch.manifestKey) : null;
    const manifest =
      batch.manifestKey && rawManifest !== null
        ? parseBatchManifest(rawManifest, svc.bucket.uri(batch.manifestKey), plan.runId)
        : null;
    const fileOf = new Map((manifest?.documents ?? []).map((d) => [d.path, d.file]));
    const skippedWhy = new Map((manifest?.skipped ?? []).map((d) => [d.path, d.reason]));

    // Job output: `<prefix><tgt>.<input file>`; a document whose output is missing failed in the job.
    const listOutputs = async (uri: string | undefined) => {
      const found = new Map<string, string>();
      if (!uri) return found;
      for (const key of await svc.bucket.listKeys(keyPrefixOf(uri, svc.bucket.name))) {
        const base = key.slice(key.lastIndexOf('/') + 1);
        if (base.startsWith(`${pair.target}.`)) found.set(base.slice(pair.target.length + 1), key);
      }
      return found;
    };
    const outputs = await listOutputs(job?.done ? job.outputUri : undefined);

    const assembled = new Map<string, DocumentState | null>();
    const reports: DocumentReport[] = [];
    // Evaluate mode writes its full machine translations beside its report (reports/<pair>/<runId>/evaluate/,
    // copied back to the book by the local runner), never into translated/, and
    // leaves the sync state alone: it measures, it does not publish.
    const evaluate = file.request.options.mode === 'evaluate';
    const outPrefix = evaluate
      ? `${runOutputPrefix(pair, plan.runId)}evaluate/`
      : `translated/${pair.target}/`;
    const pending: PendingWrite[] = [];
    // A document that failed (in the job or in assembly) writes nothing and keeps its previous state, so
    // the next run sends it again; nothing came back, so no unit is machine-translated and no character
    // counts as sent.
    const failedReport = (path: string, error: string): DocumentReport => {
      const planned = file.plan.report.find((r) => r.path === path) ?? reportOf(path);
      return {
        ...planned,
        status: 'failed',
        charactersSent: 0,
        units: { ...planned.units, machineTranslated: 0 },
        error,
      };
    };
    const assembleOne = async (docPlan: DocumentPlan, snapshot: DocumentSnapshot): Promise<void> => {
      let machineUnits: ReadonlyMap<string, MachineUnit> = new Map();
      let translatedHtml: string | null = null;
      const warnings: string[] = [];
      const input = fileOf.get(docPlan.path);
      if (docPlan.machineUnitIds.length > 0) {
        const outKey = input ? outputs.get(input) : undefined;
        const html = outKey ? await svc.bucket.getText(outKey) : null;
        translatedHtml = html;
        const why = skippedWhy.get(docPlan.path);
        if (html === null || why !== undefined) {
          // The document failed in the job (COMPLETED_WITH_ERROR): report it failed.
          reports.push(
            failedReport(
              docPlan.path,
              why !== undefined
                ? `not sent: ${why}`
                : `the document failed in the job: Amazon Translate returned no translation (job ${job?.jobId ?? 'none'}, ${job?.status ?? 'no status'}; see the job's details/ output)`,
            ),
          );
          return;
        }
        machineUnits = readTranslatedUnits(snapshot.source, html, {
          file: `source/${pair.source}/${docPlan.path}`,
        });
      }
      // The translated file as it is NOW: a human may have edited it while the job ran; assembly then
      // re-plans against it (from the state entry the plan was made from) and keeps the edit. Evaluate
      // and forced plans rewrite from scratch and never look at it.
      // Read with its ETag: the file is replaced only if it is still this one at write time.
      const now = evaluate
        ? null
        : await readMarkdownWithEtag(svc.bucket, `translated/${pair.target}/${docPlan.path}`);
      const translatedNow = evaluate || docPlan.forced ? snapshot.translated : (now?.text ?? null);
      const result = assembleDocument({
        plan: docPlan,
        sourceMarkdown: snapshot.source,
        translatedMarkdown: translatedNow,
        ...(snapshot.previous ? { previous: snapshot.previous } : {}),
        machineUnits,
        translatedHtml,
        ...(job ? { jobId: job.jobId } : {}),
        runId: plan.runId,
        ...(file.request.options.sentenceLevel !== undefined
          ? { sentenceLevel: file.request.options.sentenceLevel }
          : {}),
        ...(file.request.options.retranslateFuzzy ? { retranslateFuzzy: true } : {}),
      });
      const unusable = unusableTranslation(docPlan.machineUnitIds.length, translatedHtml, result);
      if (unusable !== null) {
        throw new UnusableTranslationError(`source/${pair.source}/${docPlan.path}: ${unusable}`);
      }
      // The protected-content check on what is about to be written: a document holding math or code as
      // escaped text is reported failed and not written; its state is kept, so the next run sends it again.
      const damage =
        result.markdown === null
          ? []
          : writtenMarkdownProblems(
              snapshot.source,
              result.markdown,
              outPrefix + docPlan.path,
              translatedNow,
            );
      if (damage.length > 0) {
        reports.push({
          ...result.report,
          status: 'failed',
          warnings: [...warnings, ...result.report.warnings],
          error: `not written: ${damage.length} protected item(s) would be written as escaped text (${damage
            .slice(0, 5)
            .map((p) => `${p.where} ${p.detail}`)
            .join('; ')})`,
        });
        return;
      }
      if (result.markdown !== null && evaluate) {
        await svc.bucket.putText(outPrefix + docPlan.path, result.markdown, 'text/markdown; charset=utf-8');
      } else if (result.markdown !== null) {
        // Written after every document is computed, through the write-ahead log (see writeAhead).
        pending.push({
          path: docPlan.path,
          before: now === null ? null : sha256(now.text),
          after: sha256(result.markdown),
          markdown: result.markdown,
          state: result.state,
          etag: now?.etag ?? null,
          // A forced rewrite never looks at the file: a human edit made since the plan is a conflict.
          ...(docPlan.forced && (now?.text ?? null) !== snapshot.translated ? { conflict: true } : {}),
        });
      }
      assembled.set(docPlan.path, result.state);
      const report: DocumentReport = { ...result.report, warnings: [...warnings, ...result.report.warnings] };
      if (job && result.state) {
        // Every unit this run's job translated is listed for review (beside what the sync listed).
        const machine = machineReviewItems({
          sourceMarkdown: snapshot.source,
          file: `source/${pair.source}/${docPlan.path}`,
          state: result.state,
          jobId: job.jobId,
        });
        if (machine.length > 0 || report.review) report.review = withReviewItems(report.review, machine);
      }
      if (snapshot.reference !== null && result.markdown !== null) {
        const { scores, warning } = scoreAgainstReference(pair, {
          path: docPlan.path,
          source: snapshot.source,
          translated: result.markdown,
          reference: snapshot.reference,
        });
        report.scores = scores;
        if (warning) report.warnings.push(warning);
      }
      reports.push(report);
    };
    for (const docPlan of file.plan.documents) {
      const snapshot = file.snapshots[docPlan.path];
      if (docPlan.status !== 'translate' || !snapshot) {
        reports.push(file.plan.report.find((r) => r.path === docPlan.path) ?? reportOf(docPlan.path));
        continue;
      }
      // A document whose job output or files break the codec fails alone (named, with the reason).
      try {
        await assembleOne(docPlan, snapshot);
      } catch (error) {
        if (isRunError(error)) throw error;
        reports.push(
          failedReport(docPlan.path, describeFailure(error, `source/${pair.source}/${docPlan.path}`)),
        );
      }
    }
    // Write-ahead: record every file about to be written, then write each one only if a human did not
    // change it meanwhile (ETag). A file changed meanwhile keeps the human's text; the machine version
    // goes beside the run and the document keeps its previous state (sent again next run).
    if (pending.length > 0) {
      const conflicts = await writeAhead(svc, pair, plan.runId, file.stateEtag, pending);
      for (const path of conflicts) {
        const machineKey = `${workPrefix(pair, plan.runId)}machine/${path}`;
        const entry = pending.find((p) => p.path === path);
        if (entry) await svc.bucket.putText(machineKey, entry.markdown, 'text/markdown; charset=utf-8');
        assembled.delete(path);
        const report = reports.find((r) => r.path === path);
        if (report) {
          Object.assign(report, {
            status: 'failed',
            charactersSent: 0,
            units: { ...report.units, machineTranslated: 0 },
            error: `translated/${pair.target}/${path} was changed by someone else while this run assembled it: their version is kept; this run's version is ${svc.bucket.uri(machineKey)} (merge by hand)`,
          });
        }
      }
    }
    for (const o of file.plan.orphaned) reports.push({ ...reportOf(o.path), status: 'orphaned' });
    // Documents Plan could not read or parse (encoding, size, nesting): failed, named, not sent.
    for (const f of file.failed ?? []) reports.push(failedDocumentReport(f));

    // Evaluate + compareWithoutParallelData: the same documents from the plain-Translate baseline job.
    let comparison: ComparisonReport | null = null;
    if (evaluate && job?.baseline?.done) {
      // The baseline job was sent the same batch: each delivered document's characters count twice, so
      // the per-document figures add up to the run's total (a failed document counts none).
      let perJob = 0;
      for (const entry of manifest?.documents ?? []) {
        const report = reports.find((r) => r.path === entry.path);
        if (!report || report.status === 'failed') continue;
        report.charactersSentWithoutParallelData = entry.characters;
        report.charactersSent = entry.characters * 2;
        perJob += entry.characters;
      }
      const plainOutputs = await listOutputs(job.baseline.outputUri);
      const plainPrefix = `${runOutputPrefix(pair, plan.runId)}evaluate-without-parallel-data/`;
      const act: { bleu: number; chrf: number }[] = [];
      const plain: { bleu: number; chrf: number }[] = [];
      for (const docPlan of file.plan.documents) {
        const snapshot = file.snapshots[docPlan.path];
        const report = reports.find((r) => r.path === docPlan.path);
        const outKey = plainOutputs.get(fileOf.get(docPlan.path) ?? '');
        if (!snapshot?.reference || !report || !outKey) continue;
        const html = await svc.bucket.getText(outKey);
        if (html === null) continue;
        const machineUnits = readTranslatedUnits(snapshot.source, html, {
          file: `source/${pair.source}/${docPlan.path}`,
        });
        const result = assembleDocument({
          plan: docPlan,
          sourceMarkdown: snapshot.source,
          translatedMarkdown: snapshot.translated,
          machineUnits,
          translatedHtml: html,
          jobId: job.baseline.jobId,
          runId: plan.runId,
        });
        if (result.markdown === null) continue;
        const plainDamage = writtenMarkdownProblems(
          snapshot.source,
          result.markdown,
          plainPrefix + docPlan.path,
        );
        if (plainDamage.length > 0) {
          report.warnings.push(
            `baseline translation not written: ${plainDamage.length} protected item(s) would be written as escaped text (${plainDamage[0]?.where} ${plainDamage[0]?.detail})`,
          );
          continue;
        }
        await svc.bucket.putText(plainPrefix + docPlan.path, result.markdown, 'text/markdown; charset=utf-8');
        const { scores } = scoreAgainstReference(pair, {
          path: docPlan.path,
          source: snapshot.source,
          translated: result.markdown,
          reference: snapshot.reference,
        });
        report.scoresWithoutParallelData = scores;
        if (result.state) {
          // The review page shows both translations of each unit side by side.
          const plainText = new Map(
            machineReviewItems({
              sourceMarkdown: snapshot.source,
              file: `source/${pair.source}/${docPlan.path}`,
              state: result.state,
              jobId: job.baseline.jobId,
            }).map((i) => [i.unitId, i.translation]),
          );
          for (const item of report.review ?? []) {
            const plainUnit = plainText.get(item.unitId);
            if (plainUnit !== undefined) item.withoutParallelData = plainUnit;
          }
        }
        if (scores && report.scores) {
          act.push(report.scores);
          plain.push(scores);
        }
      }
      const mean = (xs: { bleu: number; chrf: number }[], k: 'bleu' | 'chrf') =>
        xs.length === 0 ? null : Math.round((xs.reduce((n, x) => n + x[k], 0) / xs.length) * 100) / 100;
      comparison = {
        documents: act.length,
        note: 'unweighted mean of the document scores',
        withParallelData: {
          jobId: job.jobId,
          bleu: mean(act, 'bleu'),
          chrf: mean(act, 'chrf'),
          charactersSent: perJob,
        },
        withoutParallelData: {
          jobId: job.baseline.jobId,
          bleu: mean(plain, 'bleu'),
          chrf: mean(plain, 'chrf'),
          charactersSent: perJob,
        },
        output: svc.bucket.uri(plainPrefix),
      };
    }

    const store = stateStore(svc, pair);
    if (!evaluate) {
      // A retried Task (timeout or transient error after the commit) finds its own commit: skip it
      // instead of failing the ETag condition. Only the documents written are read and committed (one
      // shard each) with the index.
      if ((await store.readIndex()).index.lastRunId !== plan.runId) {
        const written = new Map([...assembled].flatMap(([path, s]) => (s ? [[path, s] as const] : [])));
        await store.readDocuments(written.keys());
        await store.commitDocuments(written, file.stateEtag, { runId: plan.runId });
      }
      // Committed: the log is no longer needed (a crash before this line is finished by the next Plan).
      if (pending.length > 0) await closeLog(svc, pair);
    }

    const failed = reports.filter((r) => r.status === 'failed').length;
    const translated = reports.filter((r) => r.status === 'translated').length;
    const status: RunReport['status'] =
      failed > 0 && translated === 0 ? 'FAILED' : failed > 0 || job?.partial ? 'PARTIAL' : 'SUCCEEDED';
    // Characters of the documents that came back: a document that failed (in the job or in assembly)
    // counts none, so the documents' figures add up to the run's.
    const failedPaths = new Set(reports.filter((r) => r.status === 'failed').map((r) => r.path));
    const delivered = (manifest?.documents ?? [])
      .filter((d) => !failedPaths.has(d.path))
      .reduce((n, d) => n + d.characters, 0);
    // Both jobs of an evaluation with a baseline are billed: ACT for the main one, standard for the baseline.
    const charactersSent = job ? delivered * (job.baseline ? 2 : 1) : 0;
    const costUsd = job
      ? estimateCost(delivered, { act: parallelData.name !== null }).usd +
        (job.baseline ? estimateCost(delivered, { act: false }).usd : 0)
      : 0;
    const report: RunReport = {
      runId: plan.runId,
      pair: pairId(pair),
      status,
      startedAt: file.startedAt,
      finishedAt: new Date().toISOString(),
      parallelData: parallelData.name
        ? { name: parallelData.name, pairs: parallelData.pairs, updated: parallelData.updated }
        : null,
      job: job ? { jobId: job.jobId, status: job.status } : null,
      charactersSent,
      estimatedCostUsd: Math.round(costUsd * 100) / 100,
      documents: reports,
      // Extra fields (docs/architecture.md "Run report": add freely): what started the run.
      ...{ trigger: file.request.trigger, changedDocuments: file.request.changedDocuments },
      ...(evaluate
        ? {
            mode: 'evaluate',
            evaluationOutput: svc.bucket.uri(outPrefix),
            ...(comparison ? { comparison } : {}),
            warnings: [
              'evaluate: documents machine translated in full and scored against reference/; translated/ and the sync state are unchanged',
              ...(parallelData.name
                ? [
                    'the parallel data contains these documents’ own reference pairs, so ACT scores are optimistic',
                  ]
                : []),
            ],
          }
        : {}),
    };
    if (file.recovered?.length) report.warnings = [...file.recovered, ...(report.warnings ?? [])];
    const key = await writeRunReport(svc.bucket, pair, report);
    await store.releaseLock(plan.runId);
    metrics.addMetric('CharactersSent', MetricUnit.Count, charactersSent);
    metrics.addMetric('DocumentsFailed', MetricUnit.Count, failed);
    await notify(
      svc,
      status,
      pair,
      `AMTS ${pairId(pair)} ${status}`,
      `Run ${plan.runId}: ${status}. ${translated} document(s) translated, ${failed} failed, ${charactersSent} characters sent.\nReport: ${svc.bucket.uri(key)}`,
    );
    return { status, reportKey: key, documents: reports.length, translated, failed, charactersSent };
  },
);

function reportOf(path: string): DocumentReport {
  return {
    path,
    status: 'unchanged',
    charactersSent: 0,
    units: emptyUnitCounts(),
    scores: null,
    warnings: [],
    error: null,
    review: [],
  };
}
