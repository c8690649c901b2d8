/**
 * Planning: for every unit of the current English source, reuse what is there, take the human reference,
 * or send it to machine translation — and never plan a rewrite that would drop a human edit.
 */
import { createHash } from 'node:crypto';
import { InvalidInputError } from '../errors';
import type { Segment } from '../markdown/types';
import type { UnitCounts } from '../report';
import type {
  DocumentPlan,
  DocumentState,
  OrphanedDocument,
  PartialPiece,
  RunPlan,
  SyncState,
  UnitDecision,
  UnitState,
} from './api';
import { billedCharacters, estimateCost } from './cost';
import { lcsPairs, matchSequences, normalizeForCompare } from './match';
import { reportFromPlan } from './report';
import {
  joinSentences,
  sentenceHash,
  splitSourceSentences,
  splitTargetSentences,
  validSourcePieces,
} from './sentences';

/** Input of {@link planDocument}: the codec segments of the current English source and translated file. */
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
}

/** SHA-256 hex of a string (document identity; gap identity after whitespace normalisation). */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hash of a stretch between units, insensitive to whitespace (line wrapping is not an edit). */
export function gapHash(gap: string): string {
  return sha256(normalizeForCompare(gap)).slice(0, 32);
}

/** Splits a document into the stretches around its units: `segments.length + 1` strings (BOM excluded). */
export function gapsOf(markdown: string, segments: readonly Segment[], file: string): string[] {
  const text = markdown.startsWith('\uFEFF') ? markdown.slice(1) : markdown;
  const gaps: string[] = [];
  let cursor = 0;
  for (const seg of segments) {
    if (
      seg.start.offset < cursor ||
      seg.end.offset < seg.start.offset ||
      text.slice(seg.start.offset, seg.end.offset) !== seg.markdown
    ) {
      throw new InvalidInputError(
        `${file}: segment ${seg.id} does not match the document at offset ${seg.start.offset} (segments of another version?)`,
      );
    }
    gaps.push(text.slice(cursor, seg.start.offset));
    cursor = seg.end.offset;
  }
  gaps.push(text.slice(cursor));
  return gaps;
}

/** Whether a target keeps every protected item (code, math, roles) of the English unit, as often. */
export function keepsProtectedItems(target: string, protectedItems: readonly string[]): boolean {
  const need = new Map<string, number>();
  for (const item of protectedItems) need.set(item, (need.get(item) ?? 0) + 1);
  for (const [item, count] of need) {
    if (target.split(item).length - 1 < count) return false;
  }
  return true;
}

/** Link and image destinations of a unit's Markdown (`[t](url)`, `![a](src)`, `<https://…>`), sorted. */
export function linkTargets(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/\]\(\s*<?([^\s)>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g))
    out.push(m[1] as string);
  for (const m of markdown.matchAll(/<((?:https?|ftp|mailto):[^>\s]+)>/g)) out.push(m[1] as string);
  return out.sort();
}

/**
 * Whether a human translation can stand in for an English unit byte-safely: it keeps every protected item
 * (code, math, roles) and links to exactly the same destinations (translations often point to their own
 * pages, e.g. another forum topic, and the output must link where the English does).
 */
