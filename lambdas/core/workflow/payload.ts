/**
 * The state data the workflow passes between Tasks (statemachine/workflow.asl.json). Only keys and
 * counts: documents, plans and manifests live in S3 under `work/<src>-<tgt>/<runId>/`.
 *
 * Each Task gets `Parameters` built from these pieces (see the ASL); the handler validates its event
 * with the matching `*Event` schema (unknown fields pass through, so adding a field is not breaking).
 */
import { z } from 'zod';
import { LANGUAGE_CODE } from '../language';

export const PairSchema = z.object({
  source: z.string().regex(LANGUAGE_CODE, 'expected a Translate language code such as "en"'),
  target: z.string().regex(LANGUAGE_CODE, 'expected a Translate language code such as "zh"'),
});

/** `$$.Execution.Name` and `$$.Execution.StartTime`, copied by the "Start Run" Pass state. */
export const ExecutionSchema = z.object({ name: z.string().min(1).max(80), startTime: z.string().min(1) });

/** Result of "Plan", then of "Finish Plan" (`$.plan`). */
export const PlanStateSchema = z.object({
  /**
   * Plan: `wait`: an earlier run holds the pair → Wait and plan again; `plan`: the documents to read are
   * the items at `itemsKey` ("Plan Documents"). Finish Plan: `done`: nothing to do / dry run; `continue`.
   */
  action: z.enum(['wait', 'plan', 'done', 'continue']),
  /** Lock-wait attempts so far (input of the next Plan). */
  attempt: z.number().int().min(0),
  waitSeconds: z.number().int().min(0),
  runId: z.string().min(1).optional(),
  /** `work/<pair>/<runId>/plan.json` */
  planKey: z.string().min(1).optional(),
  /** The Distributed Map "Plan Documents" reads its items here (`work/<pair>/<runId>/plan/items.json`). */
  itemsKey: z.string().min(1).optional(),
  /** Documents Plan gave the batches to read (the others' recorded plans still hold). */
  read: z.number().int().min(0).optional(),
  mode: z.enum(['sync', 'evaluate']).optional(),
  /** Evaluate mode: also run a baseline job without parallel data (plain Translate) and score it. */
  compareWithoutParallelData: z.boolean().optional(),
  documents: z.number().int().min(0).optional(),
  machineDocuments: z.number().int().min(0).optional(),
  charactersSent: z.number().int().min(0).optional(),
  /** Report written by a dry run or a no-op run. */
  reportKey: z.string().optional(),
});
export type PlanState = z.infer<typeof PlanStateSchema>;
export type ContinuePlan = PlanState & { runId: string; planKey: string };

/** `$.parallelData`: from "Build Parallel Data", then "Create Or Update…" and "Check Parallel Data". */
export const ParallelDataStateSchema = z.object({
  /** `update`: the CSV changed (or the resource is missing/failed); `unchanged`; `none`: no reference pairs. */
  action: z.enum(['update', 'unchanged', 'none']),
  /** Resource name; null when the pair has no parallel data. */
  name: z.string().nullable(),
  pairs: z.number().int().min(0),
  csvKey: z.string().nullable(),
  csvHash: z.string().nullable(),
  /** Whether this run created or updated the resource (report). */
  updated: z.boolean(),
  /** Set by Create Or Update: `create` or `update` (an update is watched through LatestUpdateAttemptStatus). */
  operation: z.enum(['create', 'update']).optional(),
  ready: z.boolean().optional(),
  status: z.string().optional(),
  attempt: z.number().int().min(0).optional(),
  waitSeconds: z.number().int().min(0).optional(),
});
export type ParallelDataState = z.infer<typeof ParallelDataStateSchema>;

/** `$.batch`: from "Prepare Batch". */
export const BatchStateSchema = z.object({
  needsJob: z.boolean(),
  documents: z.number().int().min(0),
  characters: z.number().int().min(0),
  /** `s3://…/work/<pair>/<runId>/input/` */
  inputUri: z.string().nullable(),
  outputUri: z.string().nullable(),
  manifestKey: z.string().nullable(),
  /** sha256 of the manifest (ClientToken). */
  batchHash: z.string().nullable(),
  /** The Distributed Map "Assemble Documents" reads its items here (`work/<pair>/<runId>/assembly/items.json`). */
  assemblyItemsKey: z.string().min(1).optional(),
  /**
   * The batch's jobs (Translate's per-job quotas, core/workflow/translation-job.ts): part `n` is the
   * input folder `<inputUri><n>/`. Absent in a batch from before the split: one job over `inputUri`.
   */
  jobs: z
    .array(
      z.object({
        /** sha256 of the part's input files (its ClientToken). */
        hash: z.string().min(1),
        documents: z.number().int().min(1),
        characters: z.number().int().min(0),
      }),
    )
    .optional(),
});
export type BatchState = z.infer<typeof BatchStateSchema>;

/** The baseline job of an evaluation (same input, no parallel data). */
export const BaselineJobSchema = z.object({
  jobId: z.string().min(1),
  status: z.string(),
  done: z.boolean(),
  partial: z.boolean().optional(),
  outputUri: z.string().optional(),
});
export type BaselineJob = z.infer<typeof BaselineJobSchema>;

/** The job of one part of a split batch (`$.job.jobs`). */
export const JobPartSchema = z.object({
  part: z.number().int().min(0),
  jobId: z.string().min(1),
  status: z.string(),
  done: z.boolean(),
  partial: z.boolean().optional(),
  outputUri: z.string().optional(),
  documentsWithErrors: z.number().int().min(0).optional(),
  inputDocuments: z.number().int().min(0).optional(),
  baseline: BaselineJobSchema.optional(),
});
export type JobPart = z.infer<typeof JobPartSchema>;

