/**
 * Paragraph alignment of a document with its translation.
 *
 * Both documents become a sequence of items: the codec's units (headings, paragraphs, list items,
 * table cells, captions, image alt texts) interleaved with structural markers read from the Markdown
 * between units (code cells, display math, `:label:`/`:eqlabel:` keys, `:begin_tab:` framework tabs).
 * A Gale–Church style dynamic program aligns the two sequences; markers only pair with markers of the
 * same kind (a label only with the same label), so they act as anchors, and a multi-unit bead can
 * never span a code cell or an equation. Unit beads are priced by length (per language pair), shared
 * anchors (role keys, inline math and code, numbers, Latin terms), unit kind and heading depth.
 */
import { InvalidInputError } from '../errors';
import type { Segment } from '../markdown/types';
import { alignSequences, type Bead, lengthCost, type Move } from './dp';
import { type Anchors, anchorCost, anchorsOf, lengthIn, lengthModel } from './features';

/** Aligned units: 1-1, 1-0, 0-1, 2-1, 1-2, 2-2 (and 3-1, 1-3); a swap gives two crossing 1-1 groups. */
export interface AlignedGroup {
  source: Segment[];
  target: Segment[];
  /** Cost of the group in nats (−log probability); lower is more certain. */
  cost: number;
  /**
   * Set on 1-0 and 0-1 groups made by the confidence rule: the DP paired these units, but too
   * uncertainly (see `P.groupMaxCost`, `P.pairMaxCost`); left out rather than risk a wrong pair.
   */
  untrusted?: true;
}

export interface AlignOptions {
  /** Source language code (e.g. `en`). */
  from: string;
  /** Target language code (e.g. `zh`). */
  to: string;
  /**
   * The Markdown the source segments were extracted from. With it, code cells, display math,
   * labels and framework tabs between units become anchors; without it only the units are used.
   */
  sourceMarkdown?: string;
  /** The Markdown the target segments were extracted from (see `sourceMarkdown`). */
  targetMarkdown?: string;
}

/** A unit or a structural marker in the sequence the DP aligns. */
export type Item =
  | {
      type: 'unit';
      segment: Segment;
      kind: string;
      depth: number;
      /** Framework tab the unit is in (`:begin_tab:` names), '' outside tabs. */
      tab: string;
      length: number;
      anchors: Anchors;
      /** In a framework tab the other document does not have (zh `paddle`): never paired. */
      orphan: boolean;
    }
  | { type: 'mark'; cls: 'code' | 'math' | 'label' | 'tab'; key: string };

type Unit = Extract<Item, { type: 'unit' }>;

/** Costs in nats. Priors from counts on the gold (see README of test/fixtures/align). */
const P = {
  oneOne: -Math.log(0.9),
  deletion: -Math.log(0.006),
  twoOne: -Math.log(0.03),
  twoTwo: -Math.log(0.004),
  threeOne: -Math.log(0.004),
  swap: 3,
  /**
   * Confidence: a group of 3+ units costing more than this is not trusted; only its 1-1 sub-pairs
   * costing at most `subPairMaxCost` are kept, its other units are left unpaired. A 1-1 group costing
   * more than `pairMaxCost` is left unpaired. Chosen on the tuning gold (test/core/align/gold.ts):
   * its costliest correct groups cost 6.04 (a 1-4) and 5.88 (a 1-1). `pairMaxCost` stays above
   * `oneOne + lengthCap`: two units that are wrong on length alone are still each other's best guess.
   */
  groupMaxCost: 7,
  pairMaxCost: 9.5,
  subPairMaxCost: 3,
  headingDepth: 4,
  lengthCap: 8,
  kindMismatch: 2.5,
} as const;

const MARK_DELETION: Record<string, number> = { code: 2.5, math: 2.5, label: 5, tab: 2.5 };
const UNIT_MOVES: readonly Move[] = [
  [1, 1],
  [1, 0],
  [0, 1],
  [2, 1],
  [1, 2],
  [2, 2],
  [3, 1],
  [1, 3],
  [4, 1],
  [1, 4],
  'swap',
];

/** Cells of the DP matrix above which a document pair is refused (memory: 8 bytes per cell, ×2). */
const MAX_CELLS = 4_000_000;

