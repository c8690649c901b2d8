/**
 * A unit whose English changed after a human text (reference or post-edit) was written for it: what
 * still fits is kept — sentence by sentence where the human text splits like its English — and what
 * changed is sent (planning step 3, for stale human text and edited machine units).
 */

import type { Segment } from '../markdown/types';
import { billedCharacters } from './cost';
import { classifyChange } from './human';
import { matchSequences, normalizeForCompare, predecessors } from './match';
import { joinSentences, splitSourceSentences, splitTargetSentences, validSourcePieces } from './sentences';
import type { PartialPiece, ReviewFlag, UnitDecision, UnitOrigin } from './types';

/** The sentences of an edited unit: which keep their current translation, which are sent. */
export interface SentencePlan {
  pieces: PartialPiece[];
  /** Characters of the sentences sent. */
  sent: number;
  /** Sentences sent (new, removed-and-replaced or rewritten). */
  changed: number;
  /** Why kept sentences are only close to the new English (small wording changes). */
  fuzzy: string[];
}

/**
 * The sentence plan of an edited unit, or `null` when its sentences cannot be matched safely: the current
 * translation must split into as many sentences as the English it was written for (`oldEnglish`, plain
 * text). New sentences equal to an old one (markup aside) keep that sentence's translation; a sentence
 * edited in place keeps it too when only its markup changed, or — for a human text, unless
 * `retranslateFuzzy` — when the change is small (fuzzy); every other sentence is sent.
 */
export function sentencePlan(
  seg: Segment,
  oldEnglish: string,
  oldSentenceHashes: readonly string[] | undefined,
  currentTarget: string,
  opts: { human: boolean; retranslateFuzzy: boolean },
): SentencePlan | null {
  // Quoted and image units carry markup inside their Markdown (`> ` prefixes, `![…](…)`): whole units only.
  if (seg.kind === 'blockquote' || seg.kind === 'image-alt' || /\n[ \t]*>/.test(currentTarget)) return null;
  const olds = splitSourceSentences(oldEnglish);
  if (oldSentenceHashes && oldSentenceHashes.length !== olds.length) return null;
  const targets = splitTargetSentences(currentTarget);
  if (targets.length !== olds.length) return null;
  const pieces = splitSourceSentences(seg.markdown);
  const texts = validSourcePieces(pieces, seg.text);
  if (!texts) return null;
  const match = matchSequences(
    olds.map((t) => normalizeForCompare(t)),
    texts.map((t) => normalizeForCompare(t)),
  );
  const inPlace = new Map(predecessors(match, olds.length));
  const fuzzy: string[] = [];
  let changed = 0;
  const out: PartialPiece[] = pieces.map((piece, k) => {
    let j = match[k];
    const edited = j === undefined ? inPlace.get(k) : undefined;
    if (edited !== undefined) {
      const change = classifyChange(olds[edited] as string, texts[k] as string);
      if (change.kind === 'markup') j = edited;
      else if (change.kind === 'fuzzy' && opts.human && !opts.retranslateFuzzy) {
        j = edited;
        fuzzy.push(`sentence ${k + 1}: ${change.reason}`);
      }
    }
    if (j !== undefined) return { kind: 'reuse', markdown: targets[j] as string };
    changed++;
    return {
      kind: 'send',
      id: `${seg.id}-s${k + 1}`,
      markdown: piece.trim(),
      characters: billedCharacters(texts[k] as string),
    };
  });
  const sent = out.reduce((n, p) => n + (p.kind === 'send' ? p.characters : 0), 0);
  // Mostly rewritten: the whole unit gives Translate better context for the same money.
  if (sent > 0.7 * billedCharacters(seg.text)) return null;
  return { pieces: out, sent, changed, fuzzy };
}

/** Base fields of a decision (everything but the action and target). */
export type DecisionBase = Omit<UnitDecision, 'action'>;

/**
 * The decision for a unit whose English changed after a human text (reference or post-edit) was written
 * for it: markup-only → the human text stays; otherwise, sentence by sentence where the human text splits
 * like its English, the unchanged and slightly changed sentences stay and the others are sent; without a
 * sentence match, a small change keeps the whole human text (fuzzy) and anything else sends the unit.
 * Every outcome but markup-only is flagged for review with the old English and the old human text.
 */
export function staleDecision(
  base: DecisionBase,
  seg: Segment,
  stale: { english: string; text: string; origin: UnitOrigin },
  opts: { sentenceLevel: boolean; retranslateFuzzy: boolean; separator: string },
): UnitDecision {
  const old = { previousSource: stale.english, previousHuman: stale.text };
  const change = classifyChange(stale.english, seg.text);
  const keep = (target: string, review?: ReviewFlag): UnitDecision => ({
    ...base,
    action: 'reuse',
    targetMarkdown: target,
    origin: stale.origin,
    characters: 0,
    ...(review ? { review } : {}),
  });
  if (change.kind === 'markup') return keep(stale.text);
  const plan = opts.sentenceLevel
    ? sentencePlan(seg, stale.english, undefined, stale.text, { human: true, ...opts })
    : null;
  if (plan && plan.sent === 0) {
    const target = joinSentences(plan.pieces.map((p) => p.markdown));
    return plan.fuzzy.length === 0
      ? keep(target)
      : keep(target, { kind: 'fuzzy', reason: plan.fuzzy.join('; '), ...old });
  }
  if (plan) {
    return {
      ...base,
      action: 'machine',
      partial: { separator: opts.separator, pieces: plan.pieces },
      characters: plan.sent,
      review: {
        kind: 'stale',
        reason: `the English changed after the human translation was written: ${plan.changed} of ${plan.pieces.length} sentence(s) machine-translated, the others kept${plan.fuzzy.length > 0 ? ` (${plan.fuzzy.join('; ')})` : ''}`,
        ...old,
      },
    };
  }
  if (change.kind === 'fuzzy' && !opts.retranslateFuzzy)
    return keep(stale.text, { kind: 'fuzzy', reason: change.reason, ...old });
  return {
    ...base,
    action: 'machine',
    characters: billedCharacters(seg.text),
    review: {
      kind: 'stale',
      reason: `the English changed after the human translation was written (${change.reason}): the unit was machine-translated`,
      ...old,
    },
  };
}