/** `$.job`: from "Start Translation Job" and "Check Translation Job". */
export const JobStateSchema = z.object({
  jobId: z.string().min(1),
  status: z.string(),
  done: z.boolean(),
  partial: z.boolean().optional(),
  attempt: z.number().int().min(0),
  waitSeconds: z.number().int().min(0),
  /** Real output prefix (`s3://…/output/<account>-TranslateText-<jobId>/`), known once the job is done. */
  outputUri: z.string().optional(),
  documentsWithErrors: z.number().int().min(0).optional(),
  inputDocuments: z.number().int().min(0).optional(),
  /** Evaluate with `compareWithoutParallelData`: the plain-Translate job over the same input. */
  baseline: BaselineJobSchema.optional(),
  /** A batch split over several jobs: how many, and each started one (the fields above sum them up). */
  parts: z.number().int().min(2).optional(),
  jobs: z.array(JobPartSchema).optional(),
  /** Jobs ended and parts wait: "Is Job Done?" goes back to Start Translation Job. */
  startMore: z.boolean().optional(),
});
export type JobState = z.infer<typeof JobStateSchema>;

const nullable = <T extends z.ZodTypeAny>(s: T) => s.nullable();

export const PlanEventSchema = z.object({
  input: z.unknown(),
  pair: PairSchema,
  execution: ExecutionSchema,
  attempt: z.number().int().min(0),
});

/** One item of "Plan Documents": a document to read and plan, and which of its texts exist. */
export const PlanItemSchema = z
  .object({
    index: z.number().int().min(0),
    path: z.string().min(1),
    /** Read `translated/<tgt>/<path>` (false: absent, or ignored by an evaluation). */
    translated: z.boolean(),
    /** Read `reference/<tgt>/<path>`. */
    reference: z.boolean(),
    /** The origin file beside the reference (`<name>_origin.md`, relative to `reference/<tgt>/`), or null. */
    origin: z.string().min(1).nullable(),
  })
  .strict();
export type PlanItem = z.infer<typeof PlanItemSchema>;

/** "Plan Batch" (a child of the Distributed Map "Plan Documents"): `{ Items, BatchInput }` flattened. */
export const PlanBatchEventSchema = z.object({
  items: z.array(PlanItemSchema).min(1),
  pair: PairSchema,
  plan: PlanStateSchema.extend({ action: z.literal('plan'), runId: z.string().min(1) }),
});

/** "Finish Plan": Plan's result (the batches' results are found by their keys). */
export const FinishPlanEventSchema = z.object({
  pair: PairSchema,
  plan: PlanStateSchema.extend({ action: z.literal('plan'), runId: z.string().min(1) }),
});

/** Result of one "Plan Batch" (kept small: the Map's output is the array of these). */
export interface PlanBatchResultState {
  resultKey: string;
  documents: number;
  failed: number;
}

const ContinuePlanSchema = PlanStateSchema.extend({
  action: z.literal('continue'),
  runId: z.string().min(1),
  planKey: z.string().min(1),
});

export const BuildParallelDataEventSchema = z.object({ pair: PairSchema, plan: ContinuePlanSchema });
export const CreateOrUpdateParallelDataEventSchema = z.object({
  pair: PairSchema,
  plan: ContinuePlanSchema,
  parallelData: ParallelDataStateSchema,
});
export const CheckParallelDataEventSchema = z.object({
  pair: PairSchema,
  parallelData: ParallelDataStateSchema,
});
export const PrepareBatchEventSchema = z.object({
  pair: PairSchema,
  plan: ContinuePlanSchema,
  parallelData: ParallelDataStateSchema,
});
export const StartTranslationJobEventSchema = z.object({
  pair: PairSchema,
  plan: ContinuePlanSchema,
  parallelData: ParallelDataStateSchema,
  batch: BatchStateSchema,
  /** The jobs started so far (a split batch comes back for its next parts); null the first time. */
  job: JobStateSchema.nullable().optional(),
});
export const CheckTranslationJobEventSchema = z.object({ pair: PairSchema, job: JobStateSchema });
export const AssembleAndScoreEventSchema = z.object({
  pair: PairSchema,
  execution: ExecutionSchema,
  plan: ContinuePlanSchema,
  parallelData: ParallelDataStateSchema,
  batch: BatchStateSchema,
  job: nullable(JobStateSchema),
});
/** Record Failure gets whatever exists when the error happened; everything but pair/execution/error may be null. */
export const RecordFailureEventSchema = z.object({
  pair: PairSchema,
  execution: ExecutionSchema,
  plan: z
    .object({
      runId: z.string().optional(),
      planKey: z.string().optional(),
    })
    .passthrough(),
  parallelData: z.unknown(),
  batch: z.unknown(),
  job: z.unknown(),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).passthrough(),
});

/** Result of "Assemble And Score" (`$.result`). */
export interface AssembleResultState {
  status: 'SUCCEEDED' | 'PARTIAL' | 'FAILED';
  reportKey: string;
  documents: number;
  translated: number;
  failed: number;
  charactersSent: number;
}

/** "Assemble Batch" (a child of the Distributed Map "Assemble Documents"): `{ Items, BatchInput }` flattened. */
export const AssembleBatchEventSchema = AssembleAndScoreEventSchema.extend({
  items: z.array(z.object({ index: z.number().int().min(0), path: z.string().min(1) })).min(1),
});

/** Result of one "Assemble Batch" (kept small: the Map's output is the array of these). */
export interface AssembleBatchResultState {
  resultKey: string;
  documents: number;
  failed: number;
}
