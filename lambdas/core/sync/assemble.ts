/**
 * Assembly: the translated document = the English skeleton (code, math, markup byte-identical) with every
 * unit replaced by its target, and human edits between units carried over; plus the state to commit.
 */
import { InvalidInputError } from '../errors';
import { sha256 } from '../hash';
import {
  extractSegments,
  lineEndingOf,
  readTranslatedUnits,
  toTranslateHtml,
  withLineEnding,
} from '../markdown';
import type { DocumentReport } from '../report';
import { gapHash, planDocument } from './plan';
import { documentReportFromPlan, reviewEntry } from './report';
import { joinSentences, sentenceHash, splitSourceSentences } from './sentences';
import type {
  DocumentPlan,
  DocumentState,
  MachineUnit,
  PartialPiece,
  SyncState,
  UnitOrigin,
  UnitState,
} from './types';

/** Input of {@link assembleDocument}. */
export interface AssembleInput {
  plan: DocumentPlan;
  /** The English Markdown the plan was made from. */
  sourceMarkdown: string;
  /**
   * The translated file as it stands NOW (read again after the job: a human may have edited it while the
   * job ran; the document is then re-planned against it so that the edit is kept). `null` if absent.
   */
  translatedMarkdown: string | null;
  /** The document's state the plan was made from (`undefined` on the first run). */
  previous?: DocumentState;
  /**
   * `readTranslatedUnits(sourceMarkdown, jobOutputHtml)` for the plan's machine units (empty map if no job).
   * Optional when `translatedHtml` is given (then read from it).
   */
  machineUnits?: ReadonlyMap<string, MachineUnit>;
  /** The job output HTML of this document; required for units sent sentence by sentence (`partial`). */
  translatedHtml?: string | null;
  /** Job that produced `machineUnits`. */
  jobId?: string;
  runId: string;
  /**
   * Whether the run plans edited units sentence by sentence (as `planRun`'s `sentenceLevel`): used when the
   * document is re-planned. Default: whether the plan sent any unit sentence by sentence.
   */
  sentenceLevel?: boolean;
  /** As `planRun`'s `retranslateFuzzy` (used when the document is re-planned). */
  retranslateFuzzy?: boolean;
}

/** Result of {@link assembleDocument}. */
export interface AssembleResult {
  /** The new translated document; `null` when the file must not be written (unchanged or conflict). */
  markdown: string | null;
  /** The document's new state; `null` to keep the previous entry as it is. */
  state: DocumentState | null;
  report: DocumentReport;
}

function stripBom(text: string): { bom: string; body: string } {
  return text.startsWith('\uFEFF') ? { bom: '\uFEFF', body: text.slice(1) } : { bom: '', body: text };
}

