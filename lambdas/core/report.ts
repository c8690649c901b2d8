/**
 * The run report: one JSON object per execution (`reports/<src>-<tgt>/<runId>.json`) and its readable
 * Markdown twin (`<runId>.md`). Field names are a contract (docs/architecture.md "Run report"): tests, dashboards
 * and people read them. Add fields freely; rename none.
 */
import { z } from 'zod';

/** Overall outcome of a run. */
export type RunStatus = 'SUCCEEDED' | 'PARTIAL' | 'FAILED';

/** What happened to one document in a run. */
export type DocumentStatus = 'translated' | 'unchanged' | 'failed' | 'orphaned';

/** Where the units of a translated document came from. */
export interface UnitCounts {
  /** Prose units (codec segments) in the source document. */
  total: number;
  /** Units whose source did not change: previous output reused as is. */
  reused: number;
  /** Units taken from the human reference translation. */
  fromReference: number;
  /** Units a human post-edited in `translated/`, kept. */
  postEditsKept: number;
  /** Units sent to (and returned by) machine translation in this run. */
  machineTranslated: number;
  /**
   * Units whose English changed since their human text (reference or post-edit) was written: the old
   * human text is listed in `DocumentReport.review` (kind `stale`). Optional extra field; absent = 0.
   */
  stale?: number;
  /** Units whose human text was kept across a small English wording change, for review (`fuzzy`). Absent = 0. */
  fuzzy?: number;
  /** Units where a post-edit and a reference change disagree; both texts are kept in `review` (`conflict`). Absent = 0. */
  conflicts?: number;
}

