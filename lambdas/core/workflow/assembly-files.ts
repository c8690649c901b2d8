/**
 * The artifacts of the fanned-out assembly (docs/architecture.md "S3 layout", `work/<pair>/<runId>/assembly/`):
 * Prepare Batch writes the Distributed Map's items, one input per document and a summary; each
 * "Assemble Batch" writes its result; "Assemble And Score" reads the summary and the results. Shapes,
 * keys and the split of a plan into them (pure). The decisions of the steps are in ./assembly.ts.
 */
import { z } from 'zod';
import { InvalidInputError } from '../errors';
import type { DocumentReport } from '../report';
import type { SettledDocument } from '../sync/changes';
import { emptyUnitCounts } from '../sync/report';
import type { DocumentState } from '../sync/types';
import { failedDocumentReport } from './chapter-guard';
import { type LanguagePair, workPrefix } from './names';
import type { DocumentSnapshot, PlanFile } from './plan-file';

/** Documents per "Assemble Batch" invocation (ItemBatcher.MaxItemsPerBatch in the ASL; a test ties them). */
export const ASSEMBLY_BATCH_SIZE = 20;

const prefix = (pair: LanguagePair, runId: string) => `${workPrefix(pair, runId)}assembly/`;
/** The Distributed Map's items: a JSON array of {@link AssemblyItem}. */
export const assemblyItemsKey = (pair: LanguagePair, runId: string) => `${prefix(pair, runId)}items.json`;
export const assemblyInputKey = (pair: LanguagePair, runId: string, index: number) =>
  `${prefix(pair, runId)}input/${index}.json`;
export const assemblyResultKey = (pair: LanguagePair, runId: string, first: number) =>
  `${prefix(pair, runId)}result/${first}.json`;
export const assemblyResultPrefix = (pair: LanguagePair, runId: string) => `${prefix(pair, runId)}result/`;
export const assemblySummaryKey = (pair: LanguagePair, runId: string) => `${prefix(pair, runId)}summary.json`;

/** One item of the Distributed Map: a document to assemble (its input is `input/<index>.json`). */
export const AssemblyItemSchema = z.object({ index: z.number().int().min(0), path: z.string().min(1) });
export type AssemblyItem = z.infer<typeof AssemblyItemSchema>;

/** Everything "Assemble Batch" needs of one document (written by Prepare Batch). */
export interface AssemblyInput {
  path: string;
  plan: PlanFile['plan']['documents'][number];
  snapshot: DocumentSnapshot;
  /** The plan's report line of the document. */
  planned: DocumentReport;
  /** Its batch input file (the job writes `<tgt>.<file>`); absent when nothing of it was sent. */
  file?: string;
  /** Characters of it the job was sent. */
  characters?: number;
  /** The part of the batch (the job) it was sent in (absent: 0). */
  job?: number;
  /** Left out of the job: why. */
  skipped?: string;
  /** The run's settings the document is assembled with. */
  run: {
    /** ETag of the sync state the plan was made from (the write-ahead log records it). */
    stateEtag: string | null;
    evaluate: boolean;
    sentenceLevel?: boolean;
    retranslateFuzzy?: boolean;
  };
}

/** What "Assemble And Score" needs besides the batches' results (written by Prepare Batch). */
export interface AssemblySummary {
  version: 1;
  runId: string;
  startedAt: string;
  request: PlanFile['request'];
  stateEtag: string | null;
  recovered?: string[];
  /** Paths of the plan's documents in report order. */
  order: string[];
  /** Report lines of the plan's documents that are not assembled (unchanged), orphans and failures. */
  reports: DocumentReport[];
  /** How many documents the batches assemble. */
  items: number;
}

