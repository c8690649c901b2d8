/**
 * Sequence matching for synchronisation: which unit of one version is which unit of the other.
 * Identity is by content (hash or normalised text), order-aware: a longest common subsequence first
 * (insertions, deletions, edits), then leftovers with equal content are paired as moves.
 */

/** Cells of the LCS table above which the middle part is matched greedily instead (hostile input). */
const MAX_LCS_CELLS = 4_000_000;

/**
 * Longest common subsequence of two key sequences, as index pairs `[i in a, j in b]` in increasing order.
 * Common prefix and suffix are matched first, so the usual "one paragraph changed" costs O(n).
 */
export function lcsPairs(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    pairs.push([start, start]);
    start++;
  }
  let endA = a.length;
  let endB = b.length;
  const suffix: Array<[number, number]> = [];
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
    suffix.push([endA, endB]);
  }
  const n = endA - start;
  const m = endB - start;
  if (n > 0 && m > 0) {
    if (n * m <= MAX_LCS_CELLS) pairs.push(...lcsTable(a, b, start, endA, start, endB));
    else pairs.push(...greedyInOrder(a, b, start, endA, start, endB));
  }
  suffix.reverse();
  pairs.push(...suffix);
  return pairs;
}

function lcsTable(
  a: readonly string[],
  b: readonly string[],
  a0: number,
  a1: number,
  b0: number,
  b1: number,
): Array<[number, number]> {
  const n = a1 - a0;
  const m = b1 - b0;
  // table[i][j] = LCS length of a[a0+i..a1) and b[b0+j..b1)
  const table = new Int32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => table[i * (m + 1) + j] as number;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] =
        a[a0 + i] === b[b0 + j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[a0 + i] === b[b0 + j]) {
      pairs.push([a0 + i, b0 + j]);
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) i++;
    else j++;
  }
  return pairs;
}

/** Order-preserving greedy match (each b takes the next equal a after the last match): O(n + m) with an index. */
function greedyInOrder(
  a: readonly string[],
  b: readonly string[],
  a0: number,
  a1: number,
  b0: number,
  b1: number,
): Array<[number, number]> {
  const positions = new Map<string, number[]>();
  for (let i = a0; i < a1; i++) {
    const key = a[i] as string;
    const list = positions.get(key);
    if (list) list.push(i);
    else positions.set(key, [i]);
  }
  const pairs: Array<[number, number]> = [];
  let last = a0 - 1;
  for (let j = b0; j < b1; j++) {
    const list = positions.get(b[j] as string);
    if (!list) continue;
    while (list.length > 0 && (list[0] as number) <= last) list.shift();
    const i = list.shift();
    if (i === undefined) continue;
    pairs.push([i, j]);
    last = i;
  }
  return pairs;
}

/**
 * For every element of `next`, the index of the same element in `previous`, or `undefined` when it is new.
 * Each previous element is used at most once (multiset): LCS first, then moves (equal keys out of order).
 */
export function matchSequences(
  previous: readonly string[],
  next: readonly string[],
): Array<number | undefined> {
  const result: Array<number | undefined> = new Array(next.length).fill(undefined);
  const used = new Array<boolean>(previous.length).fill(false);
  for (const [i, j] of lcsPairs(previous, next)) {
    result[j] = i;
    used[i] = true;
  }
  const free = new Map<string, number[]>();
  previous.forEach((key, i) => {
    if (used[i]) return;
    const list = free.get(key);
    if (list) list.push(i);
    else free.set(key, [i]);
  });
  next.forEach((key, j) => {
    if (result[j] !== undefined) return;
    const i = free.get(key)?.shift();
    if (i !== undefined) result[j] = i;
  });
  return result;
}

/** Whitespace-insensitive form used to compare unit texts (wrapping and trailing spaces are not edits). */
export function normalizeForCompare(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
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
