import type { DocumentReport, ReviewItem, UnitCounts } from '../report';
import type { DocumentPlan, OrphanedDocument, RunPlan, UnitDecision } from './types';

/** Unit counts of a document with no units. */
export function emptyUnitCounts(): Required<UnitCounts> {
  return {
    total: 0,
    reused: 0,
    fromReference: 0,
    postEditsKept: 0,
    machineTranslated: 0,
    stale: 0,
    fuzzy: 0,
    conflicts: 0,
  };
}

/**
 * The review entry of a unit, or `null` when it needs none: its review flag (stale, fuzzy, conflict, weak
 * alignment), or `machine` for a unit machine-translated in this run.
 * @param translation what is (or, in a plan, will be) written to `translated/` for the unit.
 */
export function reviewEntry(u: UnitDecision, translation: string): ReviewItem | null {
  const flag = u.review;
  if (!flag && u.action !== 'machine') return null;
  const sent = u.partial?.pieces.filter((p) => p.kind === 'send').length ?? 0;
  const entry: ReviewItem = {
    unitId: u.unitId,
    kind: flag?.kind ?? 'machine',
    reason:
      flag?.reason ??
      (u.partial
        ? `machine-translated in this run: ${sent} of ${u.partial.pieces.length} sentence(s), the others kept their translation`
        : 'machine-translated in this run'),
    line: Math.max(1, u.line ?? 1),
    source: u.sourceMarkdown ?? u.sourceText,
    translation,
  };
  if (flag?.previousSource !== undefined) entry.previousSource = flag.previousSource;
  if (flag?.previousHuman !== undefined) entry.previousHuman = flag.previousHuman;
  if (flag?.reference !== undefined) entry.reference = flag.reference;
  if (flag?.postEdit !== undefined) entry.postEdit = flag.postEdit;
  return entry;
}

/** The report line of a planned document (what a dry run shows; assembly refines it). */
export function documentReportFromPlan(plan: DocumentPlan): DocumentReport {
  return {
    path: plan.path,
    status: plan.status === 'conflict' ? 'failed' : plan.status === 'unchanged' ? 'unchanged' : 'translated',
    charactersSent: plan.charactersSent,
    units: { ...emptyUnitCounts(), ...plan.counts },
    scores: null,
    warnings: [...plan.warnings],
    error: plan.error,
    review: plan.units.flatMap((u) => reviewEntry(u, u.targetMarkdown ?? '') ?? []),
  };
}

/** The report line of an orphaned document: kept, never deleted. */
export function orphanReport(orphan: OrphanedDocument): DocumentReport {
  return {
    path: orphan.path,
    status: 'orphaned',
    charactersSent: 0,
    units: emptyUnitCounts(),
    scores: null,
    warnings: [
      `no English source any more (found in: ${orphan.foundIn.join(', ')}); its translation is kept, not deleted`,
    ],
    error: null,
    review: [],
  };
}

/** Report lines of a whole plan: documents, then orphans. */
export function reportFromPlan(plan: Pick<RunPlan, 'documents' | 'orphaned'>): DocumentReport[] {
  return [...plan.documents.map(documentReportFromPlan), ...plan.orphaned.map(orphanReport)];
}
