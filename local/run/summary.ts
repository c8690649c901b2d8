/**
 * The run report as the terminal shows it at the end of `amts run` / `amts demo`: documents, unit
 * origins, parallel data, job, characters and cost, one line per document, the comparison of an
 * evaluation. A dry run says so on every figure ("would"): nothing was sent or written.
 */
import { join } from 'node:path';
import type { DocumentReport, DocumentScores, RunReport } from '../../lambdas/core/report';
import type { LanguagePair } from '../../lambdas/core/workflow/names';
import { causeMessage } from '../../lambdas/core/workflow/step-error';
import { apertiumTranslator } from '../emulator/apertium';
import type { SyncSummary } from './book-sync';
import type { ExecutionOutcome } from './execution';

/** Scores as people read them (two decimals; the JSON keeps full precision). */
function scores(s: DocumentScores | null | undefined): string {
  return s ? `BLEU ${s.bleu.toFixed(2)} chrF ${s.chrf.toFixed(2)}` : '';
}

/** Why a document has no scores, in words. */
function notScored(d: DocumentReport, dry: boolean): string {
  if (dry) return 'not scored (dry run)';
  if (d.status === 'unchanged') return 'not scored (unchanged)';
  if (d.status === 'failed') return 'not scored (failed)';
  if (d.status === 'orphaned') return 'not scored (orphaned)';
  return 'no reference';
}

const PLANNED: Record<DocumentReport['status'], string> = {
  translated: 'to translate',
  unchanged: 'unchanged',
  failed: 'failed',
  orphaned: 'orphaned',
};

/** The summary lines of a run report. */
export function reportSummaryLines(r: RunReport): string[] {
  const lines: string[] = [];
  const dry = r.dryRun === true;
  const docs = r.documents ?? [];
  const sum = (f: (d: DocumentReport) => number | undefined) => docs.reduce((n, d) => n + (f(d) || 0), 0);
  const statuses = ['translated', 'unchanged', 'failed', 'orphaned'] as const;
  if (dry) {
    lines.push(
      'DRY RUN: nothing was sent to Amazon Translate and nothing written to translated/ or the sync state; the figures are what a run would do',
    );
  }
  lines.push(
    `Documents: ${docs.length} (${statuses
      .map((s) => `${docs.filter((d) => d.status === s).length} ${dry ? PLANNED[s] : s}`)
      .join(', ')})`,
  );
  const review = [
    ['stale', sum((d) => d.units?.stale)],
    ['fuzzy', sum((d) => d.units?.fuzzy)],
    ['conflicts', sum((d) => d.units?.conflicts)],
  ]
    .filter(([, n]) => (n as number) > 0)
    .map(([k, n]) => `, ${n} ${k}`)
    .join('');
  lines.push(
    `Units: ${sum((d) => d.units?.total)} total, ${sum((d) => d.units?.reused)} reused, ${sum((d) => d.units?.fromReference)} from reference, ${sum((d) => d.units?.postEditsKept)} post-edits kept, ${sum((d) => d.units?.machineTranslated)} ${dry ? 'to machine-translate' : 'machine-translated'}${review}`,
  );
  lines.push(
    `Parallel data: ${r.parallelData ? `${r.parallelData.name}, ${r.parallelData.pairs} pairs, ${r.parallelData.updated ? 'updated' : 'unchanged'}` : dry ? 'not built (dry run)' : 'none'}`,
  );
  const cost = `estimated cost: $${(r.estimatedCostUsd ?? 0).toFixed(4)}`;
  if (dry) {
    lines.push('Job: none started (dry run)');
    lines.push(`Characters that would be sent: ${r.charactersSent}, ${cost}`);
  } else {
    lines.push(`Job: ${r.job ? `${r.job.jobId} ${r.job.status}` : 'none (nothing to translate)'}`);
    lines.push(`Characters sent: ${r.charactersSent}, ${cost}`);
  }
  const cmp = r.comparison;
  if (cmp) {
    for (const [label, side] of [
      ['With parallel data   ', cmp.withParallelData],
      ['Without parallel data', cmp.withoutParallelData],
    ] as const) {
      const s =
        side.bleu === null
          ? 'not scored'
          : `BLEU ${side.bleu.toFixed(2)} chrF ${(side.chrf ?? 0).toFixed(2)}`;
      lines.push(
        `${label}: job ${side.jobId}, ${s}${side.charactersSent === undefined ? '' : `, sent ${side.charactersSent} chars`} (mean of ${cmp.documents} document(s))`,
      );
    }
  }
  for (const d of docs) {
    const without =
      d.scoresWithoutParallelData !== undefined
        ? `  without parallel data: ${scores(d.scoresWithoutParallelData) || 'not scored'}`
        : '';
    const sent = dry ? `would send ${d.charactersSent} chars` : `sent ${d.charactersSent} chars`;
    const reviewCount = d.review?.length ?? 0;
    lines.push(
      `  ${(dry ? PLANNED[d.status] : d.status).padEnd(12)} ${d.path}  ${scores(d.scores) || notScored(d, dry)}${without}  ${sent}${reviewCount > 0 ? `  ${reviewCount} to review` : ''}${d.error ? `  error: ${d.error}` : ''}`,
    );
  }
  return lines;
}

/** One line: what the Translate emulator translates with for the pair (Apertium when installed for it). */
export function machineTranslatorLine(pair: LanguagePair): string {
  const t = apertiumTranslator(pair.source, pair.target);
  return 'missing' in t
    ? `Machine translation: none for ${pair.source}→${pair.target} (${t.missing}); sentences without an exact parallel-data match stay English`
    : `Machine translation: ${t.name} for sentences without an exact parallel-data match`;
}

/** The final summary: documents, units reused, characters sent, cost, scores, outputs. */
export function summaryLines(
  outcome: ExecutionOutcome,
  out: string,
  down: SyncSummary,
  ms: number,
): string[] {
  const lines: string[] = [''];
  const r = outcome.report;
  lines.push(
    `Run ${outcome.runId}: execution ${outcome.status}${r ? `, report ${r.status}` : ''} in ${(ms / 1000).toFixed(1)} s (${outcome.states.length} state transitions)`,
  );
  if (outcome.error) lines.push(`Error: ${outcome.error.name}: ${causeMessage(outcome.error.cause)}`);
  if (r) lines.push(...reportSummaryLines(r));
  else if (outcome.reportMissing) lines.push(`No report: ${outcome.reportMissing}`);
  for (const k of down.kept ?? []) {
    lines.push(
      `Kept your edit of ${k.key} (changed during the run); the machine version is ${k.machineCopy}: merge by hand`,
    );
  }
  if (down.replaced?.length) {
    lines.push(
      `Replaced ${down.replaced.length} file(s) in translated/; their previous text is kept in ${down.historyDir} (the local bucket keeps no version history)`,
    );
  }
  for (const k of down.rejected ?? []) lines.push(`Ignored bucket key ${JSON.stringify(k.key)}: ${k.reason}`);
  const translated = down.downloaded.filter((k) => k.startsWith('translated/'));
  lines.push(
    `Outputs: ${join(out, 'translated')} (${translated.length} file(s) written), ${join(out, 'reports')}`,
  );
  if (r) lines.push(`Review page: ${join(out, ...outcome.reportKey.replace(/\.json$/, '.html').split('/'))}`);
  const reportPath = r ? join(out, ...outcome.reportKey.split('/')) : '(no report written)';
  lines.push(reportPath);
  return lines;
}