/** One batch's result (`assembly/result/<first index>.json`). */
export interface AssemblyBatchResult {
  version: 1;
  runId: string;
  reports: DocumentReport[];
  /** New sync state per document (null: keep the previous entry); failed documents are absent. */
  states: Record<string, DocumentState | null>;
  /** Characters the job was sent for the documents that came back (a failed one counts none). */
  delivered: number;
  /** Evaluate with a baseline: documents scored by both jobs. */
  compared: { act: ScorePair; plain: ScorePair }[];
  /** Whether any document of the batch was written through the write-ahead log. */
  logged: boolean;
  /** Documents written that the next Plan would find up to date (core/workflow/settle.ts): committed to the index. */
  settled?: Record<string, SettledDocument>;
}
export type ScorePair = { bleu: number; chrf: number };

/** Prepare Batch: the items, one input per document to assemble, and the summary for the finisher. */
export function assemblyArtifacts(
  file: PlanFile,
  batch: {
    documents: { path: string; file: string; characters: number; job?: number | undefined }[];
    skipped?: { path: string; reason: string }[];
  },
): { items: AssemblyItem[]; inputs: AssemblyInput[]; summary: AssemblySummary } {
  const entry = new Map(batch.documents.map((d) => [d.path, d]));
  const skipped = new Map((batch.skipped ?? []).map((s) => [s.path, s.reason]));
  const planned = new Map(file.plan.report.map((r) => [r.path, r]));
  const items: AssemblyItem[] = [];
  const inputs: AssemblyInput[] = [];
  const reports: DocumentReport[] = [];
  const options = file.request.options;
  const run: AssemblyInput['run'] = {
    stateEtag: file.stateEtag,
    evaluate: options.mode === 'evaluate',
    ...(options.sentenceLevel !== undefined ? { sentenceLevel: options.sentenceLevel } : {}),
    ...(options.retranslateFuzzy ? { retranslateFuzzy: true } : {}),
  };
  for (const plan of file.plan.documents) {
    const snapshot = file.snapshots[plan.path];
    const report = planned.get(plan.path) ?? unchangedReport(plan.path);
    if (plan.status !== 'translate' || !snapshot) {
      reports.push(report);
      continue;
    }
    const e = entry.get(plan.path);
    const why = skipped.get(plan.path);
    items.push({ index: items.length, path: plan.path });
    inputs.push({
      path: plan.path,
      plan,
      snapshot,
      planned: report,
      ...(e ? { file: e.file, characters: e.characters, ...(e.job ? { job: e.job } : {}) } : {}),
      ...(why !== undefined ? { skipped: why } : {}),
      run,
    });
  }
  for (const o of file.plan.orphaned) reports.push({ ...unchangedReport(o.path), status: 'orphaned' });
  for (const f of file.failed ?? []) reports.push(failedDocumentReport(f));
  const summary: AssemblySummary = {
    version: 1,
    runId: file.runId,
    startedAt: file.startedAt,
    request: file.request,
    stateEtag: file.stateEtag,
    ...(file.recovered?.length ? { recovered: file.recovered } : {}),
    order: file.plan.documents.map((d) => d.path),
    reports,
    items: items.length,
  };
  return { items, inputs, summary };
}

/** The report line of a document the run leaves as it is. */
export function unchangedReport(path: string): DocumentReport {
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

/** Parses an artifact of this module read back from S3 (shape checked where it matters). */
export function parseAssemblyArtifact<T>(
  value: unknown,
  where: string,
  runId: string,
  fields: readonly string[],
): T {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object' || (v.version !== undefined && v.version !== 1)) {
    throw new InvalidInputError(`${where}: not an AMTS assembly artifact`);
  }
  if (v.runId !== undefined && v.runId !== runId) {
    throw new InvalidInputError(`${where}: of run ${String(v.runId)}, expected ${runId}`);
  }
  for (const f of fields) if (v[f] === undefined) throw new InvalidInputError(`${where}: no ${f}`);
  return v as T;
}

/** `s3://bucket/a/b/` → `a/b/` (the key prefix inside the workflow bucket). */
export function keyPrefixOf(uri: string, bucket: string): string {
  const head = `s3://${bucket}/`;
  if (!uri.startsWith(head)) throw new InvalidInputError(`${uri} is not in the workflow bucket ${bucket}`);
  return uri.slice(head.length);
}
