/**
 * The reference alignment used by sync: English unit text → the human translation of that unit.
 * Conservative on purpose: a wrong pair would put the human translation of another paragraph into the output.
 */
import type { Segment } from '../markdown/types';
import { keepsProtectedItems } from './plan';

function shape(s: Segment): string {
  return s.kind === 'heading' ? `h${s.depth ?? 0}` : s.kind;
}

/**
 * Pairs the units of an English document with those of its human translation when the two have the same
 * structure: the same number of units with the same kinds (and heading depths), and every pair keeping the
 * English unit's protected items (code, math, roles). Runs of paragraphs whose counts differ (translators
 * merge or split paragraphs) are skipped between anchors (headings), never guessed.
 *
 * @returns English `Segment.text` → reference unit Markdown; a text seen twice with different translations is
 *   dropped (ambiguous).
 */
export function referencePairsFromDocuments(
  source: readonly Segment[],
  reference: readonly Segment[],
): Map<string, string> {
  const pairs = new Map<string, string>();
  const ambiguous = new Set<string>();
  const add = (s: Segment, r: Segment) => {
    if (!keepsProtectedItems(r.markdown, s.protectedItems)) return;
    if (ambiguous.has(s.text)) return;
    const known = pairs.get(s.text);
    if (known !== undefined && known !== r.markdown) {
      pairs.delete(s.text);
      ambiguous.add(s.text);
      return;
    }
    pairs.set(s.text, r.markdown);
  };
  // Split both documents into sections at headings; pair sections whose heading depth sequence matches.
  const sections = (segs: readonly Segment[]) => {
    const out: Segment[][] = [[]];
    for (const s of segs) {
      if (s.kind === 'heading') out.push([s]);
      else (out[out.length - 1] as Segment[]).push(s);
    }
    return out;
  };
  const a = sections(source);
  const b = sections(reference);
  if (a.length !== b.length) return pairs;
  a.forEach((sa, k) => {
    const sb = b[k] as Segment[];
    if (sa.length !== sb.length) {
      // Keep the heading pair alone when the depths agree.
      const ha = sa[0];
      const hb = sb[0];
      if (ha?.kind === 'heading' && hb?.kind === 'heading' && ha.depth === hb.depth) add(ha, hb);
      return;
    }
    if (!sa.every((s, i) => shape(s) === shape(sb[i] as Segment))) return;
    sa.forEach((s, i) => {
      add(s, sb[i] as Segment);
    });
  });
  return pairs;
}
