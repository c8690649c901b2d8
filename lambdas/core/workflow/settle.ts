/**
 * Assemble's half of "a no-op costs a listing" (issue 17): for each document it wrote, Assemble Batch
 * does what the next Plan would do — reads the document's four objects with the ETag and size a listing
 * would show, and plans them against the state about to be committed. When that plan finds the document
 * up to date, the commit records it as settled (core/sync/changes.ts, the state's index), so the first
 * run after a write reads nothing of it. The record is made by the same functions Plan uses
 * (`planDocumentInput`, `planRun`, `settledChanges`), from texts and stamps read together, so it says
 * exactly what Plan would have found at that listing; any later change of an object changes the listing
 * and the document is planned again. Pure: the handler does the reads.
 */
import { type DocumentState, planRun, SYNC_STATE_VERSION, staleReferenceUnits } from '../sync/api';
import { type ObjectStamp, type SettledDocument, settledChanges } from '../sync/changes';
import { type LanguagePair, pairId } from './names';
import { planDocumentInput } from './plan-documents';

/** An object as read: its text and the stamp a listing shows for it. */
export interface ReadObject {
  text: string;
  stamp: ObjectStamp;
}

/** The document's objects as read after the write (`null`: absent). */
export interface WrittenDocumentObjects {
  source: ReadObject | null;
  translated: ReadObject | null;
  reference: ReadObject | null;
  /** `reference/<tgt>/<name>_origin.md` (used only beside a reference, listed always). */
  origin: ReadObject | null;
}

/**
 * The settled record of a document just written, or `null` when the next Plan must plan it anyway:
 * its English or translated file is gone, its plan is not `unchanged` (someone changed an object
 * since the run planned), or it cannot be planned at all.
 */
export function settledAfterWrite(input: {
  pair: LanguagePair;
  path: string;
  objects: WrittenDocumentObjects;
  /** The document's sync state as this run commits it. */
  state: DocumentState;
  options: { sentenceLevel?: boolean | undefined; retranslateFuzzy?: boolean | undefined };
}): SettledDocument | null {
  const { pair, path, objects } = input;
  const { source, translated, reference, origin } = objects;
  if (!source || !translated) return null;
  try {
    const doc = planDocumentInput(pair, {
      path,
      source: source.text,
      translated: translated.text,
      reference: reference?.text ?? null,
      origin: reference ? (origin?.text ?? null) : null,
    });
    const id = pairId(pair);
    const plan = planRun({
      pair: id,
      state: { version: SYNC_STATE_VERSION, pair: id, lastRunId: null, documents: { [path]: input.state } },
      documents: [doc],
      ...(input.options.sentenceLevel !== undefined ? { sentenceLevel: input.options.sentenceLevel } : {}),
      ...(input.options.retranslateFuzzy ? { retranslateFuzzy: true } : {}),
    });
    const listing = {
      source: source.stamp,
      translated: translated.stamp,
      reference: reference?.stamp ?? null,
      origin: origin?.stamp ?? null,
    };
    const changes = settledChanges({
      plan,
      read: [path],
      listings: new Map([[path, listing]]),
      known: new Map(),
      staleUnits: staleReferenceUnits(plan.documents, { documents: {} }),
    });
    return changes.get(path) ?? null;
  } catch {
    return null; // the next Plan reads it and reports what is wrong
  }
}
