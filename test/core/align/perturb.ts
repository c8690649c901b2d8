/**
 * Mechanical perturbations of a gold translation, with the gold alignment derived (not drafted):
 * swap two adjacent paragraphs, merge two, split one at a sentence end, delete one, add one (a copy of
 * a paragraph from elsewhere in the translation: material the source lacks), add a zh-only `paddle`
 * tab, rephrase a heading. Used to score the aligner on what real translations do but the
 * four gold sections happen not to (or rarely) do.
 */
import { pairScores, type Scores } from '../../../lambdas/core/align/evaluate';
import { alignParagraphs } from '../../../lambdas/core/align/paragraphs';
import { extractSegments } from '../../../lambdas/core/markdown';
import type { Segment } from '../../../lambdas/core/markdown/types';
import { prng } from '../../helpers/prng';
import type { GoldDocument } from './gold';

export type PerturbationKind = 'swap' | 'merge' | 'split' | 'delete' | 'add' | 'paddle' | 'heading';

/** A unit of the perturbed document and the original target units it came from. */
interface Piece {
  text: string;
  origins: string[];
}

/** A paragraph that is a whole top-level block: blank line (or file start) before, blank line after. */
function isWholeBlock(md: string, s: Segment): boolean {
  if (s.kind !== 'paragraph') return false;
  if (/^\s*:(begin_tab|end_tab)/.test(s.markdown) || s.markdown.includes(':end_tab:')) return false;
  const before = s.start.offset === 0 || md.slice(s.start.offset - 2, s.start.offset) === '\n\n';
  const after = md.slice(s.end.offset, s.end.offset + 2) === '\n\n';
  return before && after && !s.markdown.includes('\n\n');
}

export interface Perturbed {
  markdown: string;
  /** Gold groups: source unit ids ↔ indices of units in the perturbed target. */
  gold: { source: string[]; target: number[] }[];
  applied: PerturbationKind[];
}

/**
 * Applies `count` random perturbations (from `kinds`) to the target of `doc` and derives the gold.
 * Operations touch disjoint units; one that would break the unit structure is skipped.
 */
