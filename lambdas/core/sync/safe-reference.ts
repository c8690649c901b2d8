/**
 * When a human translation may stand in for an English unit: the checks Plan and the reference
 * alignment share (kept apart from the planner so the reference side does not depend on it).
 */
import type { Segment } from '../markdown/types';

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