/** Re-plans a document against the translated file as it is now, keeping the plan's reference choices. */
function replan(input: AssembleInput): DocumentPlan {
  const { plan } = input;
  // The plan's human references as they were judged (origin file, stale or current), unit by unit.
  const humans = plan.units.map((u) =>
    u.reference === undefined
      ? undefined
      : {
          markdown: u.reference,
          current: u.referenceSource === undefined,
          ...(u.referenceSource !== undefined ? { previousSource: u.referenceSource } : {}),
          known: u.review?.kind !== 'weak-alignment',
          ...(u.review?.kind === 'weak-alignment' ? { weak: u.review.reason } : {}),
        },
  );
  const fresh = planDocument({
    path: plan.path,
    sourceMarkdown: input.sourceMarkdown,
    source: extractSegments(input.sourceMarkdown, { file: `source/${plan.path}` }),
    translatedMarkdown: input.translatedMarkdown,
    translated:
      input.translatedMarkdown === null
        ? null
        : extractSegments(input.translatedMarkdown, { file: `translated/${plan.path}` }),
    humans,
    ...(plan.referenceUnits ? { referenceUnits: plan.referenceUnits } : {}),
    ...(input.previous ? { previous: input.previous } : {}),
    ...(input.retranslateFuzzy ? { retranslateFuzzy: true } : {}),
    sentenceLevel: input.sentenceLevel ?? plan.units.some((u) => u.partial !== undefined),
  });
  // The job translated what the plan sent: read every machine unit the way it was sent. A fresh sentence
  // plan is kept only when it sends the same sentences (its kept sentences may hold a human edit made
  // meanwhile); otherwise the planned unit decides (whole unit, or the planned sentences).
  const before = new Map(plan.units.map((u) => [u.unitId, u]));
  fresh.units = fresh.units.map((u) => {
    const was = before.get(u.unitId);
    if (u.action !== 'machine' || was?.action !== 'machine' || was.sourceHash !== u.sourceHash) return u;
    if (was.review && !u.review) u = { ...u, review: was.review };
    if (was.partial && u.partial && sameSends(was.partial.pieces, u.partial.pieces)) {
      return { ...u, partial: { separator: was.partial.separator, pieces: u.partial.pieces } };
    }
    const { partial: _fresh, ...whole } = u;
    return was.partial ? { ...whole, partial: was.partial, characters: was.characters } : whole;
  });
  fresh.warnings.unshift(
    `translated/${plan.path} changed while the job ran: re-planned against the current file`,
  );
  // What was sent is what was sent, whatever the new plan would send.
  fresh.charactersSent = plan.charactersSent;
  return fresh;
}

/** Whether two sentence plans send the same sentences (same ids, same English). */
function sameSends(a: readonly PartialPiece[], b: readonly PartialPiece[]): boolean {
  const sends = (ps: readonly PartialPiece[]) =>
    ps.flatMap((p) => (p.kind === 'send' ? [`${p.id}\u0000${p.markdown}`] : [])).join('\u0001');
  return sends(a) === sends(b);
}

/** Builds the translated document from reused, reference and machine units, and its new state. */
export function assembleDocument(input: AssembleInput): AssembleResult {
  if (sha256(input.sourceMarkdown) !== input.plan.sourceDocumentHash) {
    throw new InvalidInputError(
      `${input.plan.path}: the English document differs from the one the plan was made from (plan and source of different runs?)`,
    );
  }
  const nowHash = input.translatedMarkdown === null ? null : sha256(input.translatedMarkdown);
  if (input.plan.forced || nowHash === input.plan.translatedDocumentHash) return build(input, input.plan);
  // The file changed since planning. A retried assembly finds its own output there: nothing to re-plan.
  const planned = build(input, input.plan);
  if (planned.markdown !== null && planned.markdown === input.translatedMarkdown) return planned;
  return build(input, replan(input));
}