/** Why a unit is listed for review (docs/architecture.md "Run report"; the review page colours by it). */
export const REVIEW_KINDS = ['machine', 'stale', 'fuzzy', 'conflict', 'weak-alignment'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

const count = z.number().int().nonnegative();

/**
 * One unit a translator should look at (`DocumentReport.review[]`): machine-translated in this run,
 * stale (its human text was written for older English), fuzzy (human text kept across a small
 * wording change), a conflict (a post-edit and a changed reference disagree) or a weakly aligned
 * reference pair. Texts are the unit's Markdown; `line` is 1-based in `source/<src>/<path>`.
 */
export const ReviewItemSchema = z.object({
  /** `Segment.id` in the current English source (`u12`). */
  unitId: z.string().min(1),
  kind: z.enum(REVIEW_KINDS),
  /** One sentence for a person: why this unit is listed. */
  reason: z.string(),
  /** 1-based line of the unit in the English source file. */
  line: z.number().int().positive(),
  /** The current English unit. */
  source: z.string(),
  /** The target text now in `translated/<tgt>/` (for `stale`: the new machine text). */
  translation: z.string(),
  /** `stale`/`fuzzy`: the English the human text was written for. */
  previousSource: z.string().optional(),
  /** `stale`/`fuzzy`: the human text as it was (reference or post-edit). */
  previousHuman: z.string().optional(),
  /** `conflict`/`weak-alignment`: the reference translation of the unit. */
  reference: z.string().optional(),
  /** `conflict`: the translator's post-edit in `translated/<tgt>/`. */
  postEdit: z.string().optional(),
  /** Evaluate with `compareWithoutParallelData`: the plain-Translate job's text of the unit. */
  withoutParallelData: z.string().optional(),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;

/** `UnitCounts` as read back from a report: the three review counts default to 0 when absent. */
export const UnitCountsSchema = z.object({
  total: count,
  reused: count,
  fromReference: count,
  postEditsKept: count,
  machineTranslated: count,
  stale: count.default(0),
  fuzzy: count.default(0),
  conflicts: count.default(0),
});

const ScoresSchema = z
  .object({
    bleu: z.number(),
    chrf: z.number(),
    pairedUnits: count,
    signature: z.string(),
    unpairedUnits: count.optional(),
    chrfSignature: z.string().optional(),
  })
  .passthrough();

/** One document of a report as read back (extra fields kept; `review` defaults to `[]`). */
export const DocumentReportSchema = z
  .object({
    path: z.string(),
    status: z.enum(['translated', 'unchanged', 'failed', 'orphaned']),
    charactersSent: count,
    units: UnitCountsSchema,
    scores: ScoresSchema.nullable(),
    warnings: z.array(z.string()),
    error: z.string().nullable(),
    review: z.array(ReviewItemSchema).default([]),
    scoresWithoutParallelData: ScoresSchema.nullable().optional(),
  })
  .passthrough();

/** A run report as read back from `reports/<pair>/<runId>.json` (extra fields kept). */
export const RunReportSchema = z
  .object({
    runId: z.string(),
    pair: z.string(),
    status: z.enum(['SUCCEEDED', 'PARTIAL', 'FAILED']),
    startedAt: z.string(),
    finishedAt: z.string(),
    parallelData: z.object({ name: z.string(), pairs: count, updated: z.boolean() }).nullable(),
    job: z.object({ jobId: z.string(), status: z.string() }).passthrough().nullable(),
    charactersSent: count,
    estimatedCostUsd: z.number(),
    documents: z.array(DocumentReportSchema),
    warnings: z.array(z.string()).optional(),
    error: z.object({ name: z.string(), message: z.string() }).nullable().optional(),
    dryRun: z.boolean().optional(),
  })
  .passthrough();
export type ParsedRunReport = z.infer<typeof RunReportSchema>;

/** Quality of a document against its human reference (sacrebleu-compatible). */
export interface DocumentScores {
  /** Corpus BLEU over the paired units, 0–100. */
  bleu: number;
  /** Corpus chrF2 over the paired units, 0–100. */
  chrf: number;
  /** Units paired with a reference unit and scored. */
  pairedUnits: number;
  /** sacrebleu signature of the BLEU score, e.g. `nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0`. */
  signature: string;
  /** Units that could not be paired (not scored). Optional extra field. */
  unpairedUnits?: number;
  /** sacrebleu signature of the chrF score. Optional extra field. */
  chrfSignature?: string;
}

/** One document's line in the run report. */
export interface DocumentReport {
  /** Path relative to `source/<src>/`, e.g. `chapter_x/y.md`. */
  path: string;
  status: DocumentStatus;
  /** Characters of this document sent to Amazon Translate in this run. */
  charactersSent: number;
  units: UnitCounts;
  /** `null` when the document has no human reference. */
  scores: DocumentScores | null;
  warnings: string[];
  /** Why the document failed; `null` otherwise. */
  error: string | null;
  /** Every unit of the document a human should look at, in source order. Optional extra field; absent = none. */
  review?: ReviewItem[];
  /** Evaluate with `compareWithoutParallelData`: the plain-Translate job's scores. Optional extra field. */
  scoresWithoutParallelData?: DocumentScores | null;
  /** Evaluate with `compareWithoutParallelData`: characters of this document the plain-Translate job was sent. */
  charactersSentWithoutParallelData?: number;
}

/** One side of an evaluation comparison: a job and the unweighted mean of its document scores. */
export interface ComparisonSide {
  jobId: string;
  bleu: number | null;
  chrf: number | null;
  /** Characters that job was sent. Optional extra field. */
  charactersSent?: number;
}

/** Evaluate with `compareWithoutParallelData`: the ACT job against a plain-Translate job on the same input. */
export interface ComparisonReport {
  /** Documents scored by both jobs. */
  documents: number;
  note: string;
  withParallelData: ComparisonSide;
  withoutParallelData: ComparisonSide;
  /** Where the plain-Translate documents were written. */
  output: string;
}

/** The parallel-data resource used by the run. */
export interface ParallelDataReport {
  name: string;
  /** Sentence/paragraph pairs in the CSV. */
  pairs: number;
  /** Whether this run created or updated the resource. */
  updated: boolean;
}

/** The batch translation job of the run. */
export interface JobReport {
  jobId: string;
  /** Amazon Translate job status, e.g. `COMPLETED`, `COMPLETED_WITH_ERROR`, `FAILED`. */
  status: string;
}

/** The run report (docs/architecture.md "Run report"). */
export interface RunReport {
  runId: string;
  /** Language pair, `<src>-<tgt>`, e.g. `en-zh`. */
  pair: string;
  status: RunStatus;
  /** ISO 8601 timestamps. */
  startedAt: string;
  finishedAt: string;
  /** `null` when the pair has no parallel data (no reference documents). */
  parallelData: ParallelDataReport | null;
  /** `null` when no job was needed. */
  job: JobReport | null;
  charactersSent: number;
  estimatedCostUsd: number;
  documents: DocumentReport[];
  /** Run-level warnings. Optional extra field. */
  warnings?: string[];
  /** Run-level error (for FAILED runs). Optional extra field. */
  error?: { name: string; message: string } | null;
  /** True when the run only planned (input `dryRun`). Optional extra field. */
  dryRun?: boolean;
  /** `evaluate` for an evaluation run (absent for a sync). Optional extra field. */
  mode?: 'sync' | 'evaluate';
  /** Evaluate: where the full machine translations were written. Optional extra field. */
  evaluationOutput?: string;
  /** Evaluate with `compareWithoutParallelData`. Optional extra field. */
  comparison?: ComparisonReport;
  /** What started the run. Optional extra field. */
  trigger?: 'console' | 's3-events';
  /** Documents named by the upload events that started the run. Optional extra field. */
  changedDocuments?: string[];
}

/** Escapes text for a Markdown table cell: pipes, newlines and HTML-significant characters. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/**
 * Inline code span that survives any backticks in `text`. Line breaks become spaces (a code span
 * cannot hold them in a table or list item). In a table cell `|` is escaped, which GFM requires
 * even inside code spans there (it renders as `|`).
 */
function code(text: string, inTable = false): string {
  let flat = text.replace(/\r\n|\r|\n/g, ' ');
  if (inTable) flat = flat.replace(/\|/g, '\\|');
  let longest = 0;
  for (const m of flat.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function integer(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n);
}

function score(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(2);
}

function usd(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return `$${n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 4 : 2)}`;
}

/**
 * Renders a run report as readable Markdown: a header (run, pair, status, times, job, parallel
 * data, characters, cost), one table row per document (status, BLEU, chrF, characters sent, unit
 * origins), then every warning and error. Pure: the same report always gives the same text.
 */
export function renderReportMarkdown(report: RunReport): string {
  const lines: string[] = [];
  lines.push(`# AMTS run ${cell(report.runId)}`, '');
  lines.push('| | |', '|---|---|');
  lines.push(`| Pair | ${cell(report.pair)} |`);
  lines.push(`| Status | **${cell(report.status)}**${report.dryRun ? ' (dry run)' : ''} |`);
  lines.push(`| Started | ${cell(report.startedAt)} |`);
  lines.push(`| Finished | ${cell(report.finishedAt)} |`);
  lines.push(
    `| Translation job | ${report.job ? `${code(report.job.jobId, true)} (${cell(report.job.status)})` : 'none needed'} |`,
  );
  const pd = report.parallelData;
  lines.push(
    `| Parallel data | ${
      pd
        ? `${code(pd.name, true)}: ${integer(pd.pairs)} pairs, ${pd.updated ? 'updated' : 'unchanged'}`
        : 'none'
    } |`,
  );
  lines.push(`| Characters sent | ${integer(report.charactersSent)} |`);
  lines.push(`| Estimated cost | ${usd(report.estimatedCostUsd)} |`);
  lines.push(`| Documents | ${integer(report.documents.length)} |`);
  if (report.mode === 'evaluate') {
    lines.push(
      `| Mode | evaluate${report.evaluationOutput ? `: output in ${code(report.evaluationOutput, true)}` : ''} |`,
    );
  }
  lines.push('');
  lines.push(
    `Review page: [${cell(report.runId)}.html](${encodeURIComponent(report.runId)}.html) — every unit to look at, the English beside the translation.`,
    '',
  );

  const cmp = report.comparison;
  if (cmp) {
    lines.push('## With and without parallel data', '');
    lines.push(
      `The same ${integer(cmp.documents)} document(s) translated twice; ${cell(cmp.note)}.`,
      '',
      '| Translation | Job | Characters sent | BLEU | chrF |',
      '|---|---|--:|--:|--:|',
    );
    for (const [label, side] of [
      ['with parallel data (ACT)', cmp.withParallelData],
      ['without parallel data', cmp.withoutParallelData],
    ] as const) {
      lines.push(
        `| ${label} | ${code(side.jobId, true)} | ${side.charactersSent === undefined ? '–' : integer(side.charactersSent)} | ${score(side.bleu ?? undefined)} | ${score(side.chrf ?? undefined)} |`,
      );
    }
    lines.push('', `Output without parallel data: ${code(cmp.output)}`, '');
    const compared = report.documents.filter((d) => d.scoresWithoutParallelData !== undefined);
    if (compared.length > 0) {
      lines.push(
        '| Document | BLEU with | BLEU without | chrF with | chrF without | Characters sent (both jobs) |',
        '|---|--:|--:|--:|--:|--:|',
      );
      for (const d of compared) {
        const w = d.scoresWithoutParallelData ?? null;
        lines.push(
          `| ${code(d.path, true)} | ${score(d.scores?.bleu)} | ${score(w?.bleu)} | ${score(d.scores?.chrf)} | ${score(w?.chrf)} | ${integer(d.charactersSent)} |`,
        );
      }
      lines.push('');
    }
  }

  if (report.error) {
    lines.push('## Error', '', `**${cell(report.error.name)}**: ${cell(report.error.message)}`, '');
  }

  lines.push('## Documents', '');
  if (report.documents.length === 0) {
    lines.push('No documents.', '');
  } else {
    lines.push(
      '| Document | Status | BLEU | chrF | Paired | Characters sent | Units | Reused | From reference | Post-edits kept | Machine-translated | Warnings |',
      '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    );
    for (const d of report.documents) {
      const s = d.scores;
      const paired = s
        ? `${integer(s.pairedUnits)}${s.unpairedUnits ? ` (+${integer(s.unpairedUnits)} unpaired)` : ''}`
        : '–';
      lines.push(
        `| ${code(d.path, true)} | ${cell(d.status)} | ${score(s?.bleu)} | ${score(s?.chrf)} | ${paired} | ${integer(
          d.charactersSent,
        )} | ${integer(d.units.total)} | ${integer(d.units.reused)} | ${integer(d.units.fromReference)} | ${integer(
          d.units.postEditsKept,
        )} | ${integer(d.units.machineTranslated)} | ${integer(d.warnings.length)} |`,
      );
    }
    lines.push('');
    const signatures = [...new Set(report.documents.flatMap((d) => (d.scores ? [d.scores.signature] : [])))];
    if (signatures.length > 0) {
      lines.push(`BLEU signature: ${signatures.map((x) => code(x)).join(', ')}`, '');
    }
  }

  const problems = report.documents.filter((d) => d.warnings.length > 0 || d.error !== null);
  if ((report.warnings?.length ?? 0) > 0 || problems.length > 0) {
    lines.push('## Warnings and errors', '');
    for (const w of report.warnings ?? []) lines.push(`- ${cell(w)}`);
    for (const d of problems) {
      if (d.error !== null) lines.push(`- ${code(d.path)} **error**: ${cell(d.error)}`);
      for (const w of d.warnings) lines.push(`- ${code(d.path)}: ${cell(w)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
