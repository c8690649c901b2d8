/**
 * `work/<src>-<tgt>/<runId>/plan.json` (docs/architecture.md "S3 layout"): written by "Finish Plan", read
 * by Build Parallel Data and Prepare Batch. Every read parses it with {@link PlanFileSchema} (all of it,
 * down to each unit's decision): a plan file of another version, or damaged, stops the step naming the
 * field. The schemas' output types are the plan's own types (core/sync/types.ts), so they cannot drift.
 */
import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { DocumentReportSchema } from '../report';
import { DocumentStateSchema, ReviewFlagSchema, UnitKindSchema, UnitOriginSchema } from '../sync/state';
import type {
  DocumentPlan,
  DocumentState,
  OrphanedDocument,
  PartialPiece,
  RunPlan,
  UnitDecision,
} from '../sync/types';
import { type DocumentFailure, DocumentFailureSchema } from './chapter-guard';
import { type ExecutionRequest, ExecutionRequestSchema } from './input';
import type { LanguagePair } from './names';
import { PairSchema } from './payload';

const count = z.number().int().min(0);
type Schema<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

const PartialPieceSchema: Schema<PartialPiece> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reuse'), markdown: z.string() }).strict(),
  z
    .object({ kind: z.literal('send'), id: z.string().min(1), markdown: z.string(), characters: count })
    .strict(),
]);

export const UnitDecisionSchema: Schema<UnitDecision> = z
  .object({
    unitId: z.string().min(1),
    sourceHash: z.string().min(1),
    sourceText: z.string(),
    kind: UnitKindSchema,
    action: z.enum(['reuse', 'reference', 'machine']),
    targetMarkdown: z.string().optional(),
    origin: UnitOriginSchema.optional(),
    postEdit: z.boolean().optional(),
    jobId: z.string().min(1).optional(),
    previousIndex: count.optional(),
    characters: count,
    partial: z
      .object({ separator: z.string(), pieces: z.array(PartialPieceSchema) })
      .strict()
      .optional(),
    start: count,
    end: count,
    sourceMarkdown: z.string().optional(),
    line: z.number().int().min(1).optional(),
    reference: z.string().optional(),
    referenceSource: z.string().optional(),
    review: ReviewFlagSchema.optional(),
  })
  .strict();

const UnitCountsSchema = z
  .object({
    total: count,
    reused: count,
    fromReference: count,
    postEditsKept: count,
    machineTranslated: count,
    stale: count.optional(),
    fuzzy: count.optional(),
    conflicts: count.optional(),
  })
  .strict();

export const DocumentPlanSchema: Schema<DocumentPlan> = z
  .object({
    path: z.string().min(1),
    status: z.enum(['translate', 'unchanged', 'conflict']),
    units: z.array(UnitDecisionSchema),
    counts: UnitCountsSchema,
    machineUnitIds: z.array(z.string().min(1)),
    charactersSent: count,
    warnings: z.array(z.string()),
    error: z.string().nullable(),
    sourceDocumentHash: z.string(),
    gapOverrides: z.array(z.object({ index: count, markdown: z.string() }).strict()),
    translatedDocumentHash: z.string().nullable(),
    forced: z.boolean().optional(),
    referenceUnits: z.array(z.string().min(1)).optional(),
  })
  .strict();

const OrphanedDocumentSchema: Schema<OrphanedDocument> = z
  .object({ path: z.string().min(1), foundIn: z.array(z.enum(['state', 'translated'])).min(1) })
  .strict();

const CostEstimateSchema = z
  .object({
    characters: count,
    act: z.boolean(),
    usdPerMillionCharacters: z.number().min(0),
    usd: z.number().min(0),
  })
  .strict();

export const RunPlanSchema: Schema<RunPlan> = z
  .object({
    pair: z.string().min(1),
    documents: z.array(DocumentPlanSchema),
    orphaned: z.array(OrphanedDocumentSchema),
    charactersSent: count,
    machineDocuments: z.array(z.string().min(1)),
    needsJob: z.boolean(),
    cost: z.object({ standard: CostEstimateSchema, act: CostEstimateSchema }).strict(),
    report: z.array(DocumentReportSchema),
  })
  .strict();

/** The documents a run works on, as they were when it planned (later uploads wait for the next run). */
export interface DocumentSnapshot {
  source: string;
  /** `translated/<tgt>/<path>` at planning time, `null` if absent. */
  translated: string | null;
  /** `reference/<tgt>/<path>`, `null` if absent (no score). */
  reference: string | null;
  /**
   * The document's sync-state entry the plan was made from (absent: first run, or a forced plan). Assembly
   * re-plans against it when a human edited `translated/` while the job ran.
   */
  previous?: DocumentState;
}

export const DocumentSnapshotSchema: Schema<DocumentSnapshot> = z
  .object({
    source: z.string(),
    translated: z.string().nullable(),
    reference: z.string().nullable(),
    previous: DocumentStateSchema.optional(),
  })
  .strict();

/** `work/<src>-<tgt>/<runId>/plan.json`. */
export interface PlanFile {
  version: 1;
  runId: string;
  pair: LanguagePair;
  startedAt: string;
  request: ExecutionRequest;
  /** ETag of the sync state the plan was made from (`null`: no state yet); the commit is conditional on it. */
  stateEtag: string | null;
  plan: RunPlan;
  /** Snapshots of every document with status `translate`. */
  snapshots: Record<string, DocumentSnapshot>;
  /** Documents that could not be read or planned (encoding, size, nesting…): reported failed, not sent. */
  failed?: DocumentFailure[];
  /**
   * Per document, English unit texts whose human reference was written for another English: Build
   * Parallel Data leaves their pairs out (never new English with a stale human text). Absent in older plans.
   */
  staleReferenceUnits?: Record<string, string[]>;
  /** What Plan did to finish an earlier run's interrupted assembly (run-level report warnings). */
  recovered?: string[];
}

export const PlanFileSchema: Schema<PlanFile> = z
  .object({
    version: z.literal(1),
    runId: z.string().min(1),
    pair: PairSchema,
    startedAt: z.string().min(1),
    request: ExecutionRequestSchema,
    stateEtag: z.string().nullable(),
    plan: RunPlanSchema,
    snapshots: z.record(DocumentSnapshotSchema),
    failed: z.array(DocumentFailureSchema).optional(),
    staleReferenceUnits: z.record(z.array(z.string())).optional(),
    recovered: z.array(z.string()).optional(),
  })
  .strict();

/** Parse a plan file read back from S3; throws InvalidInputError (naming the field) when it is not one of this run's. */
export function parsePlanFile(value: unknown, where: string, runId: string): PlanFile {
  const parsed = PlanFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new InvalidInputError(
      `${where}: not an AMTS plan file (version 1)${at}: ${issue?.message ?? 'invalid'}`,
    );
  }
  if (parsed.data.runId !== runId) {
    throw new InvalidInputError(`${where}: plan of run ${parsed.data.runId}, expected ${runId}`);
  }
  return parsed.data;
}
