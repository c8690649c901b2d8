/**
 * The reference alignment used by sync: English unit text → the human translation of that unit.
 * Conservative on purpose: a wrong pair would put the human translation of another paragraph into the
 * output, so only one-to-one paragraph groups of the same kind that keep every protected item are used.
 */
import { alignParagraphs } from '../align';
import { extractSegments, type Segment } from '../markdown';
import { safeReference } from './plan';

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
  const source = extractSegments(input.sourceMarkdown, { file: input.sourceFile ?? 'source' });
  const reference = extractSegments(input.referenceMarkdown, { file: input.referenceFile ?? 'reference' });
  const groups = alignParagraphs(source, reference, {
    from: input.from,
    to: input.to,
    sourceMarkdown: input.sourceMarkdown,
    targetMarkdown: input.referenceMarkdown,
  });
  const pairs = new Map<string, string>();
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
  }
  return pairs;
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
