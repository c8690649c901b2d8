/**
 * Synchronisation (issue 7): translate only what changed, never lose a human edit, know the cost first.
 *
 * This file is the contract the workflow handlers call (Plan / PrepareBatch / AssembleAndScore) and the
 * CLI `amts estimate` uses. Everything here is pure: strings and data in, data out (no SDK, no clock).
 *
 * Order the handlers must follow (see README "Synchronisation"):
 *  1. Plan:      acquire the per-pair run lock (lambdas/aws/state-store), read the sync state (keep its
 *                ETag), read source/translated/reference documents, `planRun(...)` (the workflow passes
 *                `sentenceLevel: true` unless the run input says `"sentenceLevel": false`). `dryRun` stops here.
 *                Store the plan under `work/<pair>/<runId>/plan.json` (it holds texts: never put it in the
 *                state-machine payload), return only counts and keys.
 *  2. PrepareBatch: for each plan with `machineUnitIds.length > 0`, `batchHtml(plan, sourceMarkdown)` is the
 *                partial document to upload as job input (only the new or changed units).
 *  3. AssembleAndScore: per document `assembleDocument({ plan, sourceMarkdown, translatedMarkdown, previous,
 *                translatedHtml, jobId, runId })` with `translatedMarkdown` RE-READ from S3 now (a human may
 *                have edited it while the job ran: assembly then re-plans and keeps the edit), `previous` =
 *                the document's state entry read by Plan (kept in the plan file's snapshot, so a retried
 *                Task still has it after its own commit), `translatedHtml` = the job output (needed by
 *                sentence pieces);
 *                write `translated/<tgt>/<path>` when `markdown !== null`; THEN `commitRun(...)` and commit
 *                the state with `IfMatch: <etag>`
 *                (a conflict is a `ConcurrentRunError`: the documents written are correct, the next run
 *                sees them as current and their units as reused or post-edited, nothing is lost);
 *                release the lock last. A run that fails before the commit leaves the old state intact.
 */
export type { DocumentReport, DocumentStatus, UnitCounts } from '../report';
export { type AssembleInput, type AssembleResult, assembleDocument, batchHtml, commitRun } from './assemble';
export { type CostEstimate, estimateCost, TRANSLATE_PRICES_USD_PER_MILLION } from './cost';
export {
  classifyChange,
  type HumanReference,
  humanReferences,
  referenceUnitHash,
  weakAlignment,
} from './human';
export { type PlanDocumentInput, type PlanRunInput, planDocument, planRun } from './plan';
export {
  clearOf,
  DEFAULT_ORIGIN_PATTERN,
  isOriginPath,
  mergeReferencePairs,
  originFromDocuments,
  originPathOf,
  type ReferenceDocuments,
  referenceAlignment,
  referencePairsFromDocuments,
  staleReferenceUnits,
} from './reference';
export {
  emptySyncState,
  parseSyncState,
  SYNC_STATE_VERSION,
  SyncStateSchema,
  serializeSyncState,
} from './state';
export type * from './types';
