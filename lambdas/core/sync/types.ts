/**
 * The data of synchronisation: the sync state kept per pair, and the plan of a run. Types only, so every
 * module of `core/sync` can import them without importing each other (the barrel is `./api`).
 */
import type { MergeProblem } from '../errors';
import type { UnitKind } from '../markdown/types';
import type { DocumentReport, UnitCounts } from '../report';
import type { CostEstimate } from './cost';
import type { ReviewFlag, UnitOrigin } from './state';

// The sync state's types are derived from its zod schemas (./state.ts), so the two cannot drift.
export type { DocumentState, ReviewFlag, SyncState, UnitOrigin, UnitState } from './state';

/** One sentence of a unit sent partially: kept from the current translation, or sent to Translate. */
export type PartialPiece =
  | { kind: 'reuse'; markdown: string }
  | { kind: 'send'; id: string; markdown: string; characters: number };

/** What a run does with one unit of the current English source. */
export type UnitAction =
  /** Unchanged English and a target exists: keep the target as it stands now in `translated/`. */
  | 'reuse'
  /** Exact English match in the human reference alignment: use the human translation. */
  | 'reference'
  /** Needs machine translation: goes into the batch input. */
  | 'machine';

/** The decision for one unit of the current English source. */
export interface UnitDecision {
  /** `Segment.id` in the current English source (`u12`). */
  unitId: string;
  sourceHash: string;
  sourceText: string;
  kind: UnitKind;
  action: UnitAction;
  /** Target Markdown for `reuse` and `reference`; absent for `machine`. */
  targetMarkdown?: string;
  /** Origin the unit will have once written (`machine` units get theirs on assembly). */
  origin?: UnitOrigin;
  /** `reuse` of a unit a human edited since AMTS wrote it. */
  postEdit?: boolean;
  jobId?: string;
  /** Index of the matched unit in the previous document state (reuse only). */
  previousIndex?: number;
  /** Characters of this unit that would be sent to Translate (machine only, else 0). */
  characters: number;
  /**
   * A machine unit whose English changed only in some sentences: only those are sent (each a whole
   * sentence, so Translate sees complete sentences), the others keep their current translation. The target
   * is the pieces in order joined by `joinSentences` (a space unless the left sentence ends in a CJK
   * character or full-width punctuation); `separator` is the language's default, kept for readers of old plans.
   */
  partial?: { separator: string; pieces: PartialPiece[] };
  /** UTF-16 offsets of the unit in the English source (without BOM): where assembly splices the target. */
  start: number;
  end: number;
  /** The English unit Markdown and its 1-based line (for the review list). */
  sourceMarkdown?: string;
  line?: number;
  /** The human reference paired with the unit (recorded in the state; see `UnitState.reference`). */
  reference?: string;
  /** The English that `reference` was written for, when not the current one. */
  referenceSource?: string;
  /** Why a translator should look at the unit (stored with it until a human edits it). */
  review?: ReviewFlag;
}

/** The plan for one document: every unit's decision, counts and what would be sent. */
export interface DocumentPlan {
  path: string;
  /**
   * `translate`: the translated file must be (re)written; `unchanged`: nothing to write;
   * `conflict`: the translated file was changed by hand in a way that cannot be matched unit by unit and
   * the English changed: the file is NOT rewritten (reported as `failed` with an explanation).
   */
  status: 'translate' | 'unchanged' | 'conflict';
  units: UnitDecision[];
  counts: UnitCounts;
  /** Units that go into the batch input (subset of `units`, `action: 'machine'`). */
  machineUnitIds: string[];
  /** Sum of `characters` over machine units. */
  charactersSent: number;
  warnings: string[];
  /** Set for `conflict`: why the document is left alone. */
  error: string | null;
  /** SHA-256 of the English document planned (assembly checks it is given the same document). */
  sourceDocumentHash: string;
  /**
   * Stretches between units (index `i` = before unit `i`; `units.length` = after the last) where the
   * translated file keeps a human edit (e.g. translated code comments) instead of the English text.
   */
  gapOverrides: { index: number; markdown: string }[];
  /** SHA-256 of the translated file as planned (`null`: absent): assembly re-plans if a human edited it meanwhile. */
  translatedDocumentHash: string | null;
  /** Planned with `force`: the translated file is rewritten whatever it holds (no re-plan at assembly). */
  forced?: boolean;
  /** `referenceUnitHash` of every unit of the document's reference (goes into the state). */
  referenceUnits?: string[];
}

/** A document that has a translation or state but no English source any more (renamed or deleted). */
export interface OrphanedDocument {
  path: string;
  /** Where it was found: in the sync state, in `translated/`, or both. */
  foundIn: ('state' | 'translated')[];
}

/** The plan of a whole run. */
export interface RunPlan {
  pair: string;
  documents: DocumentPlan[];
  /** Kept (never deleted), reported with status `orphaned`. */
  orphaned: OrphanedDocument[];
  charactersSent: number;
  /** Paths of documents with at least one machine unit. */
  machineDocuments: string[];
  /** False when no unit needs machine translation: no job is started. */
  needsJob: boolean;
  cost: { standard: CostEstimate; act: CostEstimate };
  /** The report lines a dry run (or the start of a real run) would show. */
  report: DocumentReport[];
}

/** A translated unit read back from the job output (`readTranslatedUnits` of the codec). */
export interface MachineUnit {
  markdown: string;
  problems: readonly MergeProblem[];
}
