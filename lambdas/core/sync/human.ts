/**
 * Human translations and the English they were written for (issue 10).
 *
 * A human text (a unit of `reference/<tgt>/…` or a post-edit in `translated/<tgt>/…`) is only current for
 * the English it was written for. This module says, for every unit of the current English, which human
 * reference it has and whether that text was written for this English (current) or an older one (stale),
 * and how much an English change matters: markup only, a small wording change (fuzzy), or a real change.
 */

import { anchorsOf, lengthIn, lengthModel } from '../align/features';
import { sha256 } from '../hash';
import type { Segment } from '../markdown/types';
import { lcsPairs, matchSequences, normalizeForCompare, predecessors } from './match';
import type { UnitState } from './types';

/** How an English text changed. */
export type ChangeKind =
  /** Only markup or whitespace (slide markers, emphasis, line wrapping): the human text still fits. */
  | 'markup'
  /** A small wording change (an article, a preposition, a typo): the human text is kept, marked for review. */
  | 'fuzzy'
  /** Words, numbers, code or math changed, or sentences were added or rewritten. */
  | 'changed';

/** Function words whose insertion or removal does not change what a sentence says. */
const SMALL_WORDS = new Set(
  (
    'a an the this that these those of in on at to for from by with as and or but is are was were be been ' +
    'being it its we our us you your they their them which who whom whose will would can could may might ' +
    'shall should must do does did has have had also such so there here into onto about over under'
  ).split(' '),
);

