/**
 * The reference alignment used by sync: English unit text → the human translation of that unit.
 * Conservative on purpose: a wrong pair would put the human translation of another paragraph into the
 * output, so only one-to-one paragraph groups of the same kind that keep every protected item are used.
 */
import { alignParagraphs } from '../align';
import { InvalidInputError } from '../errors';
import { extractSegments, type Segment } from '../markdown';
import { referenceUnitHash, weakAlignment } from './human';
import { normalizeForCompare } from './match';
import { safeReference } from './safe-reference';
import type { DocumentPlan, SyncState } from './types';

function shape(s: Segment): string {
  return s.kind === 'heading' ? `h${s.depth ?? 0}` : s.kind;
}

/** Input of {@link referencePairsFromDocuments}. */
export interface ReferenceDocuments {
  /** The current English document. */
  sourceMarkdown: string;
  /** Its human translation (`reference/<tgt>/<path>`). */
  referenceMarkdown: string;
  /** Language codes, e.g. `en`, `zh`. */
  from: string;
  to: string;
  /** Labels for error messages. */
  sourceFile?: string;
  referenceFile?: string;
}

/**
 * Pairs the units of an English document with its human translation (paragraph alignment of
 * lambdas/core/align), keeping only 1-1 groups of the same kind (and heading depth) whose translation keeps
 * the English unit's protected items (code, math, roles) and link destinations.
 *
 * @returns English `Segment.text` → reference unit Markdown. A text seen twice with different translations is
 *   dropped (ambiguous).
 */
export function referencePairsFromDocuments(input: ReferenceDocuments): Map<string, string> {
  return referenceAlignment(input).pairs;
}

/**
 * {@link referencePairsFromDocuments}, plus the pairs whose alignment is weak (length ratio or numbers
 * disagree, see `weakAlignment`): English `Segment.text` → reason.
 */
export function referenceAlignment(input: ReferenceDocuments): {
  pairs: Map<string, string>;
  weak: Map<string, string>;
  /** `referenceUnitHash` of every reference unit, sorted, unique. */
  units: string[];
} {
  const source = extractSegments(input.sourceMarkdown, { file: input.sourceFile ?? 'source' });
  const reference = extractSegments(input.referenceMarkdown, { file: input.referenceFile ?? 'reference' });
  const groups = alignParagraphs(source, reference, {
    from: input.from,
    to: input.to,
    sourceMarkdown: input.sourceMarkdown,
    targetMarkdown: input.referenceMarkdown,
  });
  const pairs = new Map<string, string>();
  const weak = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const group of groups) {
    const [s, r] = [group.source[0], group.target[0]];
    if (group.source.length !== 1 || group.target.length !== 1 || !s || !r) continue;
    if (shape(s) !== shape(r) || !safeReference(r.markdown, s)) continue;
    if (ambiguous.has(s.text)) continue;
    const known = pairs.get(s.text);
    if (known !== undefined && known !== r.markdown) {
      pairs.delete(s.text);
      ambiguous.add(s.text);
      continue;
    }
    pairs.set(s.text, r.markdown);
    const why = weakAlignment(s.text, r.text, input.from, input.to);
    if (why) weak.set(s.text, why);
    else weak.delete(s.text);
  }
  for (const text of weak.keys()) if (!pairs.has(text)) weak.delete(text);
  const units = [...new Set(reference.map((r) => referenceUnitHash(r.markdown)))].sort();
  return { pairs, weak, units };
}

/** Default name of the English a reference was translated from, beside it (d2l-zh: `<name>_origin.md`). */
export const DEFAULT_ORIGIN_PATTERN = '{name}_origin.md';

function checkPattern(pattern: string): void {
  if (!/^[^/{}]*\{name\}[^/{}]*\.md$/.test(pattern)) {
    throw new InvalidInputError(
      `origin file pattern ${JSON.stringify(pattern)}: expected a file name with {name} ending in .md, e.g. ${DEFAULT_ORIGIN_PATTERN}`,
    );
  }
}

/** `a/b.md` → `a/b_origin.md` (the origin file of a document, relative to `reference/<tgt>/`). */
export function originPathOf(path: string, pattern = DEFAULT_ORIGIN_PATTERN): string {
  checkPattern(pattern);
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1).replace(/\.md$/, '');
  return `${path.slice(0, slash + 1)}${pattern.replace('{name}', name)}`;
}

/** Whether a path under `reference/<tgt>/` is an origin file (never a document, never a reference itself). */
export function isOriginPath(path: string, pattern = DEFAULT_ORIGIN_PATTERN): boolean {
  checkPattern(pattern);
  const base = path.slice(path.lastIndexOf('/') + 1);
  const [before, after] = pattern.split('{name}') as [string, string];
  return base.length > before.length + after.length && base.startsWith(before) && base.endsWith(after);
}

/**
 * The origin input of `planDocument`: the units of the English a reference was translated from and their
 * pairs with the reference's units.
 */
export function originFromDocuments(input: {
  originMarkdown: string;
  referenceMarkdown: string;
  from: string;
  to: string;
  originFile?: string;
  referenceFile?: string;
}): { source: Segment[]; pairs: Map<string, string> } {
  const file = input.originFile ?? 'origin';
  return {
    source: extractSegments(input.originMarkdown, { file }),
    pairs: referencePairsFromDocuments({
      sourceMarkdown: input.originMarkdown,
      referenceMarkdown: input.referenceMarkdown,
      from: input.from,
      to: input.to,
      sourceFile: file,
      ...(input.referenceFile ? { referenceFile: input.referenceFile } : {}),
    }),
  };
}

/** Merges per-document reference pairs into one map; a text with conflicting translations is dropped. */
export function mergeReferencePairs(maps: Iterable<ReadonlyMap<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const map of maps) {
    for (const [text, target] of map) {
      if (ambiguous.has(text)) continue;
      const known = out.get(text);
      if (known !== undefined && known !== target) {
        out.delete(text);
        ambiguous.add(text);
      } else out.set(text, target);
    }
  }
  return out;
}

/**
 * English unit texts, per document, whose human reference was written for another English (stale, or kept
 * as fuzzy): their pairs must stay out of the parallel data. Planned documents are judged by their plan;
 * the others by the units of their state.
 */
export function staleReferenceUnits(
  plans: readonly Pick<DocumentPlan, 'path' | 'units'>[],
  state: Pick<SyncState, 'documents'>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const stale = (u: { referenceSource?: string; review?: { kind: string } }): boolean =>
    u.referenceSource !== undefined || u.review?.kind === 'stale' || u.review?.kind === 'fuzzy';
  const planned = new Set<string>();
  for (const plan of plans) {
    planned.add(plan.path);
    const texts = plan.units.filter(stale).map((u) => u.sourceText);
    if (texts.length > 0) out[plan.path] = texts;
  }
  for (const [path, doc] of Object.entries(state.documents)) {
    if (planned.has(path)) continue;
    const texts = doc.units.filter(stale).map((u) => u.sourceText);
    if (texts.length > 0) out[path] = texts;
  }
  return out;
}

/** Whether a parallel-data pair stays clear of the given English unit texts (neither contains the other). */
export function clearOf(excluded: readonly string[]): (pair: { source: string }) => boolean {
  const keys = excluded.map(normalizeForCompare).filter((t) => t.length > 0);
  return (pair) => {
    const source = normalizeForCompare(pair.source);
    return source.length === 0 || !keys.some((k) => k.includes(source) || source.includes(k));
  };
}
