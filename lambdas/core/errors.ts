/**
 * Named errors. Step Functions matches `ErrorEquals` on `error.name`, and minifiers rename classes,
 * so every class sets `this.name` to a string literal. Messages say what, where (file:line:column)
 * and expected vs actual; SDK errors are wrapped with `{ cause }`.
 */
export class AmtsError extends Error {
  override name = 'AmtsError';
}

/** Input (event, console JSON, CLI argument, file) is malformed or violates a documented limit. */
export class InvalidInputError extends AmtsError {
  override name = 'InvalidInputError';
}

/** A file is not valid UTF-8 text (binary, Latin-1, UTF-16 …). */
export class EncodingError extends AmtsError {
  override name = 'EncodingError';
}

/** One problem found while merging a translation back into its Markdown source. */
export interface MergeProblem {
  /** `file:line:column` of the unit or protected item in the source Markdown. */
  where: string;
  /** Unit id (`u12`) the problem belongs to. */
  unitId: string;
  /** What went wrong: missing, duplicated or altered protected content, or a missing unit. */
  kind:
    | 'missing-unit'
    | 'missing-protected'
    | 'duplicated-protected'
    | 'altered-protected'
    | 'unknown-protected'
    /** Math, code or a role came back as plain text (it would be written escaped: `\$x\$`). */
    | 'protected-as-text'
    | 'malformed-html';
  /** Human-readable detail: expected vs actual. */
  detail: string;
}

/** A translated document damaged protected content (code, math, roles, URLs) or lost a unit. */
export class ProtectedContentError extends AmtsError {
  override name = 'ProtectedContentError';
  constructor(
    readonly problems: readonly MergeProblem[],
    file = '<input>',
  ) {
    super(
      `${file}: ${problems.length} problem(s) merging the translation:\n` +
        problems.map((p) => `  ${p.where} [${p.unitId}] ${p.kind}: ${p.detail}`).join('\n'),
    );
  }
}

/** An Amazon Translate parallel-data resource ended in FAILED (import error summary in the message). */
export class ParallelDataFailedError extends AmtsError {
  override name = 'ParallelDataFailedError';
}

/** A batch translation job ended FAILED or STOPPED. */
export class TranslationJobFailedError extends AmtsError {
  override name = 'TranslationJobFailedError';
}

/** Another run of the same language pair holds the lock or changed the sync state concurrently. */
export class ConcurrentRunError extends AmtsError {
  override name = 'ConcurrentRunError';
}

/** A polling loop (lock, parallel data, translation job) reached its attempt bound without an end state. */
export class WaitLimitExceededError extends AmtsError {
  override name = 'WaitLimitExceededError';
}

/**
 * A Markdown document is larger than the codec accepts (`MAX_MARKDOWN_BYTES` in
 * lambdas/core/markdown/limits.ts: 20 MiB, Amazon Translate's per-document batch limit). Checked
 * before parsing, so a huge chapter costs no parse time and no memory.
 */
export class DocumentTooLargeError extends InvalidInputError {
  override name = 'DocumentTooLargeError';
  constructor(
    readonly file: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `${file}: the Markdown is ${bytes} bytes; the codec accepts at most ${limit} bytes per document (Amazon Translate's 20 MiB batch limit): split the chapter`,
    );
  }
}

/**
 * A Markdown document nests deeper than the codec accepts (`MAX_NESTING_DEPTH` in
 * lambdas/core/markdown/limits.ts): block quotes, lists or inline markup inside each other.
 */
export class NestingTooDeepError extends InvalidInputError {
  override name = 'NestingTooDeepError';
  constructor(
    readonly file: string,
    readonly where: string,
    detail: string,
  ) {
    super(`${where}: ${detail}`);
  }
}

/** The machine translation of a document came back unusable (empty, or not one unit usable). */
export class UnusableTranslationError extends AmtsError {
  override name = 'UnusableTranslationError';
}

/** The S3 client silently drops the conditional headers the state store relies on (an SDK too old). */
export class ConditionalWritesUnsupportedError extends AmtsError {
  override name = 'ConditionalWritesUnsupportedError';
}
