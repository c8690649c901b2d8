/**
 * One hostile chapter fails alone. A document that cannot be read (not UTF-8, too large, nested deeper
 * than the parser goes, anything the codec rejects) becomes a `failed` entry of the run report, with its
 * file name and the reason; the other documents go on and the run is PARTIAL. Errors of the run itself
 * (S3 or Translate unavailable, access denied, a conflicting commit) still fail the run.
 */
import { z } from 'zod';
import { capList } from '../cap';
import { DocumentTooLargeError } from '../errors';
import { MAX_MARKDOWN_BYTES } from '../markdown/limits';
import type { DocumentReport } from '../report';
import type { RunPlan } from '../sync/api';
import { type PlanRunInput, planRun } from '../sync/plan';

/**
 * Largest chapter (UTF-8 bytes of its Markdown) a run reads: the codec's limit (Amazon Translate's
 * 20 MiB per batch document), checked on the bytes before they are decoded or parsed, so a 30 MB file
 * costs neither time nor memory. Split a larger file.
 */
export const MAX_CHAPTER_BYTES = MAX_MARKDOWN_BYTES;

/** @throws DocumentTooLargeError when a file of `size` bytes is over {@link MAX_CHAPTER_BYTES}. */
export function checkChapterSize(size: number, file: string): void {
  if (size > MAX_CHAPTER_BYTES) throw new DocumentTooLargeError(file, size, MAX_CHAPTER_BYTES);
}

/** A document left out of the run, and why. */
export const DocumentFailureSchema = z
  .object({
    path: z.string().min(1),
    /** `ErrorName: message`, naming the file. */
    error: z.string(),
  })
  .strict();
export type DocumentFailure = z.infer<typeof DocumentFailureSchema>;

/** Longest reason kept in a report (a codec error can list hundreds of problems). */
const MAX_REASON_CHARS = 2000;

/**
 * Errors of the run rather than of one document: AWS SDK service and network errors (they carry
 * `$metadata` or a `$fault`), and timeouts. Everything else thrown while reading one document is that
 * document's problem.
 */
export function isRunError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { $metadata?: unknown; $fault?: unknown; name?: string };
  return (
    e.$metadata !== undefined ||
    e.$fault !== undefined ||
    e.name === 'TimeoutError' ||
    e.name === 'ConcurrentRunError'
  );
}

/** `Name: message` for a report, naming `file` when the message does not, short enough to read. */
export function describeFailure(error: unknown, file: string): string {
  const e = error instanceof Error ? error : new Error(String(error));
  let message = e.message;
  if (e instanceof RangeError && /call stack/i.test(message)) {
    message = `nested too deeply to parse (${message}); flatten the nesting or split the file`;
  }
  if (!message.includes(file)) message = `${file}: ${message}`;
  const text = `${e.name}: ${message}`;
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}… (cut)` : text;
}

/** The report entry of a document that failed before it was planned. */
export function failedDocumentReport(failure: DocumentFailure): DocumentReport {
  return {
    path: failure.path,
    status: 'failed',
    charactersSent: 0,
    units: { total: 0, reused: 0, fromReference: 0, postEditsKept: 0, machineTranslated: 0 },
    scores: null,
    warnings: [],
    error: failure.error,
  };
}

/**
 * The run's status from its document reports: FAILED when documents failed and none was translated or
 * left unchanged, PARTIAL when some failed (or the job was partial), SUCCEEDED otherwise.
 */
export function runStatusOf(
  documents: readonly Pick<DocumentReport, 'status'>[],
  jobPartial = false,
): 'SUCCEEDED' | 'PARTIAL' | 'FAILED' {
  const failed = documents.filter((d) => d.status === 'failed').length;
  const fine = documents.filter((d) => d.status === 'translated' || d.status === 'unchanged').length;
  if (failed > 0 && fine === 0) return 'FAILED';
  return failed > 0 || jobPartial ? 'PARTIAL' : 'SUCCEEDED';
}

/** One line for notifications: `3 document(s) failed: a.md, b.md, c.md`. */
export function failureSummary(failures: readonly DocumentFailure[]): string {
  return `${failures.length} document(s) failed: ${capList(failures.map((f) => f.path))}`;
}

/**
 * `planRun`, with a document that makes planning throw left out (a failure naming it) instead of failing
 * the run. The common case costs one `planRun`; only when it throws is each document planned alone to
 * find the culprits, then the rest planned together.
 */
export function planRunIsolating(input: PlanRunInput): { plan: RunPlan; failures: DocumentFailure[] } {
  try {
    return { plan: planRun(input), failures: [] };
  } catch (error) {
    if (input.documents.length === 0) throw error;
    const failures: DocumentFailure[] = [];
    const good = input.documents.filter((doc) => {
      try {
        planRun({ ...input, documents: [doc] });
        return true;
      } catch (e) {
        failures.push({ path: doc.path, error: describeFailure(e, `source/${doc.path}`) });
        return false;
      }
    });
    if (failures.length === 0) throw error; // not one document's fault
    return { plan: planRun({ ...input, documents: good }), failures };
  }
}

/**
 * Why a document's machine translation is unusable, or `null`. Garbage is defined narrowly, on what can
 * be checked without knowing the language: the job output has no text at all although units were
 * sent, or not one of the units sent came back usable (every one missing from the output or damaging
 * protected content, so the whole document would be English fallback). Such a document is reported
 * failed and sent again next run; it is not written and its state is not committed. A unit that
 * comes back identical to its English is NOT garbage by itself: names, code-like prose and the
 * offline emulator's honest "untranslated" output all do that (the unit is listed for review instead).
 */
export function unusableTranslation(
  sent: number,
  html: string | null,
  result: { report: { units: { machineTranslated: number } }; state: { units: { origin: string }[] } | null },
): string | null {
  if (sent === 0) return null;
  if (html !== null && html.replace(/<[^>]*>/g, '').trim() === '') {
    return `the job returned a document without text for ${sent} unit(s) sent; nothing was written (sent again next run)`;
  }
  const fallback = result.state?.units.filter((u) => u.origin === 'source-fallback').length ?? 0;
  if (result.report.units.machineTranslated === 0 && fallback > 0) {
    return `not one of the ${sent} unit(s) sent came back usable (missing or damaged protected content); nothing was written (sent again next run)`;
  }
  return null;
}