function build(input: AssembleInput, plan: DocumentPlan): AssembleResult {
  const report = documentReportFromPlan(plan);
  if (plan.status !== 'translate') return { markdown: null, state: null, report };

  const { bom, body } = stripBom(input.sourceMarkdown);
  const html = input.translatedHtml ?? null;
  const machineUnits =
    input.machineUnits ??
    (html === null ? new Map<string, MachineUnit>() : readTranslatedUnits(input.sourceMarkdown, html));
  const pieceTranslations = readPieceTranslations(plan, html);
  const overrides = new Map(plan.gapOverrides.map((g) => [g.index, g.markdown]));
  const gaps: string[] = [];
  /** The English stretches (the base of the next run's three-way comparison), whatever was written. */
  const sourceGaps: string[] = [];
  const targets: string[] = [];
  const units: UnitState[] = [];
  const review: NonNullable<DocumentReport['review']> = [];
  let machineTranslated = 0;
  let cursor = 0;
  plan.units.forEach((u, i) => {
    sourceGaps.push(body.slice(cursor, u.start));
    gaps.push(overrides.get(i) ?? (sourceGaps[i] as string));
    cursor = u.end;
    let target: string;
    let origin: UnitOrigin;
    let jobId: string | undefined;
    if (u.action === 'machine' && u.partial) {
      const composed = composePartial(u.partial, pieceTranslations);
      if (typeof composed === 'string') {
        target = composed;
        origin = 'machine';
        jobId = input.jobId;
        machineTranslated++;
      } else {
        target = body.slice(u.start, u.end);
        origin = 'source-fallback';
        report.warnings.push(
          `unit ${u.unitId}: ${composed.problem}; the English is kept and the unit is sent again next run`,
        );
      }
    } else if (u.action === 'machine') {
      const got = machineUnits.get(u.unitId);
      if (got && got.problems.length === 0) {
        target = got.markdown;
        origin = 'machine';
        jobId = input.jobId;
        machineTranslated++;
      } else {
        target = body.slice(u.start, u.end);
        origin = 'source-fallback';
        report.warnings.push(
          got
            ? `unit ${u.unitId}: the translation damaged protected content (${got.problems.map((p) => `${p.where} ${p.kind}: ${p.detail}`).join('; ')}); the English is kept and the unit is sent again next run`
            : `unit ${u.unitId}: missing from the job output; the English is kept and the unit is sent again next run`,
        );
      }
    } else {
      target = u.targetMarkdown ?? body.slice(u.start, u.end);
      origin = u.origin ?? 'machine';
      jobId = u.jobId;
    }
    targets.push(target);
    const unit: UnitState = {
      sourceHash: u.sourceHash,
      sourceText: u.sourceText,
      kind: u.kind,
      targetMarkdown: target,
      origin,
    };
    if (jobId) unit.jobId = jobId;
    if (u.reference !== undefined) unit.reference = u.reference;
    if (u.referenceSource !== undefined) unit.referenceSource = u.referenceSource;
    if (u.review) unit.review = u.review;
    const entry = origin === 'source-fallback' && !u.review ? null : reviewEntry(u, target);
    if (entry) review.push(entry);
    const sentences = splitSourceSentences(body.slice(u.start, u.end));
    if (sentences.length > 1) unit.sentenceHashes = sentences.map(sentenceHash);
    units.push(unit);
  });
  sourceGaps.push(body.slice(cursor));
  gaps.push(overrides.get(plan.units.length) ?? (sourceGaps[plan.units.length] as string));
  // Against what was requested (the original plan): a re-plan may reuse a unit a human edited meanwhile.
  const requested = new Set(input.plan.machineUnitIds);
  const unexpected = [...machineUnits.keys()].filter((id) => !requested.has(id));
  if (unexpected.length > 0) {
    report.warnings.push(
      `job output has units that were not requested, ignored: ${unexpected.slice(0, 10).join(', ')}`,
    );
  }

  let assembled = '';
  targets.forEach((t, i) => {
    assembled += gaps[i] + t;
  });
  assembled += gaps[targets.length];
  // Reused, human and machine text may come with either line ending (a source converted to CRLF in
  // place keeps its LF translations): the written document follows the source's convention throughout.
  const markdown = bom + withLineEnding(assembled, lineEndingOf(body));
  report.units.machineTranslated = machineTranslated;
  report.review = review;
  const fallback = plan.machineUnitIds.length - machineTranslated;
  if (fallback > 0) report.warnings.push(`${fallback} unit(s) kept in English (source fallback)`);
  return {
    markdown,
    state: {
      units,
      runId: input.runId,
      sourceDocumentHash: plan.sourceDocumentHash,
      gapHashes: sourceGaps.map(gapHash),
      ...(plan.referenceUnits ? { referenceUnits: plan.referenceUnits } : {}),
    },
    report,
  };
}

/** The HTML element of one sentence piece: the piece rendered as a one-paragraph document, ids renamed. */
function pieceElement(id: string, markdown: string): string {
  const html = toTranslateHtml(markdown);
  const element = /<p id="u1">[\s\S]*?<\/p>(?=\n<\/body>)/.exec(html)?.[0];
  if (!element) throw new InvalidInputError(`sentence piece ${id} does not render as one paragraph`);
  return element.replace(/id="u1(?=[."])/g, `id="${id}`);
}