export function safeReference(target: string, source: Pick<Segment, 'markdown' | 'protectedItems'>): boolean {
  if (!keepsProtectedItems(target, source.protectedItems)) return false;
  const a = linkTargets(target);
  const b = linkTargets(source.markdown);
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

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
  const gapOverrides: { index: number; markdown: string }[] = [];
  const references = input.referencePairs ?? new Map<string, string>();

  // 1. The target of every previous unit as it stands now (a human may have edited it).
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

  // 2. Unit identity across English versions: by source hash, order-aware, then moves.
  const prevIndex = previous
    ? matchSequences(
        prevUnits.map((u) => u.sourceHash),
        source.map((s) => s.hash),
      )
    : source.map(() => undefined);

  // 3. Decisions.
  const units: UnitDecision[] = source.map((seg, i) => {
    const base = {
      unitId: seg.id,
      sourceHash: seg.hash,
      sourceText: seg.text,
      kind: seg.kind,
      start: seg.start.offset,
      end: seg.end.offset,
      characters: 0,
    };
    if (adopted && translated) {
      const t = translated[i] as Segment;
      return { ...base, action: 'reuse', targetMarkdown: t.markdown, origin: 'post-edit', postEdit: false };
    }
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
        } satisfies UnitDecision;
      }
      const postEdit = normalizeForCompare(current.markdown) !== normalizeForCompare(prev.targetMarkdown);
      if (prev.origin !== 'source-fallback' || postEdit) {
        const decision: UnitDecision = {
          ...base,
          action: 'reuse',
          targetMarkdown: current.markdown,
          origin: postEdit ? 'post-edit' : prev.origin,
          previousIndex: j,
        };
        if (postEdit) decision.postEdit = true;
        if (!postEdit && prev.jobId) decision.jobId = prev.jobId;
        return decision;
      }
    }
    const reference = references.get(seg.text);
    if (reference !== undefined && safeReference(reference, seg)) {
      return { ...base, action: 'reference', targetMarkdown: reference, origin: 'reference' };
    }
    if (reference !== undefined) {
      warnings.push(
        `unit ${seg.id} at ${where(`source/${path}`, seg)}: the reference translation lacks protected content or links of the English; machine-translated instead`,
      );
    }
    return { ...base, action: 'machine', characters: billedCharacters(seg.text) };
  });

  // Edited units: send only the changed sentences when the previous translation splits the same way.
  const partialFrom = new Set<number>();
  if (input.sentenceLevel && previous) {
    const separator = /^(zh|ja)\b/i.test(input.targetLanguage ?? '') ? '' : ' ';
    for (const [i, j] of predecessors(prevIndex, prevUnits.length)) {
      const decision = units[i] as UnitDecision;
      const prev = prevUnits[j] as UnitState;
      const current = currentOf(j);
      const seg = source[i] as Segment;
      if (
        decision.action !== 'machine' ||
        !current ||
        !prev.sentenceHashes ||
        prev.origin === 'source-fallback'
      ) {
        continue;
      }
      const partial = partialUnit(seg, prev.sentenceHashes, current.markdown, separator);
      if (!partial) continue;
      partialFrom.add(j);
      const sent = partial.pieces.reduce((n, p) => n + (p.kind === 'send' ? p.characters : 0), 0);
      if (sent === 0) {
        const edited = normalizeForCompare(current.markdown) !== normalizeForCompare(prev.targetMarkdown);
        units[i] = {
          ...decision,
          action: 'reuse',
          targetMarkdown: joinSentences(partial.pieces.map((p) => p.markdown)),
          origin: edited || prev.origin === 'post-edit' ? 'post-edit' : prev.origin,
          previousIndex: j,
          characters: 0,
        };
      } else {
        units[i] = { ...decision, partial, characters: sent, previousIndex: j };
      }
    }
  }

  // Human edits whose English changed or disappeared: the edit is replaced, say so.
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
        `a human post-edit${at} was replaced because its English changed or was removed: "${excerpt(current?.markdown ?? unit.targetMarkdown)}" (the previous version stays in the bucket's version history)`,
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

  // 4. Stretches between units (code, math, markup): keep human edits made there, report clashes.
  if (translatedGaps && adopted) {
    translatedGaps.forEach((gap, i) => {
      if (gap !== sourceGaps[i]) gapOverrides.push({ index: i, markdown: gap });
    });
  } else if (translatedGaps && previous?.gapHashes && previous.gapHashes.length === prevUnits.length + 1) {
    const oldGapHashes = previous.gapHashes;
    const n = prevUnits.length;
    const m = source.length;
    const trGapOf = (j: number): number | undefined => {
      if (j === 0) return 0;
      if (j === n) return translated?.length;
      const a = trIndex[j - 1];
      const b = trIndex[j];
      return a !== undefined && b === a + 1 ? b : undefined;
    };
    const oldGapOf = (i: number): number | undefined => {
      if (i === 0) return 0;
      if (i === m) return n;
      const a = prevIndex[i - 1];
      const b = prevIndex[i];
      return a !== undefined && b === a + 1 ? b : undefined;
    };
    const keptOld = new Set<number>();
    for (let i = 0; i <= m; i++) {
      const j = oldGapOf(i);
      if (j === undefined) continue;
      const k = trGapOf(j);
      const trGap = k === undefined ? undefined : translatedGaps[k];
      if (trGap === undefined || gapHash(trGap) === oldGapHashes[j]) continue;
      keptOld.add(j);
      if (gapHash(sourceGaps[i] as string) === oldGapHashes[j]) {
        gapOverrides.push({ index: i, markdown: trGap });
      } else {
        conflicts.push(
          `text between units (code, math or markup) was edited by hand in translated/${path} near unit ${source[i]?.id ?? 'end'} and changed in the English too`,
        );
      }
    }
    for (let j = 0; j <= n; j++) {
      const k = trGapOf(j);
      const trGap = k === undefined ? undefined : translatedGaps[k];
      if (keptOld.has(j) || trGap === undefined || gapHash(trGap) === oldGapHashes[j]) continue;
      conflicts.push(
        `text between units (code, math or markup) edited by hand in translated/${path} sits where the English was restructured`,
      );
    }
  }

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
  };
}

/**
 * Pairs of (new unit, old unit) that replace each other in place: a run of new units and a run of old
 * units of the same length between the same two matched neighbours (an edited paragraph, a renamed heading).
 */
