import type { DocumentReport } from '../report';
import type { DocumentPlan, OrphanedDocument, RunPlan } from './api';

/** The report line of a planned document (what a dry run shows; assembly refines it). */
export function documentReportFromPlan(plan: DocumentPlan): DocumentReport {
  return {
    path: plan.path,
    status: plan.status === 'conflict' ? 'failed' : plan.status === 'unchanged' ? 'unchanged' : 'translated',
    charactersSent: plan.charactersSent,
    units: { ...plan.counts },
    scores: null,
    warnings: [...plan.warnings],
    error: plan.error,
  };
}

/** The report line of an orphaned document: kept, never deleted. */
export function orphanReport(orphan: OrphanedDocument): DocumentReport {
  return {
    path: orphan.path,
    status: 'orphaned',
    charactersSent: 0,
    units: { total: 0, reused: 0, fromReference: 0, postEditsKept: 0, machineTranslated: 0 },
    scores: null,
    warnings: [
      `no English source any more (found in: ${orphan.foundIn.join(', ')}); its translation is kept, not deleted`,
    ],
    error: null,
  };
}

/** Report lines of a whole plan: documents, then orphans. */
export function reportFromPlan(plan: Pick<RunPlan, 'documents' | 'orphaned'>): DocumentReport[] {
  return [...plan.documents.map(documentReportFromPlan), ...plan.orphaned.map(orphanReport)];
}
