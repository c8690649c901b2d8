/**
 * Prepare Batch's policy: which documents go into the Translate job and as which input file, what
 * Translate would refuse, and the batch manifest written beside the job input and read back by
 * Assemble And Score (docs/architecture.md "S3 layout": `work/<src>-<tgt>/<runId>/batch.json`).
 */
import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { sha256 } from '../hash';
import { batchHtml } from '../sync/assemble';
import { describeFailure, isRunError } from './chapter-guard';
import type { PlanFile } from './plan-file';
import { type JobLimits, TRANSLATE_JOB_LIMITS } from './translation-job';

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

/**
 * S3 writes Prepare Batch keeps in flight (job input files, then per-document assembly inputs): enough
 * to hide S3's latency at thousands of documents, few enough that only that many rendered documents are
 * in memory at once.
 */
export const PREPARE_WRITES = 16;

const BatchEntrySchema = z.object({
  path: z.string().min(1),
  /** Input file name; Translate writes `<tgt>.<file>` back. */
  file: z.string().min(1),
  units: z.number().int().min(0),
  characters: z.number().int().min(0),
  /** The part of the batch (the job) whose input folder holds it: `input/<job>/` (absent: 0). */
  job: z.number().int().min(0).optional(),
});
/** One document of the batch: which input file holds it (Translate writes `<tgt>.<file>` back). */
export type BatchEntry = z.infer<typeof BatchEntrySchema>;

/** `work/<pair>/<runId>/batch.json` */
export const BatchManifestSchema = z.object({
  runId: z.string().min(1),
  documents: z.array(BatchEntrySchema),
  /** Documents left out of the job because Translate would reject them (reported failed, sent again next run). */
  skipped: z.array(z.object({ path: z.string().min(1), reason: z.string() })).optional(),
});
export type BatchManifest = z.infer<typeof BatchManifestSchema>;

/** Parse a batch manifest read back from S3; InvalidInputError when it is not one of this run's. */
export function parseBatchManifest(value: unknown, where: string, runId: string): BatchManifest {
  const parsed = BatchManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new InvalidInputError(`${where}: not an AMTS batch manifest${at}: ${issue?.message ?? 'invalid'}`);
  }
  if (parsed.data.runId !== runId) {
    throw new InvalidInputError(`${where}: batch manifest of run ${parsed.data.runId}, expected ${runId}`);
  }
  return parsed.data;
}

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

/** One document of the plan, decided: an input file to write, or left out with the reason. */
export type BatchInput =
  | { kind: 'input'; entry: BatchEntry; html: string /** sha256 of `html` */; hash: string }
  | { kind: 'skipped'; path: string; reason: string };

/** Input folder of part `job` of a batch, below the run's `input/` (one folder per job). */
export const jobInputFolder = (job: number) => `${job}/`;

/**
 * Which job each document goes to, in plan order: a new job when the current one would pass Translate's
 * documents or bytes per job (a document alone over the bytes still gets a job of its own). Stateful, so
 * documents are assigned as they are rendered.
 */
export function jobSplitter(limits: Pick<JobLimits, 'documents' | 'bytes'>): (bytes: number) => number {
  let job = 0;
  let documents = 0;
  let total = 0;
  return (bytes) => {
    if (documents > 0 && (documents + 1 > limits.documents || total + bytes > limits.bytes)) {
      job++;
      documents = 0;
      total = 0;
    }
    documents++;
    total += bytes;
    return job;
  };
}

/**
 * The job input of a plan, one document at a time (a generator, so the handler writes each file before
 * the next is rendered): every document with units to translate, rendered with `batchHtml`; a document
 * the codec cannot render or Translate would refuse is skipped with the reason (reported failed), not the
 * batch. Each input names its job (`jobSplitter`). A run-level error (size guard of the whole run) propagates.
 */
export function* batchInputs(
  file: PlanFile,
  sourceLanguage: string,
  where: string,
  limits: Pick<JobLimits, 'documents' | 'bytes'> = TRANSLATE_JOB_LIMITS,
): Generator<BatchInput> {
  const jobOf = jobSplitter(limits);
  let index = 0;
  for (const doc of file.plan.documents) {
    if (doc.machineUnitIds.length === 0) continue;
    const snapshot = file.snapshots[doc.path];
    if (!snapshot) throw new Error(`plan ${where}: no snapshot of ${doc.path}`);
    let html: string | null;
    try {
      html = batchHtml(doc, snapshot.source, sourceLanguage);
    } catch (error) {
      if (isRunError(error)) throw error;
      yield {
        kind: 'skipped',
        path: doc.path,
        reason: describeFailure(error, `source/${sourceLanguage}/${doc.path}`),
      };
      continue;
    }
    if (html === null) continue;
    const tooBig = overLimit(html, doc.charactersSent);
    if (tooBig) {
      yield { kind: 'skipped', path: doc.path, reason: tooBig };
      continue;
    }
    const entry = {
      path: doc.path,
      file: batchFileName(index++, doc.path),
      units: doc.machineUnitIds.length,
      characters: doc.charactersSent,
      job: jobOf(Buffer.byteLength(html)),
    };
    yield { kind: 'input', entry, html, hash: sha256(html) };
  }
}

const inputsHash = (inputs: ReadonlyArray<{ entry: BatchEntry; hash: string }>) =>
  sha256(inputs.map((i) => `${i.entry.file}:${i.hash}`).join('\n'));

/**
 * The manifest, the batch hash and each job's hash (ClientToken inputs: one job's hash is the batch
 * hash) and counts, of the inputs written, in order.
 */
export function batchSummary(
  runId: string,
  inputs: ReadonlyArray<{ entry: BatchEntry; hash: string }>,
  skipped: ReadonlyArray<{ path: string; reason: string }>,
): {
  manifest: BatchManifest;
  characters: number;
  batchHash: string | null;
  jobs: { hash: string; documents: number; characters: number }[];
} {
  const documents = inputs.map((i) => i.entry);
  const parts: { entry: BatchEntry; hash: string }[][] = [];
  for (const input of inputs) {
    const list = parts[input.entry.job ?? 0] ?? [];
    list.push(input);
    parts[input.entry.job ?? 0] = list;
  }
  return {
    manifest: { runId, documents, ...(skipped.length ? { skipped: [...skipped] } : {}) },
    characters: documents.reduce((n, d) => n + d.characters, 0),
    batchHash: inputs.length > 0 ? inputsHash(inputs) : null,
    jobs: Array.from(parts, (part = []) => ({
      hash: inputsHash(part),
      documents: part.length,
      characters: part.reduce((n, i) => n + i.entry.characters, 0),
    })),
  };
}