function unitCost(
  source: readonly Item[],
  target: readonly Item[],
  model: { c: number; s2: number },
): number {
  const s = source as readonly Unit[];
  const t = target as readonly Unit[];
  const n = s.length;
  const m = t.length;
  const first = (s[0] ?? t[0]) as Unit;
  let headings = 0;
  let orphans = 0;
  let ls = 0;
  let lt = 0;
  let sameKinds = true;
  for (const u of s) {
    if (u.tab !== first.tab) return Number.POSITIVE_INFINITY;
    if (u.kind === 'heading') headings++;
    if (u.orphan) orphans++;
    if (u.kind !== first.kind) sameKinds = false;
    ls += u.length;
  }
  for (const u of t) {
    if (u.tab !== first.tab) return Number.POSITIVE_INFINITY;
    if (u.kind === 'heading') headings++;
    if (u.orphan) orphans++;
    if (u.kind !== first.kind) sameKinds = false;
    lt += u.length;
  }
  if (orphans > 0) return n + m === 1 ? 0 : Number.POSITIVE_INFINITY;
  let cost = 0;
  if (headings > 0) {
    if (n > 1 || m > 1 || headings !== n + m) return Number.POSITIVE_INFINITY;
    if (n === 1 && m === 1 && s[0]?.depth !== t[0]?.depth) cost += P.headingDepth;
  } else if (n > 0 && m > 0 && !sameKinds) {
    cost += P.kindMismatch;
  }
  if (n === 0 || m === 0) cost += P.deletion;
  else if (n === 1 && m === 1) cost += P.oneOne;
  else if (n + m === 3) cost += P.twoOne;
  else if (n === 2 && m === 2) cost += P.twoTwo;
  else cost += P.threeOne;
  // Gale–Church's length cost grows like √length for a unit without counterpart, which makes the
  // DP glue a dropped paragraph onto its neighbour (a wrong 2-1); a flat prior plus the anchors the
  // unit carries prices a deletion better.
  // Capped: the variance grows only linearly with length, so two very long units that are each
  // other's only candidates (a 100 kB paragraph) would otherwise be cheaper to leave unpaired.
  if (n > 0 && m > 0) cost += Math.min(lengthCost(ls, lt, model), P.lengthCap);
  return cost + anchorCost(s, t);
}

