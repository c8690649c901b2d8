/**
 * Planning: for every unit of the current English source, reuse what is there, take the human reference,
 * or send it to machine translation — and never plan a rewrite that would drop a human edit.
 */
import { InvalidInputError } from '../errors';
import { sha256 } from '../hash';
import type { Segment } from '../markdown/types';
import type { UnitCounts } from '../report';
import { billedCharacters, estimateCost } from './cost';
import { gapOverridesOf, gapsOf } from './gaps';
import { type HumanReference, humanReferences } from './human';
import { lcsPairs, matchSequences, normalizeForCompare, predecessors } from './match';
import { emptyUnitCounts, reportFromPlan } from './report';
import { safeReference } from './safe-reference';
import { joinSentences } from './sentences';
import { sentencePlan, staleDecision } from './stale';
import type {
  DocumentPlan,
  DocumentState,
  OrphanedDocument,
  RunPlan,
  SyncState,
  UnitDecision,
  UnitOrigin,
  UnitState,
} from './types';

/** Input of {@link planDocument}: the codec segments of the current English source and translated file. */
/**
 * Where a replaced human text survives, per environment: on AWS the bucket is versioned
 * (infra/amts-stack.ts); the local bucket keeps no versions, so `amts run --local` copies every
 * translated/ file it replaces into its data folder and names the folder in its summary.
 */
export const PREVIOUS_VERSION_KEPT =
  "on AWS in the bucket's version history; by `amts run --local` under <data folder>/history/<run id>/";

export interface PlanDocumentInput {
  /** Path relative to `source/<src>/`. */
  path: string;
  /** The current English Markdown. */
  sourceMarkdown: string;
  /** `extractSegments(sourceMarkdown)`. */
  source: readonly Segment[];
  /** The current `translated/<tgt>/<path>`, `null` if absent. */
  translatedMarkdown: string | null;
  /** `extractSegments(translatedMarkdown)`, `null` if absent. */
  translated: readonly Segment[] | null;
  /** English unit text (`Segment.text`) → human translation (target unit Markdown) from the reference alignment. */
  referencePairs?: ReadonlyMap<string, string>;
  /** What was last written for this document; absent on the first run. */
  previous?: DocumentState;
  /** Send only the changed sentences of an edited unit when its previous translation splits the same way. */
  sentenceLevel?: boolean;
  /** Target language code (`zh`): how translated sentences are joined. */
  targetLanguage?: string;
  /**
   * The English the reference was translated from (d2l-zh's `<name>_origin.md`): its units and their
   * pairs with the reference units (`referencePairsFromDocuments(origin, reference)`). It says which
   * reference units are stale even on a first run.
   */
  origin?: { source: readonly Segment[]; pairs: ReadonlyMap<string, string> };
  /** English unit text → why its pairing with the reference is weak (flagged for review when first used). */
  referenceWeak?: ReadonlyMap<string, string>;
  /** Re-translate units whose English changed only slightly instead of keeping their human text (fuzzy). */
  retranslateFuzzy?: boolean;
  /** `referenceUnitHash` of every unit of the document's reference (recorded in the state for the next run). */
  referenceUnits?: readonly string[];
  /**
   * The human reference of each English unit, when already known (a re-plan at assembly reuses the plan's):
   * replaces what `referencePairs`, `origin` and `referenceWeak` would give.
   */
  humans?: ReadonlyArray<HumanReference | undefined>;
}

export { gapHash, gapsOf } from './gaps';