/**
 * The partial job input for a document, or `null` when nothing is sent: its whole machine units
 * (`toTranslateHtml(md, { only })`, one element per unit) and, for units edited in a few sentences only, one
 * element per changed sentence (`id="u12-s3"`). Every element holds whole sentences, so Translate never
 * sees a fragment; a unit sent whole is its own context (paragraph, heading, list item, cell).
 */
export function batchHtml(plan: DocumentPlan, sourceMarkdown: string, lang?: string): string | null {
  if (plan.machineUnitIds.length === 0) return null;
  if (sha256(sourceMarkdown) !== plan.sourceDocumentHash) {
    throw new InvalidInputError(
      `${plan.path}: the English document differs from the one the plan was made from`,
    );
  }
  const whole = plan.units.filter((u) => u.action === 'machine' && !u.partial).map((u) => u.unitId);
  const html = toTranslateHtml(sourceMarkdown, {
    file: `source/${plan.path}`,
    only: new Set(whole),
    ...(lang ? { lang } : {}),
  });
  const pieces = plan.units.flatMap((u) =>
    u.action === 'machine' && u.partial
      ? u.partial.pieces.flatMap((p) => (p.kind === 'send' ? [pieceElement(p.id, p.markdown)] : []))
      : [],
  );
  if (pieces.length === 0) return html;
  const at = html.lastIndexOf('</body>');
  return `${html.slice(0, at)}${pieces.join('\n')}\n${html.slice(at)}`;
}

/** Translations of the plan's sentence pieces found in the job output, by piece id. */
function readPieceTranslations(plan: DocumentPlan, html: string | null): Map<string, MachineUnit> {
  const out = new Map<string, MachineUnit>();
  if (html === null) return out;
  for (const u of plan.units) {
    if (u.action !== 'machine' || !u.partial) continue;
    for (const p of u.partial.pieces) {
      if (p.kind !== 'send') continue;
      // Only this piece keeps a unit id (as `u1`, the id it has in its one-paragraph document).
      const renamed = html.replace(/id="(u\d+(?:-s\d+)?)(?=[."])/g, (_m, id: string) =>
        id === p.id ? 'id="u1' : `id="x${id.slice(1)}`,
      );
      const got = readTranslatedUnits(p.markdown, renamed).get('u1');
      if (got) out.set(p.id, got);
    }
  }
  return out;
}

/** The unit's translation from kept and new sentences, or the reason it cannot be built. */
function composePartial(
  partial: NonNullable<DocumentPlan['units'][number]['partial']>,
  translations: ReadonlyMap<string, MachineUnit>,
): string | { problem: string } {
  const parts: string[] = [];
  for (const p of partial.pieces) {
    if (p.kind === 'reuse') {
      parts.push(p.markdown.trim());
      continue;
    }
    const got = translations.get(p.id);
    if (!got) return { problem: `sentence ${p.id} is missing from the job output` };
    if (got.problems.length > 0) {
      return {
        problem: `the translation of sentence ${p.id} damaged protected content (${got.problems.map((x) => `${x.kind}: ${x.detail}`).join('; ')})`,
      };
    }
    parts.push(got.markdown.trim());
  }
  return joinSentences(parts);
}

/**
 * The state to commit once all documents of a run are written: the previous state with the assembled
 * documents replaced. Documents absent from `assembled` or mapped to `null` (unchanged, conflicts, failures,
 * orphans) keep their previous entry: nothing is ever dropped from the state.
 */
export function commitRun(
  previous: SyncState,
  assembled: ReadonlyMap<string, DocumentState | null>,
  runId: string,
): SyncState {
  const documents: Record<string, DocumentState> = { ...previous.documents };
  for (const [path, state] of assembled) if (state) documents[path] = state;
  return { ...previous, lastRunId: runId, documents };
}
