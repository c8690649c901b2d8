// Task "Prepare Batch": the Translate HTML of every unit that needs machine translation, one file per
// document, under work/<pair>/<runId>/input/ (one input folder per job), plus a manifest.

import { stepHandler } from '../aws/observability';
import { services } from '../aws/services';
import { sha256 } from '../core/hash';
import { batchHtml } from '../core/sync/assemble';
import type { BatchEntry, BatchManifest } from '../core/workflow/batch';
import { describeFailure, isRunError } from '../core/workflow/chapter-guard';
import { parseInput } from '../core/workflow/input';
import { batchManifestKey, workPrefix } from '../core/workflow/names';
import { type BatchState, PrepareBatchEventSchema } from '../core/workflow/payload';
import { parsePlanFile } from '../core/workflow/plan-file';

/**
 * Amazon Translate batch limits per document: 20 MB per file, fewer than 1,000,000 characters, and 1 MB
 * of translatable text — bytes of UTF-8, not characters: a Chinese or Japanese source (3 bytes a
 * character) reaches it at ≈ 333,000 characters. A document over any would fail inside the job; it is
 * left out up front instead. https://docs.aws.amazon.com/translate/latest/dg/what-is-limits.html
 */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
export const MAX_DOCUMENT_CHARACTERS = 1_000_000;
/** 1 MB of translatable text, counted as 1,000,000 UTF-8 bytes (the stricter reading of "MB"). */
export const MAX_TRANSLATABLE_BYTES = 1_000_000;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** UTF-8 bytes of the text Translate translates in a batch HTML document (tags out, entities decoded). */
export function translatableBytes(html: string): number {
  const text = html.replace(/<[^>]*>/g, '').replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1]?.toLowerCase() === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
  return Buffer.byteLength(text, 'utf8');
}

/** Why Translate would refuse this document, or `null`. */
export function overLimit(html: string, characters: number): string | null {
  const bytes = Buffer.byteLength(html);
  if (bytes > MAX_DOCUMENT_BYTES) {
    return `its batch input is ${bytes} bytes; Amazon Translate accepts at most ${MAX_DOCUMENT_BYTES} per document (split the chapter)`;
  }
  if (characters >= MAX_DOCUMENT_CHARACTERS) {
    return `it has ${characters} characters to translate; Amazon Translate accepts fewer than ${MAX_DOCUMENT_CHARACTERS} per document (split the chapter)`;
  }
  const text = translatableBytes(html);
  if (text > MAX_TRANSLATABLE_BYTES) {
    return `its translatable text is ${text} bytes of UTF-8 (${characters} characters); Amazon Translate accepts at most 1 MB (${MAX_TRANSLATABLE_BYTES} bytes) per document (split the chapter)`;
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
    hashes.push(`${name}:${sha256(html)}`);
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
    batchHash: needsJob ? sha256(hashes.join('\n')) : null,
  };
});