export function predecessors(
  prevIndex: ReadonlyArray<number | undefined>,
  previousLength: number,
): Array<[number, number]> {
  const used = new Set(prevIndex.filter((j): j is number => j !== undefined));
  const pairs: Array<[number, number]> = [];
  let i = 0;
  while (i < prevIndex.length) {
    if (prevIndex[i] !== undefined) {
      i++;
      continue;
    }
    const a = i;
    while (i < prevIndex.length && prevIndex[i] === undefined) i++;
    const before = a === 0 ? -1 : prevIndex[a - 1];
    const after = i === prevIndex.length ? previousLength : prevIndex[i];
    if (before === undefined || after === undefined || after <= before) continue;
    const oldRun = after - before - 1;
    if (oldRun !== i - a) continue;
    let free = true;
    for (let j = before + 1; j < after; j++) if (used.has(j)) free = false;
    if (!free) continue;
    for (let k = 0; k < oldRun; k++) pairs.push([a + k, before + 1 + k]);
  }
  return pairs;
}

/** The sentence plan of an edited unit, or `null` when its sentences cannot be matched safely. */
function partialUnit(
  seg: Segment,
  previousHashes: readonly string[],
  currentTarget: string,
  separator: string,
): { separator: string; pieces: PartialPiece[] } | null {
  // Quoted and image units carry markup inside their Markdown (`> ` prefixes, `![…](…)`): whole units only.
  if (seg.kind === 'blockquote' || seg.kind === 'image-alt' || /\n[ \t]*>/.test(currentTarget)) return null;
  const targets = splitTargetSentences(currentTarget);
  if (targets.length !== previousHashes.length) return null;
  const pieces = splitSourceSentences(seg.markdown);
  const texts = validSourcePieces(pieces, seg.text);
  if (!texts) return null;
  const match = matchSequences(
    previousHashes,
    pieces.map((p) => sentenceHash(p)),
  );
  const out: PartialPiece[] = pieces.map((piece, k) => {
    const j = match[k];
    return j === undefined
      ? {
          kind: 'send',
          id: `${seg.id}-s${k + 1}`,
          markdown: piece.trim(),
          characters: billedCharacters(texts[k] as string),
        }
      : { kind: 'reuse', markdown: targets[j] as string };
  });
  const sent = out.reduce((n, p) => n + (p.kind === 'send' ? p.characters : 0), 0);
  // Mostly rewritten: the whole unit gives Translate better context for the same money.
  if (sent > 0.7 * billedCharacters(seg.text)) return null;
  return { separator, pieces: out };
}

/**
 * Unit counts of a plan. The categories are exclusive: `reused + fromReference + postEditsKept +
 * machineTranslated = total` (machine units counted as planned; assembly recounts what came back).
 */
export function countUnits(units: readonly UnitDecision[]): UnitCounts {
  const counts: UnitCounts = {
    total: units.length,
    reused: 0,
    fromReference: 0,
    postEditsKept: 0,
    machineTranslated: 0,
  };
  for (const u of units) {
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
}

/** Plans a whole run: every document, orphans, characters and cost. */
export function planRun(input: PlanRunInput): RunPlan {
  const seen = new Set<string>();
  for (const doc of input.documents) {
    if (seen.has(doc.path)) throw new InvalidInputError(`document ${doc.path} is listed twice`);
    seen.add(doc.path);
  }
  const documents = [...input.documents]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((doc) => {
      const previous = input.state.documents[doc.path];
      const docInput: PlanDocumentInput = {
        ...doc,
        referencePairs: doc.referencePairs ?? input.referencePairs ?? new Map(),
        sentenceLevel: input.sentenceLevel ?? false,
        targetLanguage: input.pair.split('-')[1] ?? '',
      };
      if (input.force) {
        const plan = planDocument({ ...docInput, translated: null, translatedMarkdown: null });
        plan.forced = true;
        if (doc.translatedMarkdown !== null) {
          plan.warnings.push(
            `force: translated/${doc.path} is rewritten from scratch; any human edits in it are replaced (the previous version stays in the bucket's version history)`,
          );
        }
        return plan;
      }
      if (previous) docInput.previous = previous;
      return planDocument(docInput);
    });
  const sourcePaths = new Set(input.sourcePaths ?? input.documents.map((d) => d.path));
  const orphans = new Map<string, OrphanedDocument>();
  for (const path of Object.keys(input.state.documents)) {
    if (!sourcePaths.has(path)) orphans.set(path, { path, foundIn: ['state'] });
  }
  for (const path of input.translatedPaths ?? []) {
    if (sourcePaths.has(path)) continue;
    const found = orphans.get(path);
    if (found) found.foundIn.push('translated');
    else orphans.set(path, { path, foundIn: ['translated'] });
  }
  const orphaned = [...orphans.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  const charactersSent = documents.reduce((sum, d) => sum + d.charactersSent, 0);
  const plan: RunPlan = {
    pair: input.pair,
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