/** Protected items (code, math, roles) are one token each; words; single punctuation marks. */
const TOKEN =
  /:[a-z]+:`[^`]*`|`+[^`]*`+|\$\$[^$]*\$\$|\$[^$]*\$|[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

function tokens(text: string): string[] {
  return [...normalizeForCompare(text).matchAll(TOKEN)].map((m) => m[0]);
}

const isWord = (t: string) => /^[\p{L}]+(?:['’-][\p{L}]+)*$/u.test(t);

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next.push(
        Math.min(
          (row[j] as number) + 1,
          (next[j - 1] as number) + 1,
          (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
        ),
      );
    }
    row = next;
  }
  return row[b.length] as number;
}

/**
 * Classifies the change from `before` to `after` (plain unit or sentence texts, `Segment.text`: markup
 * removed, protected items kept). Equal texts are `markup` (the Markdown around them differed). A change
 * is `fuzzy` when at most three tokens (and 40 %) differ and each is punctuation, a function word, a change of case
 * or a typo fix (edit distance ≤ 2 in a word of 4+ letters); anything touching a number, code, math or
 * a content word is `changed`.
 */
export function classifyChange(before: string, after: string): { kind: ChangeKind; reason: string } {
  if (normalizeForCompare(before) === normalizeForCompare(after)) {
    return { kind: 'markup', reason: 'only markup or whitespace changed in the English' };
  }
  const a = tokens(before);
  const b = tokens(after);
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
  const common = lcsPairs(lower(a), lower(b));
  const keptA = new Set(common.map(([i]) => i));
  const keptB = new Set(common.map(([, j]) => j));
  const removed = a.filter((_, i) => !keptA.has(i));
  const added = b.filter((_, j) => !keptB.has(j));
  const caseOnly = common.filter(([i, j]) => a[i] !== b[j]).map(([i, j]) => `${a[i]}→${b[j]}`);
  const describe = () =>
    [...removed.map((t) => `−"${t}"`), ...added.map((t) => `+"${t}"`), ...caseOnly].join(' ');
  const changed = removed.length + added.length;
  const longest = Math.max(a.length, b.length, 1);
  if (changed > 3 || changed / longest > 0.4) {
    return {
      kind: 'changed',
      reason: `the English changed (${changed} of ${longest} words): ${clip(describe())}`,
    };
  }
  // A typo fix: one word replaced by a close spelling.
  const typo =
    removed.length === 1 &&
    added.length === 1 &&
    isWord(removed[0] as string) &&
    isWord(added[0] as string) &&
    Math.min((removed[0] as string).length, (added[0] as string).length) >= 4 &&
    editDistance((removed[0] as string).toLowerCase(), (added[0] as string).toLowerCase()) <= 2;
  const small = (t: string) => SMALL_WORDS.has(t.toLowerCase()) || /^[^\p{L}\p{N}`$:]$/u.test(t);
  if (typo || [...removed, ...added].every(small)) {
    return { kind: 'fuzzy', reason: `small wording change in the English (${describe()})` };
  }
  return { kind: 'changed', reason: `the English changed: ${clip(describe())}` };
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** The human reference of one current English unit. */
export interface HumanReference {
  /** The reference unit Markdown. */
  markdown: string;
  /** Written for the current English (`true`), or for an older English (`previousSource`). */
  current: boolean;
  /**
   * The English (`Segment.text`) the reference was written for, when not the current one; absent with
   * `current: false` when unknown (a human text the document had before, never paired with this unit).
   */
  previousSource?: string;
  /** The state already knew this human text (it is not new or changed since the last run). */
  known: boolean;
  /** Why its pairing with the English is doubtful (a new pairing only; see {@link weakAlignment}). */
  weak?: string;
}

/** Input of {@link humanReferences}. */
export interface HumanReferenceInput {
  /** The current English units. */
  source: readonly Segment[];
  /** Current English `Segment.text` → reference unit Markdown (alignment of the current English with the reference). */
  referencePairs: ReadonlyMap<string, string>;
  /**
   * The English the reference was translated from (d2l-zh's `<name>_origin.md`), its units and its
   * alignment with the reference: the authority on which English each human unit was written for.
   */
  origin?: { source: readonly Segment[]; pairs: ReadonlyMap<string, string> };
  /** The document's units as last written (which English each known human text was paired with). */
  previous?: readonly UnitState[];
  /** Current English `Segment.text` → why its pairing with the reference is weak. */
  weak?: ReadonlyMap<string, string>;
  /**
   * `referenceUnitHash` of every reference unit at the last run (`DocumentState.referenceUnits`): a human
   * text that was there but never paired with a unit is not new, and its English is unknown.
   */
  previousReferenceUnits?: readonly string[];
}

/** Identity of a reference unit (whitespace-insensitive): which human texts a document had at the last run. */
export function referenceUnitHash(markdown: string): string {
  return sha256(normalizeForCompare(markdown)).slice(0, 20);
}

/**
 * For every current English unit, its human reference and whether it was written for this English.
 *
 * - With an origin file: a unit whose text is in the origin has a current reference; a unit that replaces
 *   an origin unit in place (edited English) has that unit's reference, stale.
 * - Without one: the alignment of the current English with the reference gives the pairs; a human text
 *   the state already paired with another English is stale for this one; a text the document already
 *   had but never paired is not current (its English is unknown); a text never seen before (a new
 *   reference, a translator's fix) is taken as written for the current English.
 */
export function humanReferences(input: HumanReferenceInput): Array<HumanReference | undefined> {
  const known = new Map<string, string[]>();
  for (const u of input.previous ?? []) {
    if (u.reference === undefined) continue;
    const key = normalizeForCompare(u.reference);
    const english = normalizeForCompare(u.referenceSource ?? u.sourceText);
    known.set(key, [...(known.get(key) ?? []), english]);
  }
  const before = new Set(input.previousReferenceUnits ?? []);
  const judge = (markdown: string, text: string): HumanReference => {
    const basis = known.get(normalizeForCompare(markdown));
    const weak = input.weak?.get(text);
    if (basis === undefined && before.has(referenceUnitHash(markdown))) {
      return { markdown, current: false, known: true };
    }
    if (basis === undefined) return { markdown, current: true, known: false, ...(weak ? { weak } : {}) };
    if (basis.includes(normalizeForCompare(text))) return { markdown, current: true, known: true };
    return { markdown, current: false, previousSource: basis[0] as string, known: true };
  };
  const out: Array<HumanReference | undefined> = input.source.map((seg) => {
    const markdown = input.referencePairs.get(seg.text);
    return markdown === undefined ? undefined : judge(markdown, seg.text);
  });
  const origin = input.origin;
  if (!origin) return out;

  // The origin file says which English each reference unit was translated from.
  const originOf = new Map<string, string>();
  for (const [english, markdown] of origin.pairs) originOf.set(normalizeForCompare(markdown), english);
  const key = (s: Pick<Segment, 'text'>) => normalizeForCompare(s.text);
  const match = matchSequences(origin.source.map(key), input.source.map(key));
  const inPlace = new Map(predecessors(match, origin.source.length));
  return input.source.map((seg, i) => {
    const exact = origin.pairs.get(seg.text);
    if (exact !== undefined)
      return { markdown: exact, current: true, known: known.has(normalizeForCompare(exact)) };
    const k = inPlace.get(i);
    const old = k === undefined ? undefined : origin.source[k];
    const oldRef = old ? origin.pairs.get(old.text) : undefined;
    if (old && oldRef !== undefined) {
      return {
        markdown: oldRef,
        current: false,
        previousSource: old.text,
        known: known.has(normalizeForCompare(oldRef)),
      };
    }
    const paired = out[i];
    if (!paired) return undefined;
    const english = originOf.get(normalizeForCompare(paired.markdown));
    if (english !== undefined && normalizeForCompare(english) !== key(seg)) {
      return { markdown: paired.markdown, current: false, previousSource: english, known: paired.known };
    }
    return paired;
  });
}

/**
 * Why a new pairing of an English unit with a human unit is doubtful, or `undefined`: the lengths are far
 * from the pair's length model (less than half or more than twice the expected length, for units of 40+
 * length units), or numbers of the English are missing from the translation or vice versa.
 */
export function weakAlignment(
  englishText: string,
  humanText: string,
  from: string,
  to: string,
): string | undefined {
  const model = lengthModel(from, to);
  const ls = lengthIn(englishText, from, model);
  const lt = lengthIn(humanText, to, model);
  const expected = model.c * ls;
  if (ls >= 40 && expected > 0 && (lt < expected / 2 || lt > expected * 2)) {
    return `length ratio ${(lt / ls).toFixed(2)} is far from the expected ${model.c} for ${from}→${to}`;
  }
  const a = anchorsOf(englishText, from).nums;
  const b = anchorsOf(humanText, to).nums;
  const missing = a.filter((n) => !b.includes(n));
  const extra = b.filter((n) => !a.includes(n));
  if (missing.length + extra.length > 0) {
    return `numbers disagree (${[...missing.map((n) => `English ${n}`), ...extra.map((n) => `translation ${n}`)].join(', ')})`;
  }
  return undefined;
}