function excerpt(text: string): string {
  const t = normalizeForCompare(text);
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

function where(file: string, seg: Segment): string {
  return `${file}:${seg.start.line}:${seg.start.column}`;
}

/** Where every previously written unit stands in the current translated file. */
interface Location {
  /** Per previous unit: index of its unit in the translated file, `undefined` when it cannot be found. */
  trIndex: Array<number | undefined>;
  /** Translated units that match no previous unit (a human added or restructured text). */
  unplaced: number[];
}

/**
 * Anchors by identical text (LCS), then pairs the units between two anchors by position when both sides
 * have the same number of units of the same kinds (those are edits in place); anything else is unmatched.
 */
function locate(previous: readonly UnitState[], translated: readonly Segment[]): Location {
  const anchors = lcsPairs(
    previous.map((u) => normalizeForCompare(u.targetMarkdown)),
    translated.map((s) => normalizeForCompare(s.markdown)),
  );
  const trIndex: Array<number | undefined> = new Array(previous.length).fill(undefined);
  const unplaced: number[] = [];
  let p = 0;
  let t = 0;
  const hunk = (pEnd: number, tEnd: number) => {
    const sameShape =
      pEnd - p === tEnd - t &&
      previous.slice(p, pEnd).every((u, k) => u.kind === undefined || u.kind === translated[t + k]?.kind);
    if (sameShape) for (let k = 0; k < pEnd - p; k++) trIndex[p + k] = t + k;
    else for (let k = t; k < tEnd; k++) unplaced.push(k);
  };
  for (const [i, j] of anchors) {
    hunk(i, j);
    trIndex[i] = j;
    p = i + 1;
    t = j + 1;
  }
  hunk(previous.length, translated.length);
  return { trIndex, unplaced };
}

/** Step 1: where every previous unit stands in the current translated file (a human may have edited it). */
interface Placement {
  trIndex: Array<number | undefined>;
  unplaced: number[];
  /** No sync state, and the translated file corresponds unit by unit: its units are kept as they are. */
  adopted: boolean;
  /** A previous unit's target as it stands now (its segment when the translated file exists). */
  currentOf: (j: number) => { markdown: string; seg?: Segment } | undefined;
}

function placePrevious(input: PlanDocumentInput, warnings: string[], conflicts: string[]): Placement {
  const { path, source, previous, translated } = input;
  const prevUnits = previous?.units ?? [];
  let trIndex: Array<number | undefined> = [];
  let unplaced: number[] = [];
  let adopted = false;
  if (previous && translated) {
    ({ trIndex, unplaced } = locate(prevUnits, translated));
  } else if (previous && !translated) {
    warnings.push(
      `translated/${path} is missing: rebuilt from the sync state (last written by run ${previous.runId})`,
    );
  } else if (!previous && translated) {
    adopted = translated.length === source.length && translated.every((s, k) => s.kind === source[k]?.kind);
    if (adopted) {
      warnings.push(
        `translated/${path} has no sync state: its ${translated.length} units were adopted as they are (by position)`,
      );
    } else {
      conflicts.push(
        `translated/${path} exists but has no sync state, and its ${translated.length} units do not correspond to the ${source.length} English units`,
      );
    }
  }
  const currentOf = (j: number): { markdown: string; seg?: Segment } | undefined => {
    const unit = prevUnits[j];
    if (!unit) return undefined;
    if (!translated) return { markdown: unit.targetMarkdown };
    const k = trIndex[j];
    const seg = k === undefined ? undefined : translated[k];
    return seg ? { markdown: seg.markdown, seg } : undefined;
  };
  return { trIndex, unplaced, adopted, currentOf };
}

/** Step 2: unit identity across English versions (by source hash, order-aware, then moves) and the human references. */
interface Identity {
  /** Per English unit, the previous unit it is. */
  prevIndex: Array<number | undefined>;
  /** New unit → the old unit it replaces in place (an edited paragraph, a renamed heading). */
  replaces: Map<number, number>;
  humans: ReadonlyArray<HumanReference | undefined>;
}

function unitIdentity(input: PlanDocumentInput): Identity {
  const { source, previous } = input;
  const prevUnits = previous?.units ?? [];
  const references = input.referencePairs ?? new Map<string, string>();
  const prevIndex = previous
    ? matchSequences(
        prevUnits.map((u) => u.sourceHash),
        source.map((s) => s.hash),
      )
    : source.map(() => undefined);
  /** New unit → the old unit it replaces in place (an edited paragraph, a renamed heading). */
  const replaces = new Map(previous ? predecessors(prevIndex, prevUnits.length) : []);
  const humans =
    input.humans ??
    humanReferences({
      source,
      referencePairs: references,
      ...(input.origin ? { origin: input.origin } : {}),
      ...(previous ? { previous: prevUnits } : {}),
      ...(input.referenceWeak ? { weak: input.referenceWeak } : {}),
      ...(previous?.referenceUnits ? { previousReferenceUnits: previous.referenceUnits } : {}),
    });
  return { prevIndex, replaces, humans };
}

/** What step 3 decides each unit with. */
interface UnitContext {
  input: PlanDocumentInput;
  placement: Placement;
  identity: Identity;
  /** How translated sentences are joined in the target language. */
  separator: string;
  warnings: string[];
  conflicts: string[];
  /** Previous units (partly) kept by a stale or sentence-level decision: their edits are not lost. */
  partialFrom: Set<number>;
}

/** Step 3: the decision for one English unit — reuse, the human reference, or machine translation. */
function decideUnit(ctx: UnitContext, seg: Segment, i: number): UnitDecision {
  const { input, separator, warnings, conflicts, partialFrom } = ctx;
  const { path, translated } = input;
  const prevUnits = input.previous?.units ?? [];
  const { adopted, currentOf } = ctx.placement;
  const { prevIndex, replaces, humans } = ctx.identity;
  const base = {
    unitId: seg.id,
    sourceHash: seg.hash,
    sourceText: seg.text,
    sourceMarkdown: seg.markdown,
    line: seg.start.line,
    kind: seg.kind,
    start: seg.start.offset,
    end: seg.end.offset,
    characters: 0,
  };
  if (adopted && translated) {
    const t = translated[i] as Segment;
    return { ...base, action: 'reuse', targetMarkdown: t.markdown, origin: 'post-edit', postEdit: false };
  }
  const human = humans[i];
  const usable = human !== undefined && safeReference(human.markdown, seg);
  if (human?.current && !usable) {
    warnings.push(
      `unit ${seg.id} at ${where(`source/${path}`, seg)}: the reference translation lacks protected content or links of the English; machine-translated instead`,
    );
  }
  /** What the state records about the unit's reference (the English each human text was written for). */
  const paired: Pick<UnitDecision, 'reference' | 'referenceSource'> =
    human && usable && (human.current || human.previousSource !== undefined)
      ? {
          reference: human.markdown,
          ...(human.previousSource !== undefined ? { referenceSource: human.previousSource } : {}),
        }
      : {};
  const j = prevIndex[i];
  const prev = j === undefined ? undefined : prevUnits[j];
  if (j !== undefined && prev) {
    const current = currentOf(j);
    if (!current) {
      conflicts.push(
        `unit ${seg.id} (English unchanged, "${excerpt(prev.targetMarkdown)}") cannot be found in translated/${path}`,
      );
      return {
        ...base,
        action: 'reuse',
        targetMarkdown: prev.targetMarkdown,
        origin: prev.origin,
        previousIndex: j,
        ...carried(prev),
      } satisfies UnitDecision;
    }
    const postEdit = normalizeForCompare(current.markdown) !== normalizeForCompare(prev.targetMarkdown);
    // A new or changed human reference written for this English replaces what AMTS wrote; a human
    // post-edit of the same unit is a conflict: the post-edit stays, both texts go to review.
    const newReference =
      human?.current &&
      usable &&
      normalizeForCompare(human.markdown) !== normalizeForCompare(prev.reference ?? '') &&
      normalizeForCompare(human.markdown) !== normalizeForCompare(prev.targetMarkdown);
    if (human && newReference) {
      if (postEdit && normalizeForCompare(current.markdown) !== normalizeForCompare(human.markdown)) {
        return {
          ...base,
          action: 'reuse',
          targetMarkdown: current.markdown,
          origin: 'post-edit',
          postEdit: true,
          previousIndex: j,
          ...paired,
          review: {
            kind: 'conflict',
            reason:
              'the human reference changed and the unit was also post-edited in translated/: the post-edit is kept; compare both and keep one',
            reference: human.markdown,
            postEdit: current.markdown,
          },
        };
      }
      return {
        ...base,
        action: 'reference',
        targetMarkdown: human.markdown,
        origin: 'reference',
        previousIndex: j,
        ...paired,
      };
    }
    const staleInUse =
      human !== undefined &&
      !human.current &&
      !postEdit &&
      prev.review === undefined &&
      prev.origin === 'reference' &&
      normalizeForCompare(prev.targetMarkdown) === normalizeForCompare(human.markdown);
    if ((prev.origin !== 'source-fallback' || postEdit) && !staleInUse) {
      const decision: UnitDecision = {
        ...base,
        action: 'reuse',
        targetMarkdown: current.markdown,
        origin: postEdit ? 'post-edit' : prev.origin,
        previousIndex: j,
        ...(Object.keys(paired).length > 0 ? paired : carried(prev)),
      };
      if (!postEdit && prev.review) decision.review = prev.review;
      if (postEdit) decision.postEdit = true;
      if (!postEdit && prev.jobId) decision.jobId = prev.jobId;
      return decision;
    }
  }
  if (human?.current && usable) {
    const decision: UnitDecision = {
      ...base,
      action: 'reference',
      targetMarkdown: human.markdown,
      origin: 'reference',
      ...paired,
    };
    if (human.weak && !human.known) {
      decision.review = {
        kind: 'weak-alignment',
        reason: `first pairing with the reference: ${human.weak}`,
      };
    }
    return decision;
  }
  // The English changed after a human text was written for it: keep what still fits, send what changed.
  const k = j ?? replaces.get(i);
  const old = k === undefined ? undefined : prevUnits[k];
  const oldCurrent = k === undefined ? undefined : currentOf(k);
  const oldEdited =
    old !== undefined &&
    oldCurrent !== undefined &&
    normalizeForCompare(oldCurrent.markdown) !== normalizeForCompare(old.targetMarkdown);
  let stale: { english: string; text: string; origin: UnitOrigin } | undefined;
  if (old && oldCurrent && (old.origin === 'post-edit' || oldEdited)) {
    stale = { english: old.sourceText, text: oldCurrent.markdown, origin: 'post-edit' };
  } else if (human && !human.current && usable && human.previousSource !== undefined) {
    stale = { english: human.previousSource, text: human.markdown, origin: 'reference' };
  } else if (old && oldCurrent && old.origin === 'reference') {
    stale = {
      english: old.referenceSource ?? old.sourceText,
      text: oldCurrent.markdown,
      origin: 'reference',
    };
  }
  if (stale && safeReference(stale.text, seg)) {
    const decision = staleDecision(
      { ...base, ...paired, ...(k !== undefined ? { previousIndex: k } : {}) },
      seg,
      stale,
      {
        sentenceLevel: input.sentenceLevel === true,
        retranslateFuzzy: input.retranslateFuzzy === true,
        separator,
      },
    );
    // The human text is (partly) kept: not replaced, no warning.
    if (k !== undefined && (decision.action === 'reuse' || decision.partial)) partialFrom.add(k);
    return decision;
  }
  const machine: UnitDecision = {
    ...base,
    action: 'machine',
    characters: billedCharacters(seg.text),
    ...paired,
  };
  if (stale) {
    machine.review = {
      kind: 'stale',
      reason:
        'the English changed after the human translation was written, and the human text lacks protected content of the new English: machine-translated',
      previousSource: stale.english,
      previousHuman: stale.text,
    };
    return machine;
  }
  // Edited units translated by machine: send only the changed sentences.
  if (
    input.sentenceLevel &&
    k !== undefined &&
    j === undefined &&
    old &&
    oldCurrent &&
    old.origin !== 'source-fallback'
  ) {
    const partial = sentencePlan(seg, old.sourceText, old.sentenceHashes, oldCurrent.markdown, {
      human: false,
      retranslateFuzzy: true,
    });
    if (partial) {
      partialFrom.add(k);
      if (partial.sent === 0) {
        return {
          ...machine,
          action: 'reuse',
          targetMarkdown: joinSentences(partial.pieces.map((p) => p.markdown)),
          origin: old.origin,
          previousIndex: k,
          characters: 0,
        };
      }
      return {
        ...machine,
        partial: { separator, pieces: partial.pieces },
        characters: partial.sent,
        previousIndex: k,
      };
    }
  }
  return machine;
}

/** After step 3: human edits whose English changed or disappeared are replaced (say so); unplaced units conflict. */
function replacedEdits(ctx: UnitContext): void {
  const { input, warnings, conflicts, partialFrom } = ctx;
  const { path, translated } = input;
  const prevUnits = input.previous?.units ?? [];
  const { unplaced, currentOf } = ctx.placement;
  const { prevIndex } = ctx.identity;
  const mapped = new Set(prevIndex.filter((j): j is number => j !== undefined));
  for (const j of partialFrom) mapped.add(j);
  prevUnits.forEach((unit, j) => {
    if (mapped.has(j)) return;
    const current = currentOf(j);
    const edited =
      current && normalizeForCompare(current.markdown) !== normalizeForCompare(unit.targetMarkdown);
    if (unit.origin === 'post-edit' || edited) {
      const at = current?.seg ? ` (translated/${path}:${current.seg.start.line})` : '';
      warnings.push(
        `a human post-edit${at} was replaced because its English changed or was removed: "${excerpt(current?.markdown ?? unit.targetMarkdown)}" (the previous version is kept: ${PREVIOUS_VERSION_KEPT})`,
      );
    }
  });
  for (const k of unplaced) {
    const seg = translated?.[k];
    if (seg) {
      conflicts.push(
        `${where(`translated/${path}`, seg)}: "${excerpt(seg.markdown)}" matches no unit AMTS wrote (added or restructured by hand)`,
      );
    }
  }
}

/** Decides, unit by unit, what a run does with one document. */
export function planDocument(input: PlanDocumentInput): DocumentPlan {
  const { path, source, previous } = input;
  if ((input.translated === null) !== (input.translatedMarkdown === null)) {
    throw new InvalidInputError(
      `${path}: translated segments and translated Markdown must both be given or both be null`,
    );
  }
  const sourceGaps = gapsOf(input.sourceMarkdown, source, `source/${path}`);
  const translated = input.translated;
  const translatedGaps =
    translated && input.translatedMarkdown !== null
      ? gapsOf(input.translatedMarkdown, translated, `translated/${path}`)
      : null;
  const sourceDocumentHash = sha256(input.sourceMarkdown);
  const translatedDocumentHash = input.translatedMarkdown === null ? null : sha256(input.translatedMarkdown);
  const warnings: string[] = [];
  const conflicts: string[] = [];
  const prevUnits = previous?.units ?? [];
  const placement = placePrevious(input, warnings, conflicts);
  const identity = unitIdentity(input);
  const { adopted, trIndex } = placement;
  const { prevIndex } = identity;
  const ctx: UnitContext = {
    input,
    placement,
    identity,
    separator: /^(zh|ja)\b/i.test(input.targetLanguage ?? '') ? '' : ' ',
    warnings,
    conflicts,
    partialFrom: new Set<number>(),
  };
  const units = source.map((seg, i) => decideUnit(ctx, seg, i));
  replacedEdits(ctx);
  // 4. Stretches between units (code, math, markup): keep human edits made there, report clashes.
  const gapOverrides = gapOverridesOf(
    {
      path,
      source,
      sourceGaps,
      translatedGaps,
      translatedUnits: translated?.length ?? 0,
      adopted,
      previous,
      trIndex,
      prevIndex,
    },
    conflicts,
  );

  // 5. Does the file need writing, and can it be written without losing a human edit?
  const identicalOrder =
    previous !== undefined &&
    prevIndex.length === prevUnits.length &&
    prevIndex.every((j, i) => j === i) &&
    units.every((u) => u.action === 'reuse');
  const rewrite =
    !previous ||
    !translated ||
    previous.sourceDocumentHash !== sourceDocumentHash ||
    !identicalOrder ||
    adopted;
  const counts = countUnits(units);
  if (conflicts.length > 0 && rewrite) {
    return {
      path,
      status: 'conflict',
      units,
      counts: { ...counts, machineTranslated: 0 },
      machineUnitIds: [],
      charactersSent: 0,
      warnings,
      error: `not rewritten, to keep human edits: ${conflicts.join('; ')}. Move the edits into the matching paragraphs (or restore the file from the bucket's version history) and run again.`,
      sourceDocumentHash,
      gapOverrides,
      translatedDocumentHash,
      ...(input.referenceUnits ? { referenceUnits: [...input.referenceUnits] } : {}),
    };
  }
  warnings.push(...conflicts.map((c) => `${c} (kept: the document needs no rewrite)`));
  const machine = units.filter((u) => u.action === 'machine');
  return {
    path,
    status: rewrite ? 'translate' : 'unchanged',
    units,
    counts,
    machineUnitIds: machine.map((u) => u.unitId),
    charactersSent: machine.reduce((sum, u) => sum + u.characters, 0),
    warnings,
    error: null,
    sourceDocumentHash,
    gapOverrides,
    translatedDocumentHash,
    ...(input.referenceUnits ? { referenceUnits: [...input.referenceUnits] } : {}),
  };
}

/** The reference and review fields a reused unit keeps from its state. */
function carried(prev: UnitState): Pick<UnitDecision, 'reference' | 'referenceSource'> {
  return {
    ...(prev.reference !== undefined ? { reference: prev.reference } : {}),
    ...(prev.referenceSource !== undefined ? { referenceSource: prev.referenceSource } : {}),
  };
}

/**
 * Unit counts of a plan. The categories are exclusive: `reused + fromReference + postEditsKept +
 * machineTranslated = total` (machine units counted as planned; assembly recounts what came back).
 */
export function countUnits(units: readonly UnitDecision[]): Required<UnitCounts> {
  const counts: Required<UnitCounts> = { ...emptyUnitCounts(), total: units.length };
  for (const u of units) {
    if (u.review?.kind === 'stale') counts.stale++;
    else if (u.review?.kind === 'fuzzy') counts.fuzzy++;
    else if (u.review?.kind === 'conflict') counts.conflicts++;
    if (u.action === 'machine') counts.machineTranslated++;
    else if (u.action === 'reference') counts.fromReference++;
    else if (u.origin === 'post-edit') counts.postEditsKept++;
    else counts.reused++;
  }
  return counts;
}

/** Input of {@link planRun}. */
export interface PlanRunInput {
  pair: string;
  state: SyncState;
  /** The English documents to plan (all of the pair's, or those named in the run input). */
  documents: readonly Omit<PlanDocumentInput, 'previous'>[];
  /**
   * Every path under `source/<src>/` (defaults to the planned documents' paths). State entries and
   * translated files outside it are orphans; outside `documents` but inside it, they are simply not planned.
   */
  sourcePaths?: readonly string[];
  /**
   * Every document the sync state knows (defaults to the keys of `state.documents`): a run that loads only
   * the documents it plans (a sharded state) still reports the others' orphans.
   */
  statePaths?: readonly string[];
  /** Paths present under `translated/<tgt>/` (to report orphans that have no state entry). */
  translatedPaths?: readonly string[];
  /** Global reference alignment, for documents that bring no `referencePairs` of their own. */
  referencePairs?: ReadonlyMap<string, string>;
  /** Whether the job would use parallel data (ACT): the price used for `RunPlan.report` totals. */
  act?: boolean;
  /**
   * Re-translate everything planned: the sync state and the current translated files are ignored (every
   * unit goes to the reference or machine translation) and the files are rewritten. Human edits in them are
   * replaced (a warning says so; the bucket's version history keeps them). Use this, not an emptied state:
   * with no state, existing translated files are adopted as human work and kept.
   */
  force?: boolean;
  /** Send only the changed sentences of edited units (see `UnitDecision.partial`). Default false. */
  sentenceLevel?: boolean;
  /** Re-translate units whose English changed only slightly instead of keeping their human text. */
  retranslateFuzzy?: boolean;
}

/** The run-wide options {@link planOneDocument} plans a document with. */
export interface DocumentPlanOptions {
  /** `<src>-<tgt>`: the target language decides how translated sentences are joined. */
  pair: string;
  force?: boolean;
  sentenceLevel?: boolean;
  retranslateFuzzy?: boolean;
  /** Global reference alignment, for a document that brings no `referencePairs` of its own. */
  referencePairs?: ReadonlyMap<string, string>;
}

/** Plans one document of a run against its state entry (`previous`; ignored under `force`). */
export function planOneDocument(
  doc: Omit<PlanDocumentInput, 'previous'>,
  previous: DocumentState | undefined,
  options: DocumentPlanOptions,
): DocumentPlan {
  const docInput: PlanDocumentInput = {
    ...doc,
    referencePairs: doc.referencePairs ?? options.referencePairs ?? new Map(),
    sentenceLevel: options.sentenceLevel ?? false,
    ...(options.retranslateFuzzy ? { retranslateFuzzy: true } : {}),
    targetLanguage: options.pair.split('-')[1] ?? '',
  };
  if (options.force) {
    const plan = planDocument({ ...docInput, translated: null, translatedMarkdown: null });
    plan.forced = true;
    if (doc.translatedMarkdown !== null) {
      plan.warnings.push(
        `force: translated/${doc.path} is rewritten from scratch; any human edits in it are replaced (the previous version is kept: ${PREVIOUS_VERSION_KEPT})`,
      );
    }
    return plan;
  }
  if (previous) docInput.previous = previous;
  return planDocument(docInput);
}

/** Where a run's documents are, for its orphans (see {@link PlanRunInput}). */
export interface RunPaths {
  sourcePaths: readonly string[];
  statePaths: readonly string[];
  translatedPaths?: readonly string[];
}

/** The run plan of planned documents: in path order, with the orphans, characters, cost and report. */
export function runPlanOf(pair: string, planned: readonly DocumentPlan[], paths: RunPaths): RunPlan {
  const documents = [...planned].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const sourcePaths = new Set(paths.sourcePaths);
  const orphans = new Map<string, OrphanedDocument>();
  for (const path of paths.statePaths) {
    if (!sourcePaths.has(path)) orphans.set(path, { path, foundIn: ['state'] });
  }
  for (const path of paths.translatedPaths ?? []) {
    if (sourcePaths.has(path)) continue;
    const found = orphans.get(path);
    if (found) found.foundIn.push('translated');
    else orphans.set(path, { path, foundIn: ['translated'] });
  }
  const orphaned = [...orphans.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  const charactersSent = documents.reduce((sum, d) => sum + d.charactersSent, 0);
  const plan: RunPlan = {
    pair,
    documents,
    orphaned,
    charactersSent,
    machineDocuments: documents.filter((d) => d.machineUnitIds.length > 0).map((d) => d.path),
    needsJob: documents.some((d) => d.machineUnitIds.length > 0),
    cost: {
      standard: estimateCost(charactersSent, { act: false }),
      act: estimateCost(charactersSent, { act: true }),
    },
    report: [],
  };
  plan.report = reportFromPlan(plan);
  return plan;
}

/** Plans a whole run: every document, orphans, characters and cost. */
export function planRun(input: PlanRunInput): RunPlan {
  const seen = new Set<string>();
  for (const doc of input.documents) {
    if (seen.has(doc.path)) throw new InvalidInputError(`document ${doc.path} is listed twice`);
    seen.add(doc.path);
  }
  const documents = input.documents.map((doc) =>
    planOneDocument(doc, input.state.documents[doc.path], {
      pair: input.pair,
      ...(input.force ? { force: true } : {}),
      ...(input.sentenceLevel !== undefined ? { sentenceLevel: input.sentenceLevel } : {}),
      ...(input.retranslateFuzzy ? { retranslateFuzzy: true } : {}),
      ...(input.referencePairs ? { referencePairs: input.referencePairs } : {}),
    }),
  );
  return runPlanOf(input.pair, documents, {
    sourcePaths: input.sourcePaths ?? input.documents.map((d) => d.path),
    statePaths: input.statePaths ?? Object.keys(input.state.documents),
    ...(input.translatedPaths ? { translatedPaths: input.translatedPaths } : {}),
  });
}