/** Cost of a bead over items: markers pair only with markers of the same class. */
function itemCost(
  source: readonly Item[],
  target: readonly Item[],
  model: { c: number; s2: number },
): number {
  const first = source[0] ?? target[0];
  if (!first) return 0;
  const marks =
    source.filter((x) => x.type === 'mark').length + target.filter((x) => x.type === 'mark').length;
  if (marks === 0) return unitCost(source, target, model);
  if (source.length + target.length > 2 || marks !== source.length + target.length)
    return Number.POSITIVE_INFINITY;
  const a = source[0] as Extract<Item, { type: 'mark' }> | undefined;
  const b = target[0] as Extract<Item, { type: 'mark' }> | undefined;
  if (!a || !b) return MARK_DELETION[(a ?? b)?.cls ?? 'code'] ?? 3;
  if (a.cls !== b.cls) return Number.POSITIVE_INFINITY;
  switch (a.cls) {
    case 'label':
      return a.key === b.key ? -3 : Number.POSITIVE_INFINITY;
    case 'math':
      return a.key === b.key ? -1 : 0.5;
    case 'tab':
      return a.key === b.key ? -1 : 1.5;
    default:
      return -0.5;
  }
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LABEL = /:(?:label|eqlabel):`([^`]+)`/g;
const BEGIN_TAB = /:begin_tab:`([^`]*)`/;
const END_TAB = /:end_tab:/;

/** Reads the structural markers in a stretch of Markdown between two units. */
function scanGap(gap: string, state: { fence: string | null; math: string[] | null; tab: string }): Item[] {
  const out: Item[] = [];
  const push = (item: Extract<Item, { type: 'mark' }>) => {
    const last = out[out.length - 1];
    if (item.cls === 'code' && last?.type === 'mark' && last.cls === 'code') return;
    out.push(item);
  };
  for (const line of gap.split('\n')) {
    const trimmed = line.trim();
    if (state.fence !== null) {
      if (trimmed.startsWith(state.fence) && trimmed.replace(/[`~]/g, '') === '') state.fence = null;
      continue;
    }
    if (state.math !== null) {
      if (trimmed.endsWith('$$')) {
        state.math.push(trimmed.slice(0, -2));
        push({ type: 'mark', cls: 'math', key: state.math.join('').replace(/\s+/g, '') });
        state.math = null;
      } else state.math.push(trimmed);
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      state.fence = fence[1] as string;
      push({ type: 'mark', cls: 'code', key: '' });
      continue;
    }
    if (trimmed.startsWith('$$')) {
      const body = trimmed.slice(2);
      if (body.trimEnd().endsWith('$$')) {
        push({ type: 'mark', cls: 'math', key: body.trimEnd().slice(0, -2).replace(/\s+/g, '') });
      } else state.math = [body];
    }
    for (const m of trimmed.matchAll(LABEL)) push({ type: 'mark', cls: 'label', key: m[1] as string });
    const begin = BEGIN_TAB.exec(trimmed);
    if (begin) {
      state.tab = (begin[1] as string).replace(/\s+/g, '');
      push({ type: 'mark', cls: 'tab', key: state.tab });
    } else if (END_TAB.test(trimmed)) state.tab = '';
  }
  return out;
}

/** Builds the item sequence of one document. */
export function buildItems(segments: readonly Segment[], lang: string, markdown?: string): Item[] {
  const model = { c: 1 };
  return buildItemsWith(segments, lang, markdown, model);
}

function buildItemsWith(
  segments: readonly Segment[],
  lang: string,
  markdown: string | undefined,
  model: { c: number },
): Item[] {
  const sorted = [...segments].sort((a, b) => a.start.offset - b.start.offset);
  const items: Item[] = [];
  const state = { fence: null as string | null, math: null as string[] | null, tab: '' };
  let cursor = 0;
  for (const segment of sorted) {
    if (markdown !== undefined && segment.start.offset >= cursor) {
      items.push(...scanGap(markdown.slice(cursor, segment.start.offset), state));
      cursor = segment.end.offset;
    }
    // Directive lines at a unit's edges are cut out of it by the codec (and read from the gap above);
    // one in the middle of a unit stays in its Markdown, so look there too.
    const begin = BEGIN_TAB.exec(segment.markdown);
    const tab = begin ? (begin[1] as string).replace(/\s+/g, '') : state.tab;
    state.tab = END_TAB.test(segment.markdown) ? '' : tab;
    items.push({
      type: 'unit',
      segment,
      kind: segment.kind,
      depth: segment.depth ?? 0,
      tab,
      length: lengthIn(segment.text, lang, model),
      anchors: anchorsOf(segment.text, lang),
      orphan: false,
    });
    // A `:label:` left inside a unit (not on an edge line) still marks a boundary.
    for (const m of segment.markdown.matchAll(LABEL))
      items.push({ type: 'mark', cls: 'label', key: m[1] as string });
  }
  if (markdown !== undefined) items.push(...scanGap(markdown.slice(cursor), state));
  return items;
}

/**
 * Aligns the units of a document (`source`) with the units of its translation (`target`).
 * Returns every unit exactly once, in order (groups follow the source order; a swapped pair gives
 * two groups whose targets cross). 1-0 and 0-1 groups are units without a counterpart.
 */
export function alignParagraphs(
  source: readonly Segment[],
  target: readonly Segment[],
  opts: AlignOptions,
): AlignedGroup[] {
  const model = lengthModel(opts.from, opts.to);
  const src = buildItemsWith(source, opts.from, opts.sourceMarkdown, model);
  const tgt = buildItemsWith(target, opts.to, opts.targetMarkdown, model);
  markOrphans(src, tgt);
  markOrphans(tgt, src);
  const beads: Bead[] = [];
  const anchors = labelAnchors(src, tgt);
  let i0 = 0;
  let j0 = 0;
  // Between two labels found once on each side and in the same order, the alignment is independent:
  // align the stretches separately (the DP is quadratic), and pair the labels themselves.
  for (const [i, j] of [...anchors, [src.length, tgt.length] as const]) {
    const s = src.slice(i0, i);
    const t = tgt.slice(j0, j);
    if ((s.length + 1) * (t.length + 1) > MAX_CELLS) {
      throw new InvalidInputError(
        `alignParagraphs: ${s.length} × ${t.length} items between two anchors is too large to align (limit ${MAX_CELLS} cells)`,
      );
    }
    const part = alignSequences(s, t, {
      moves: UNIT_MOVES,
      cost: (a, b) => itemCost(a, b, model),
      swapCost: P.swap,
    });
    for (const b of part)
      beads.push({ ...b, sourceStart: b.sourceStart + i0, targetStart: b.targetStart + j0 });
    if (i < src.length) {
      beads.push({ sourceStart: i, sourceCount: 1, targetStart: j, targetCount: 1, swapped: false, cost: 0 });
    }
    i0 = i + 1;
    j0 = j + 1;
  }
  return beadsToGroups(beads, src, tgt, model);
}

/**
 * Positions `[i, j]` of label markers whose key occurs exactly once on each side, keeping the longest
 * chain that is increasing on both sides (so anchors never cross).
 */
function labelAnchors(src: readonly Item[], tgt: readonly Item[]): [number, number][] {
  const positions = (items: readonly Item[]) => {
    const at = new Map<string, number>();
    const seen = new Set<string>();
    items.forEach((x, k) => {
      if (x.type !== 'mark' || x.cls !== 'label') return;
      if (seen.has(x.key)) at.delete(x.key);
      else at.set(x.key, k);
      seen.add(x.key);
    });
    return at;
  };
  const a = positions(src);
  const b = positions(tgt);
  const pairs = [...a].flatMap(([key, i]) =>
    b.has(key) ? [[i, b.get(key) as number] as [number, number]] : [],
  );
  pairs.sort((x, y) => x[0] - y[0]);
  // Longest increasing subsequence in j (O(n log n) patience sorting with back links).
  const tails: number[] = [];
  const prev: number[] = new Array(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k++) {
    const j = (pairs[k] as [number, number])[1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((pairs[tails[mid] as number] as [number, number])[1] < j) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[k] = tails[lo - 1] as number;
    tails[lo] = k;
  }
  const chain: [number, number][] = [];
  for (let k = tails.at(-1) ?? -1; k >= 0; k = prev[k] as number) chain.push(pairs[k] as [number, number]);
  return chain.reverse();
}

/** Marks the units of `items` that sit in a framework tab absent from `other`. */
function markOrphans(items: Item[], other: readonly Item[]): void {
  const tabs = new Set<string>();
  for (const x of other) if (x.type === 'unit') for (const name of x.tab.split(',')) tabs.add(name);
  for (const x of items) {
    if (x.type === 'unit' && x.tab !== '' && x.tab.split(',').every((name) => !tabs.has(name)))
      x.orphan = true;
  }
}

function beadsToGroups(
  beads: readonly Bead[],
  src: readonly Item[],
  tgt: readonly Item[],
  model: { c: number; s2: number },
): AlignedGroup[] {
  const groups: AlignedGroup[] = [];
  const unitsOf = (items: readonly Item[]): Unit[] => items.filter((x): x is Unit => x.type === 'unit');
  for (const bead of beads) {
    const s = src.slice(bead.sourceStart, bead.sourceStart + bead.sourceCount);
    const t = tgt.slice(bead.targetStart, bead.targetStart + bead.targetCount);
    const su = unitsOf(s);
    const tu = unitsOf(t);
    if (bead.swapped) {
      const [s1, s2] = su;
      const [t1, t2] = tu;
      if (s1 && s2 && t1 && t2) {
        groups.push({ source: [s1.segment], target: [t2.segment], cost: bead.cost / 2 });
        groups.push({ source: [s2.segment], target: [t1.segment], cost: bead.cost / 2 });
        continue;
      }
    }
    if (su.length + tu.length === 0) continue;
    if (su.length > 0 && tu.length > 0) {
      const limit = su.length + tu.length > 2 ? P.groupMaxCost : P.pairMaxCost;
      if (bead.cost > limit) {
        groups.push(...untrustedGroup(su, tu, model));
        continue;
      }
    }
    groups.push({ source: su.map((u) => u.segment), target: tu.map((u) => u.segment), cost: bead.cost });
  }
  return groups;
}

/**
 * An untrusted group: keeps the 1-1 sub-pairs (monotone, greedy by cost) that cost at most
 * `P.subPairMaxCost`; every other unit becomes a 1-0 or 0-1 group marked `untrusted`.
 */
function untrustedGroup(
  su: readonly Unit[],
  tu: readonly Unit[],
  model: { c: number; s2: number },
): AlignedGroup[] {
  const candidates: { i: number; j: number; cost: number }[] = [];
  if (su.length + tu.length > 2) {
    su.forEach((a, i) => {
      tu.forEach((b, j) => {
        const cost = unitCost([a], [b], model);
        if (cost <= P.subPairMaxCost) candidates.push({ i, j, cost });
      });
    });
  }
  candidates.sort((x, y) => x.cost - y.cost);
  const pairs: { i: number; j: number; cost: number }[] = [];
  for (const c of candidates) {
    if (pairs.every((p) => (p.i < c.i && p.j < c.j) || (p.i > c.i && p.j > c.j))) pairs.push(c);
  }
  const pairOfSource = new Map(pairs.map((p) => [p.i, p]));
  const pairedTargets = new Set(pairs.map((p) => p.j));
  const out: AlignedGroup[] = [];
  let j = 0;
  const flushTargets = (upTo: number) => {
    for (; j < upTo; j++) {
      const unit = tu[j] as Unit;
      if (!pairedTargets.has(j)) out.push({ source: [], target: [unit.segment], cost: 0, untrusted: true });
    }
  };
  su.forEach((a, i) => {
    const p = pairOfSource.get(i);
    if (p) {
      flushTargets(p.j);
      out.push({ source: [a.segment], target: [(tu[p.j] as Unit).segment], cost: p.cost });
      j = p.j + 1;
    } else out.push({ source: [a.segment], target: [], cost: 0, untrusted: true });
  });
  flushTargets(tu.length);
  return out;
}