export function perturb(
  doc: GoldDocument,
  opts: { seed: number; count: number; kinds?: readonly PerturbationKind[] },
): Perturbed {
  const random = prng(opts.seed);
  const kinds = opts.kinds ?? ['swap', 'merge', 'split', 'delete', 'add', 'paddle', 'heading'];
  const md = doc.targetMarkdown;
  const units = doc.target;
  // Edits as replacements of [start, end) in the original markdown, applied from the end.
  const edits: { start: number; end: number; text: string }[] = [];
  // Pieces (new units in order) replacing original unit indices.
  const replaced = new Map<number, Piece[]>();
  const touched = new Set<number>();
  const applied: PerturbationKind[] = [];
  const soleTargets = new Set(
    doc.paragraphs.groups.flatMap((g) =>
      g.target.length === 1 ? [doc.targetRef.get(g.target[0] as string)?.id] : [],
    ),
  );
  const single = new Set(units.flatMap((u, k) => (soleTargets.has(u.id) ? [k] : [])));
  const groupEnds = new Set(
    doc.paragraphs.groups.flatMap((g) => {
      const last = g.target.at(-1);
      return last ? [doc.targetRef.get(last)?.id as string] : [];
    }),
  );
  const pick = (ok: (i: number) => boolean): number => {
    const candidates = units.map((_, i) => i).filter((i) => !touched.has(i) && ok(i));
    if (candidates.length === 0) return -1;
    return candidates[Math.floor(random() * candidates.length)] as number;
  };
  const adjacentBlocks = (i: number) => {
    const a = units[i];
    const b = units[i + 1];
    return (
      !!a &&
      !!b &&
      !touched.has(i + 1) &&
      isWholeBlock(md, a) &&
      isWholeBlock(md, b) &&
      md.slice(a.end.offset, b.start.offset) === '\n\n'
    );
  };
  for (let n = 0; n < opts.count * 4 && applied.length < opts.count; n++) {
    const kind = kinds[Math.floor(random() * kinds.length)] as PerturbationKind;
    if (kind === 'swap' || kind === 'merge') {
      // Swapping a unit out of a 1-2 group would make the gold group non-contiguous; swap whole groups.
      const i = pick((k) => adjacentBlocks(k) && (kind === 'merge' || (single.has(k) && single.has(k + 1))));
      if (i < 0) continue;
      const a = units[i] as Segment;
      const b = units[i + 1] as Segment;
      if (kind === 'swap') {
        edits.push({ start: a.start.offset, end: b.end.offset, text: `${b.markdown}\n\n${a.markdown}` });
        replaced.set(i, [
          { text: b.text, origins: [b.id] },
          { text: a.text, origins: [a.id] },
        ]);
      } else {
        edits.push({ start: a.start.offset, end: b.end.offset, text: `${a.markdown}${b.markdown}` });
        replaced.set(i, [{ text: a.text + b.text, origins: [a.id, b.id] }]);
      }
      replaced.set(i + 1, []);
      touched.add(i).add(i + 1);
    } else if (kind === 'split') {
      const i = pick(
        (k) => isWholeBlock(md, units[k] as Segment) && /。(?=.{20,})/s.test((units[k] as Segment).markdown),
      );
      if (i < 0) continue;
      const a = units[i] as Segment;
      const ends = [...a.markdown.matchAll(/。/g)]
        .map((m) => (m.index as number) + 1)
        .filter((e) => e < a.markdown.length - 20);
      const at = ends[Math.floor(random() * ends.length)] as number;
      edits.push({ start: a.start.offset + at, end: a.start.offset + at, text: '\n\n' });
      replaced.set(i, [
        { text: '', origins: [a.id] },
        { text: '', origins: [a.id] },
      ]);
      touched.add(i);
    } else if (kind === 'delete') {
      const i = pick((k) => isWholeBlock(md, units[k] as Segment));
      if (i < 0) continue;
      const a = units[i] as Segment;
      edits.push({ start: a.start.offset, end: a.end.offset + 2, text: '' });
      replaced.set(i, []);
      touched.add(i);
    } else if (kind === 'add') {
      // Extra material between aligned groups: a paragraph of this translation from far away.
      const i = pick((k) => isWholeBlock(md, units[k] as Segment) && groupEnds.has((units[k] as Segment).id));
      if (i < 0) continue;
      const donors = units
        .map((_, k) => k)
        .filter((k) => Math.abs(k - i) >= 8 && isWholeBlock(md, units[k] as Segment));
      if (donors.length === 0) continue;
      const a = units[i] as Segment;
      const donor = units[donors[Math.floor(random() * donors.length)] as number] as Segment;
      edits.push({ start: a.end.offset, end: a.end.offset, text: `\n\n${donor.markdown}` });
      replaced.set(i, [
        { text: a.text, origins: [a.id] },
        { text: '', origins: [] },
      ]);
      touched.add(i);
    } else if (kind === 'paddle') {
      // A framework tab sits between aligned groups, never inside a merged/split one.
      const i = pick((k) => isWholeBlock(md, units[k] as Segment) && groupEnds.has((units[k] as Segment).id));
      if (i < 0) continue;
      const a = units[i] as Segment;
      edits.push({
        start: a.end.offset,
        end: a.end.offset,
        text: '\n\n:begin_tab:`paddle`\n飞桨版本的说明：这里使用`paddle.jit.to_static`，其余步骤与上面相同。\n:end_tab:',
      });
      replaced.set(i, [
        { text: a.text, origins: [a.id] },
        { text: '', origins: [] },
      ]);
      touched.add(i);
    } else {
      const i = pick((k) => (units[k] as Segment).kind === 'heading' && (units[k] as Segment).depth !== 1);
      if (i < 0) continue;
      const a = units[i] as Segment;
      const hashes = /^#+\s*/.exec(a.markdown)?.[0] ?? '';
      edits.push({ start: a.start.offset, end: a.end.offset, text: `${hashes}另一种说法的小节标题` });
      replaced.set(i, [{ text: '', origins: [a.id] }]);
      touched.add(i);
    }
    applied.push(kind);
  }
  let markdown = md;
  for (const e of [...edits].sort((x, y) => y.start - x.start)) {
    markdown = markdown.slice(0, e.start) + e.text + markdown.slice(e.end);
  }
  const pieces: Piece[] = units.flatMap((u, i) => replaced.get(i) ?? [{ text: u.text, origins: [u.id] }]);
  // Gold: old groups, with old target units mapped to the new unit indices that came from them.
  const newIndex = new Map<string, number[]>();
  pieces.forEach((p, k) => {
    for (const o of p.origins) newIndex.set(o, [...(newIndex.get(o) ?? []), k]);
  });
  const groups = doc.paragraphs.groups.map((g) => ({
    source: g.source.map((r) => doc.sourceRef.get(r)?.id as string),
    target: [...new Set(g.target.flatMap((r) => newIndex.get(doc.targetRef.get(r)?.id as string) ?? []))],
  }));
  // A merged unit joins the groups of both its origins.
  const merged: { source: string[]; target: number[] }[] = [];
  for (const g of groups) {
    const into = merged.find((m) => m.target.some((t) => g.target.includes(t)));
    if (into) {
      into.source.push(...g.source);
      into.target = [...new Set([...into.target, ...g.target])].sort((a, b) => a - b);
    } else merged.push({ source: [...g.source], target: [...g.target].sort((a, b) => a - b) });
  }
  pieces.forEach((p, k) => {
    if (p.origins.length === 0) merged.push({ source: [], target: [k] });
  });
  return { markdown, gold: merged, applied };
}

/** Paragraph P/R/F1 of the aligner on one perturbed document (undefined when the codec's units differ). */
export function perturbedScores(doc: GoldDocument, perturbed: Perturbed): Scores | undefined {
  const target = extractSegments(perturbed.markdown);
  const expected = Math.max(-1, ...perturbed.gold.flatMap((g) => g.target)) + 1;
  if (target.length !== expected) return undefined;
  const index = new Map(target.map((s, i) => [s.id, i]));
  const groups = alignParagraphs(doc.source, target, {
    from: doc.paragraphs.source,
    to: doc.paragraphs.target,
    sourceMarkdown: doc.sourceMarkdown,
    targetMarkdown: perturbed.markdown,
  });
  const key = (s: readonly string[], t: readonly number[]) =>
    `${s.join('+')}=${[...t].sort((a, b) => a - b).join('+')}`;
  return pairScores(
    groups
      .filter((g) => g.source.length > 0 && g.target.length > 0)
      .map((g) =>
        key(
          g.source.map((s) => s.id),
          g.target.map((s) => index.get(s.id) as number),
        ),
      ),
    perturbed.gold
      .filter((g) => g.source.length > 0 && g.target.length > 0)
      .map((g) => key(g.source, g.target)),
  );
}
