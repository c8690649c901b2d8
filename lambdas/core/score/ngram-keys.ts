/**
 * Exact integer n-gram keys and a reusable clipped-match table, shared by BLEU and chrF.
 *
 * Items (tokens, characters) are interned once per corpus, then renumbered 1..V within each
 * segment. An n-gram is then the integer `id1·B^(n-1) + … + idn` with B = V+1: exact while
 * B^maxOrder ≤ 2^53, and distinct across orders (an n-gram of order n lies in [B^(n-1), B^n)).
 * Callers fall back to string keys when a segment has too many distinct items.
 */

/** The largest integer key range that is exact in a double. */
export const MAX_EXACT_KEY = 2 ** 53;

/**
 * Beyond this many n-grams in one segment the reusable table would grow to hundreds of MB (it is
 * sized for every n-gram, distinct or not); callers use a map of distinct n-grams instead.
 */
export const MAX_TABLE_ENTRIES = 1 << 20;

/** True when n-grams up to `order` over `distinct` items get exact integer keys. */
export function exactKeys(distinct: number, order: number): boolean {
  return (distinct + 1) ** order <= MAX_EXACT_KEY;
}

/** Interns items once, and numbers them 1..V anew for each segment (`begin()`). */
export class LocalIds {
  private readonly strings = new Map<string, number>();
  private readonly astral = new Map<number, number>();
  private readonly units = new Int32Array(0x10000);
  private next = 0;
  private stamp = new Int32Array(1024);
  private local = new Int32Array(1024);
  private generation = 0;
  /** Distinct items seen since `begin()`; the key base is `distinct + 1`. */
  distinct = 0;

  begin(): void {
    this.generation++;
    this.distinct = 0;
  }

  /** Local id of a token (one-unit tokens, e.g. every CJK character, skip string hashing). */
  token(t: string): number {
    if (t.length === 1) return this.unit(t.charCodeAt(0));
    let g = this.strings.get(t);
    if (g === undefined) {
      g = this.fresh();
      this.strings.set(t, g);
    }
    return this.localOf(g);
  }

  /** Local id of a code point. */
  codePoint(cp: number): number {
    if (cp < 0x10000) return this.unit(cp);
    let g = this.astral.get(cp);
    if (g === undefined) {
      g = this.fresh();
      this.astral.set(cp, g);
    }
    return this.localOf(g);
  }

  private unit(u: number): number {
    let g = (this.units[u] as number) - 1;
    if (g < 0) {
      g = this.fresh();
      this.units[u] = g + 1;
    }
    return this.localOf(g);
  }

  private fresh(): number {
    const g = this.next++;
    if (g >= this.stamp.length) {
      let n = this.stamp.length;
      while (n <= g) n *= 2;
      const stamp = new Int32Array(n);
      stamp.set(this.stamp);
      const local = new Int32Array(n);
      local.set(this.local);
      this.stamp = stamp;
      this.local = local;
    }
    return g;
  }

  private localOf(g: number): number {
    if (this.stamp[g] !== this.generation) {
      this.stamp[g] = this.generation;
      this.local[g] = ++this.distinct;
    }
    return this.local[g] as number;
  }
}

/**
 * Clipped n-gram matching with an open-addressing hash table reused for every segment: a slot is
 * live when its stamp equals the current generation, so nothing is cleared or allocated per use.
 * Add the reference's n-grams, then each hypothesis occurrence: the c-th occurrence of an n-gram
 * matches while the reference has at least c of it (sum of min(hyp count, ref count)).
 */
export class MatchTable {
  private bits = 10;
  private keys = new Float64Array(1 << 10);
  private ref = new Int32Array(1 << 10);
  private seen = new Int32Array(1 << 10);
  private stamp = new Int32Array(1 << 10);
  private generation = 0;

  /** Starts a new, empty table for up to `entries` distinct keys. */
  begin(entries: number): void {
    let bits = this.bits;
    while (1 << bits < 2 * entries) bits++;
    if (bits !== this.bits) {
      this.bits = bits;
      this.keys = new Float64Array(1 << bits);
      this.ref = new Int32Array(1 << bits);
      this.seen = new Int32Array(1 << bits);
      this.stamp = new Int32Array(1 << bits);
      this.generation = 0;
    }
    this.generation++;
  }

  /** Counts one reference n-gram. */
  addRef(key: number): void {
    const k = this.slot(key);
    this.ref[k] = (this.ref[k] as number) + 1;
  }

  /** Counts one hypothesis n-gram; true when this occurrence is matched (clipped). */
  hit(key: number): boolean {
    const k = this.slot(key);
    const c = (this.seen[k] as number) + 1;
    this.seen[k] = c;
    return c <= (this.ref[k] as number);
  }

  private slot(key: number): number {
    const mask = (1 << this.bits) - 1;
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    let i = (Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> (32 - this.bits)) & mask;
    while (this.stamp[i] === this.generation) {
      if (this.keys[i] === key) return i;
      i = (i + 1) & mask;
    }
    this.stamp[i] = this.generation;
    this.keys[i] = key;
    this.ref[i] = 0;
    this.seen[i] = 0;
    return i;
  }
}
