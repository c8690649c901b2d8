/**
 * The run report: one JSON object per execution (`reports/<src>-<tgt>/<runId>.json`) and its readable
 * Markdown twin (`<runId>.md`). Field names are a contract (docs/architecture.md "Run report"): tests, dashboards
 * and people read them. Add fields freely; rename none.
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

/** Overall outcome of a run. */
export const RUN_STATUSES = ['SUCCEEDED', 'PARTIAL', 'FAILED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What happened to one document in a run. */
export const DOCUMENT_STATUSES = ['translated', 'unchanged', 'failed', 'orphaned'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Why a unit is listed for review (docs/architecture.md "Run report"; the review page colours by it). */
export const REVIEW_KINDS = ['machine', 'stale', 'fuzzy', 'conflict', 'weak-alignment'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/*
 * Every type of the report is derived from these schemas: a writer's type is the schema's input
 * (`z.input`: fields with a default may be left out), a reader's its output (`z.infer`: defaults filled
 * in). The schemas describe every field the writers write; `RunReportSchema` (the reader's) also keeps
 * fields it does not know, at any depth, and `WrittenRunReportSchema` refuses them.
 */

/**
 * Where the units of a translated document came from. The three review counts were added later: a
 * report read back without them has 0.
 */
export const UnitCountsSchema = z.object({
  /** Prose units (codec segments) in the source document. */
  total: count,
  /** Units whose source did not change: previous output reused as is. */
  reused: count,
  /** Units taken from the human reference translation. */
  fromReference: count,
  /** Units a human post-edited in `translated/`, kept. */
  postEditsKept: count,
  /** Units sent to (and returned by) machine translation in this run. */
  machineTranslated: count,
  /**
   * Units whose English changed since their human text (reference or post-edit) was written: the old
   * human text is listed in `DocumentReport.review` (kind `stale`). Optional extra field; absent = 0.
   */
  stale: count.default(0),
  /** Units whose human text was kept across a small English wording change, for review (`fuzzy`). Absent = 0. */
  fuzzy: count.default(0),
  /** Units where a post-edit and a reference change disagree; both texts are kept in `review` (`conflict`). Absent = 0. */
  conflicts: count.default(0),
});
export type UnitCounts = z.input<typeof UnitCountsSchema>;

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

/** Quality of a document against its human reference (sacrebleu-compatible). */
const DocumentScoresSchema = z.object({
  /** Corpus BLEU over the paired units, 0–100. */
  bleu: z.number(),
  /** Corpus chrF2 over the paired units, 0–100. */
  chrf: z.number(),
  /** Units paired with a reference unit and scored. */
  pairedUnits: count,
  /** sacrebleu signature of the BLEU score, e.g. `nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0`. */
  signature: z.string(),
  /** Units that could not be paired (not scored). Optional extra field. */
  unpairedUnits: count.optional(),
  /** sacrebleu signature of the chrF score. Optional extra field. */
  chrfSignature: z.string().optional(),
});
export type DocumentScores = z.input<typeof DocumentScoresSchema>;

/** One document's line in the run report. */
const DocumentReportFields = z.object({
  /** Path relative to `source/<src>/`, e.g. `chapter_x/y.md`. */
  path: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  /** Characters of this document sent to Amazon Translate in this run. */
  charactersSent: count,
  units: UnitCountsSchema,
  /** `null` when the document has no human reference. */
  scores: DocumentScoresSchema.nullable(),
  warnings: z.array(z.string()),
  /** Why the document failed; `null` otherwise. */
  error: z.string().nullable(),
  /** Every unit of the document a human should look at, in source order. Optional extra field; absent = none. */
  review: z.array(ReviewItemSchema).default([]),
  /** Evaluate with `compareWithoutParallelData`: the plain-Translate job's scores. Optional extra field. */
  scoresWithoutParallelData: DocumentScoresSchema.nullable().optional(),
  /** Evaluate with `compareWithoutParallelData`: characters of this document the plain-Translate job was sent. */
  charactersSentWithoutParallelData: count.optional(),
});
export type DocumentReport = z.input<typeof DocumentReportFields>;

/** One side of an evaluation comparison: a job and the unweighted mean of its document scores. */
const ComparisonSideSchema = z.object({
  jobId: z.string(),
  bleu: z.number().nullable(),
  chrf: z.number().nullable(),
  /** Characters that job was sent. Optional extra field. */
  charactersSent: count.optional(),
});
export type ComparisonSide = z.input<typeof ComparisonSideSchema>;

/** Evaluate with `compareWithoutParallelData`: the ACT job against a plain-Translate job on the same input. */
const ComparisonReportSchema = z.object({
  /** Documents scored by both jobs. */
  documents: count,
  note: z.string(),
  withParallelData: ComparisonSideSchema,
  withoutParallelData: ComparisonSideSchema,
  /** Where the plain-Translate documents were written. */
  output: z.string(),
});
export type ComparisonReport = z.input<typeof ComparisonReportSchema>;

/** The parallel-data resource used by the run. */
const ParallelDataReportSchema = z.object({
  name: z.string(),
  /** Sentence/paragraph pairs in the CSV. */
  pairs: count,
  /** Whether this run created or updated the resource. */
  updated: z.boolean(),
});
export type ParallelDataReport = z.input<typeof ParallelDataReportSchema>;

/** The batch translation job of the run. */
const JobReportSchema = z.object({
  jobId: z.string(),
  /** Amazon Translate job status, e.g. `COMPLETED`, `COMPLETED_WITH_ERROR`, `FAILED`. */
  status: z.string(),
});
export type JobReport = z.input<typeof JobReportSchema>;

/** The run report (docs/architecture.md "Run report"). */
const RunReportFields = z.object({
  runId: z.string(),
  /** Language pair, `<src>-<tgt>`, e.g. `en-zh`. */
  pair: z.string(),
  status: z.enum(RUN_STATUSES),
  /** ISO 8601 timestamps. */
  startedAt: z.string(),
  finishedAt: z.string(),
  /** `null` when the pair has no parallel data (no reference documents). */
  parallelData: ParallelDataReportSchema.nullable(),
  /** `null` when no job was needed. */
  job: JobReportSchema.nullable(),
  charactersSent: count,
  estimatedCostUsd: z.number(),
  documents: z.array(DocumentReportFields),
  /** Run-level warnings. Optional extra field. */
  warnings: z.array(z.string()).optional(),
  /** Run-level error (for FAILED runs). Optional extra field. */
  error: z.object({ name: z.string(), message: z.string() }).nullable().optional(),
  /** True when the run only planned (input `dryRun`). Optional extra field. */
  dryRun: z.boolean().optional(),
  /** `evaluate` for an evaluation run (absent for a sync). Optional extra field. */
  mode: z.enum(['sync', 'evaluate']).optional(),
  /** Evaluate: where the full machine translations were written. Optional extra field. */
  evaluationOutput: z.string().optional(),
  /** Evaluate with `compareWithoutParallelData`. Optional extra field. */
  comparison: ComparisonReportSchema.optional(),
  /** What started the run. Optional extra field. */
  trigger: z.enum(['console', 's3-events']).optional(),
  /** Documents named by the upload events that started the run. Optional extra field. */
  changedDocuments: z.array(z.string()).optional(),
});
/** A run report as its writers build it. */
export type RunReport = z.input<typeof RunReportFields>;
/** A run report as read back: review counts and lists filled in. */
export type ParsedRunReport = z.infer<typeof RunReportFields>;

/**
 * `schema` with every object in it (nested in objects, arrays, nullable, optional and defaulted fields)
 * set to keep (`passthrough`) or refuse (`strict`) the fields it does not declare. Checks, defaults and
 * types are unchanged.
 */
function unknownFields<S extends z.ZodTypeAny>(schema: S, mode: 'passthrough' | 'strict'): S {
  const deep = (s: z.ZodTypeAny): z.ZodTypeAny => {
    if (s instanceof z.ZodObject) {
      const shape = Object.fromEntries(
        Object.entries(s.shape as z.ZodRawShape).map(([key, field]) => [key, deep(field)]),
      );
      return new z.ZodObject({ ...s._def, shape: () => shape, unknownKeys: mode });
    }
    if (s instanceof z.ZodArray) return new z.ZodArray({ ...s._def, type: deep(s.element) });
    if (s instanceof z.ZodNullable) return new z.ZodNullable({ ...s._def, innerType: deep(s.unwrap()) });
    if (s instanceof z.ZodOptional) return new z.ZodOptional({ ...s._def, innerType: deep(s.unwrap()) });
    if (s instanceof z.ZodDefault) return new z.ZodDefault({ ...s._def, innerType: deep(s.removeDefault()) });
    return s;
  };
  return deep(schema) as S;
}

/**
 * One document of a report as read back: `review` defaults to `[]`, the review counts to 0, and fields
 * this version does not know (a newer writer's) are kept.
 */
export const DocumentReportSchema = unknownFields(DocumentReportFields, 'passthrough');

/**
 * A run report as read back from `reports/<pair>/<runId>.json`: defaults filled in, and fields this
 * version does not know (a newer writer's) kept, at any depth — reports gain fields, never lose them.
 */
export const RunReportSchema = unknownFields(RunReportFields, 'passthrough');

/** A run report as this version writes it: every field declared above, no other. */
export const WrittenRunReportSchema = unknownFields(RunReportFields, 'strict');

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
