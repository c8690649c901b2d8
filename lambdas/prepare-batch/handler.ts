// Task "Prepare Batch": the Translate HTML of every unit that needs machine translation, one file per
// document, under work/<pair>/<runId>/input/ (one input folder per job), plus a manifest.

import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { batchHtml } from '../core/sync/assemble';
import { describeFailure, isRunError } from '../core/workflow/chapter-guard';
import { parseInput } from '../core/workflow/input';
import { batchManifestKey, contentHash, workPrefix } from '../core/workflow/names';
import { type BatchState, PrepareBatchEventSchema } from '../core/workflow/payload';
import { parsePlanFile } from '../core/workflow/plan-file';

/** One document of the batch: which input file holds it (Translate writes `<tgt>.<file>` back). */
export interface BatchEntry {
  path: string;
  file: string;
  units: number;
  characters: number;
}

/** `work/<pair>/<runId>/batch.json` */
export interface BatchManifest {
  runId: string;
  documents: BatchEntry[];
  /** Documents left out of the job because Translate would reject them (reported failed, sent again next run). */
  skipped?: { path: string; reason: string }[];
}

/**
 * Amazon Translate batch limits per document: 20 MB per file and 1 MB (1,000,000 characters here) of
 * translatable text. A document over either would fail inside the job; it is left out up front instead.
 * https://docs.aws.amazon.com/translate/latest/dg/what-is-limits.html
 */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
export const MAX_DOCUMENT_CHARACTERS = 1_000_000;

/** Why Translate would refuse this document, or `null`. */
export function overLimit(html: string, characters: number): string | null {
  const bytes = Buffer.byteLength(html);
  if (bytes > MAX_DOCUMENT_BYTES) {
    return `its batch input is ${bytes} bytes; Amazon Translate accepts at most ${MAX_DOCUMENT_BYTES} per document (split the chapter)`;
  }
  if (characters > MAX_DOCUMENT_CHARACTERS) {
    return `it has ${characters} characters to translate; Amazon Translate accepts at most ${MAX_DOCUMENT_CHARACTERS} per document (split the chapter)`;
  }
  return null;
}

/**
 * Input file name of the n-th document: flat (Translate names outputs after the input file), unique,
 * and still readable: `0001-chapter_rnn-rnn.html`.
 */
export function batchFileName(index: number, path: string): string {
  const flat = path
    .replace(/\.md$/, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .slice(-80);
  return `${String(index + 1).padStart(4, '0')}-${flat}.html`;
}

export const handler = stepHandler('Prepare Batch', async (event: unknown): Promise<BatchState> => {
  const { pair, plan } = parseInput(PrepareBatchEventSchema, event, 'event');
  const svc = services();
  const file = parsePlanFile(
    await svc.bucket.getJson(plan.planKey),
    svc.bucket.uri(plan.planKey),
    plan.runId,
  );
  const prefix = workPrefix(pair, plan.runId);
  const documents: BatchEntry[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const hashes: string[] = [];
  for (const doc of file.plan.documents) {
    if (doc.machineUnitIds.length === 0) continue;
    const snapshot = file.snapshots[doc.path];
    if (!snapshot) throw new Error(`plan ${plan.planKey}: no snapshot of ${doc.path}`);
    let html: string | null;
    try {
      html = batchHtml(doc, snapshot.source, pair.source);
    } catch (error) {
      // One document the codec cannot render is left out (reported failed with the reason), not the batch.
      if (isRunError(error)) throw error;
      skipped.push({ path: doc.path, reason: describeFailure(error, `source/${pair.source}/${doc.path}`) });
      continue;
    }
    if (html === null) continue;
    const tooBig = overLimit(html, doc.charactersSent);
    if (tooBig) {
      skipped.push({ path: doc.path, reason: tooBig });
      continue;
    }
    const name = batchFileName(documents.length, doc.path);
    await svc.bucket.putText(`${prefix}input/${name}`, html, 'text/html; charset=utf-8');
    documents.push({
      path: doc.path,
      file: name,
      units: doc.machineUnitIds.length,
      characters: doc.charactersSent,
    });
    hashes.push(`${name}:${contentHash(html)}`);
  }
  const manifest: BatchManifest = { runId: plan.runId, documents, ...(skipped.length ? { skipped } : {}) };
  const manifestKey = batchManifestKey(pair, plan.runId);
  await svc.bucket.putJson(manifestKey, manifest);
  const needsJob = documents.length > 0;
  return {
    needsJob,
    documents: documents.length,
    characters: documents.reduce((n, d) => n + d.characters, 0),
    inputUri: needsJob ? svc.bucket.uri(`${prefix}input/`) : null,
    outputUri: needsJob ? svc.bucket.uri(`${prefix}output/`) : null,
    manifestKey,
    batchHash: needsJob ? contentHash(hashes.join('\n')) : null,
  };
});
