import { extractSegments, readTranslatedUnits, type Segment } from '../../../lambdas/core/markdown';
import type { DocumentReport } from '../../../lambdas/core/report';
import {
  assembleDocument,
  batchHtml,
  commitRun,
  type DocumentState,
  type PlanDocumentInput,
  parseSyncState,
  planRun,
  type RunPlan,
  type SyncState,
  serializeSyncState,
} from '../../../lambdas/core/sync/api';

/** A book in memory: English sources and translated files by path. */
export interface Book {
  source: Map<string, string>;
  translated: Map<string, string>;
}

/**
 * A stand-in for Amazon Translate: the batch HTML comes back with `译` put in front of every unit's text,
 * through the real codec (`readTranslatedUnits`), so protected content survives as it would.
 */
export function fakeTranslate(html: string): string {
  return html.replace(/(<(?:p|h[1-6]) id="u\d+(?:-s\d+)?">)/g, '$1译');
}

/** Segment extraction is the slow part of a run; tests replan the same texts many times. */
const segmentCache = new Map<string, Segment[]>();
function segmentsOf(markdown: string): Segment[] {
  let segs = segmentCache.get(markdown);
  if (!segs) {
    segs = extractSegments(markdown);
    if (segmentCache.size > 500) segmentCache.clear();
    segmentCache.set(markdown, segs);
  }
  return segs;
}

/** One whole sync run, in the order the handlers follow: plan → batch → job → assemble → write → commit. */
export function syncRun(
  book: Book,
  state: SyncState,
  runId: string,
  opts: {
    referencePairs?: ReadonlyMap<string, string>;
    translate?: (html: string) => string;
    force?: boolean;
    sentenceLevel?: boolean;
    retranslateFuzzy?: boolean;
    /** Extra planning input of one document (its origin file, weak pairs…). */
    perDocument?: (path: string) => Partial<PlanDocumentInput>;
  } = {},
): {
  plan: RunPlan;
  state: SyncState;
  reports: DocumentReport[];
  written: string[];
  batches: Map<string, string>;
} {
  const plan = planRun({
    pair: state.pair,
    state,
    documents: [...book.source].map(([path, md]) => {
      const tr = book.translated.get(path) ?? null;
      return {
        path,
        sourceMarkdown: md,
        source: segmentsOf(md),
        translatedMarkdown: tr,
        translated: tr === null ? null : segmentsOf(tr),
        ...(opts.perDocument?.(path) ?? {}),
      };
    }),
    translatedPaths: [...book.translated.keys()],
    ...(opts.referencePairs ? { referencePairs: opts.referencePairs } : {}),
    ...(opts.force ? { force: true } : {}),
    ...(opts.sentenceLevel ? { sentenceLevel: true } : {}),
    ...(opts.retranslateFuzzy ? { retranslateFuzzy: true } : {}),
  });
  const batches = new Map<string, string>();
  for (const doc of plan.documents) {
    const html = batchHtml(doc, book.source.get(doc.path) as string);
    if (html !== null) batches.set(doc.path, html);
  }
  const jobId = batches.size > 0 ? `job-${runId}` : undefined;
  const assembled = new Map<string, DocumentState | null>();
  const reports: DocumentReport[] = [];
  const written: string[] = [];
  for (const doc of plan.documents) {
    const md = book.source.get(doc.path) as string;
    const html = batches.get(doc.path);
    const out = (opts.translate ?? fakeTranslate)(html ?? '');
    const result = assembleDocument({
      plan: doc,
      sourceMarkdown: md,
      translatedMarkdown: book.translated.get(doc.path) ?? null,
      ...(state.documents[doc.path] ? { previous: state.documents[doc.path] } : {}),
      // Both ways the handler may hand the job output over: the HTML itself, or the units read from it.
      ...(opts.sentenceLevel
        ? { translatedHtml: html ? out : null }
        : { machineUnits: html ? readTranslatedUnits(md, out) : new Map() }),
      ...(jobId ? { jobId } : {}),
      runId,
    });
    if (result.markdown !== null) {
      book.translated.set(doc.path, result.markdown);
      written.push(doc.path);
    }
    assembled.set(doc.path, result.state);
    reports.push(result.report);
  }
  // Only after every document is written; through JSON, as the state store does.
  const next = parseSyncState(serializeSyncState(commitRun(state, assembled, runId)));
  return { plan, state: next, reports, written, batches };
}

/** Replaces the `n`-th (0-based) occurrence-free unique `find` in `text`, failing loudly if absent. */
export function edit(text: string, find: string, replace: string): string {
  const at = text.indexOf(find);
  if (at < 0) throw new Error(`test setup: ${JSON.stringify(find)} not found`);
  return text.slice(0, at) + replace + text.slice(at + find.length);
}
