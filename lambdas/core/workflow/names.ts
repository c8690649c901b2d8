import { InvalidInputError } from '../errors';
import { sha256 } from '../hash';
import { isLanguageCode } from '../language';

/** A language pair as configured in `cdk.json` (`{ "source": "en", "target": "zh" }`). */
export interface LanguagePair {
  readonly source: string;
  readonly target: string;
}

/** Amazon Translate language codes (`en`, `zh-TW`…): the rule lives in core/language.ts. */
export { LANGUAGE_CODE } from '../language';

/** Throws InvalidInputError unless both codes look like Translate language codes and differ. */
export function assertLanguagePair(pair: LanguagePair): void {
  for (const [side, code] of [
    ['source', pair.source],
    ['target', pair.target],
  ] as const) {
    if (!isLanguageCode(code)) {
      throw new InvalidInputError(
        `language pair: ${side} "${code}" is not an Amazon Translate language code (expected e.g. "en", "zh-TW")`,
      );
    }
  }
  if (pair.source === pair.target) {
    throw new InvalidInputError(`language pair: source and target are both "${pair.source}"`);
  }
}

/** `en-zh`: the pair's id in S3 keys, resource names and reports. */
export function pairId(pair: LanguagePair): string {
  return `${pair.source}-${pair.target}`;
}

/** `2026-11-21T12:50:04.953Z` → `20261121T125004Z`. Throws on an unparseable timestamp. */
export function compactTimestamp(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t))
    throw new InvalidInputError(`execution start time "${iso}" is not an ISO 8601 timestamp`);
  return new Date(t)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * The run id: start time + execution name, safe in S3 keys, Translate job names and client tokens.
 * The same execution always gets the same id, so a retried Task finds what an earlier attempt wrote.
 */
export function runIdFor(execution: { readonly name: string; readonly startTime: string }): string {
  const name = execution.name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40);
  if (name === '') throw new InvalidInputError('execution name is empty');
  return `${compactTimestamp(execution.startTime)}-${name}`;
}

/** `work/<src>-<tgt>/<runId>/`: everything one run writes besides its results. */
export function workPrefix(pair: LanguagePair, runId: string): string {
  return `work/${pairId(pair)}/${runId}/`;
}

/** Where a run keeps its plan (texts: never in the state-machine payload). */
export function planKey(pair: LanguagePair, runId: string): string {
  return `${workPrefix(pair, runId)}plan.json`;
}

/** Where a run keeps its batch manifest (which document went into the job under which file name). */
export function batchManifestKey(pair: LanguagePair, runId: string): string {
  return `${workPrefix(pair, runId)}batch.json`;
}

/** `reports/<src>-<tgt>/<runId>.json` (and the Markdown twin `.md` and review page `.html` beside it). */
export function reportKey(pair: LanguagePair, runId: string, ext: 'json' | 'md' | 'html'): string {
  return `reports/${pairId(pair)}/${runId}.${ext}`;
}

/**
 * `reports/<src>-<tgt>/<runId>/`: what an evaluation writes for people beside its report (`evaluate/`,
 * `evaluate-without-parallel-data/`), so the local runner copies it back into the book's `reports/`.
 */
export function runOutputPrefix(pair: LanguagePair, runId: string): string {
  return `reports/${pairId(pair)}/${runId}/`;
}

/** `parallel-data/<src>-<tgt>/parallel-data.csv`: the full corpus (an update replaces it). */
export function parallelDataKey(pair: LanguagePair): string {
  return `parallel-data/${pairId(pair)}/parallel-data.csv`;
}

/**
 * `parallel-data/<src>-<tgt>/pairs/<hash of the path>.json`: one document's aligned pairs, cached between
 * runs (lambdas/core/workflow/pair-cache.ts).
 */
export function parallelDataPairsKey(pair: LanguagePair, path: string): string {
  return `parallel-data/${pairId(pair)}/pairs/${sha256(path).slice(0, 32)}.json`;
}

/** Name of the pair's Amazon Translate parallel-data resource (`^([A-Za-z0-9-]_?)+$`). */
export function parallelDataName(pair: LanguagePair): string {
  return `amts-${pairId(pair)}`;
}

/** Translate job name (≤ 256 characters). */
export function jobName(pair: LanguagePair, runId: string): string {
  return `amts-${pairId(pair)}-${runId}`.slice(0, 256);
}

/**
 * ClientToken of StartTextTranslationJob (`^[a-zA-Z0-9-]+$`, ≤ 64): derived from the run and the exact
 * batch, so a retried Start (Lambda timeout, throttling) returns the job already started instead of
 * starting (and paying for) a second one.
 */
export function clientToken(runId: string, batchHash: string): string {
  return sha256(`${runId}\n${batchHash}`).slice(0, 64);
}

/**
 * ClientToken of Create/UpdateParallelData: ONE request — this run, this operation, this CSV. A retried
 * Task of the same run sends the same token (Translate answers it once); another run sends another
 * token even for a CSV seen before (B → C → B: the third is a real update, not a replay of the first).
 */
export function parallelDataClientToken(
  runId: string,
  operation: 'create' | 'update',
  csvHash: string,
): string {
  return sha256(`${runId}\n${operation}\n${csvHash}`).slice(0, 64);
}

/** JSON with sorted keys: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A Step Functions execution name derived from the content (`[A-Za-z0-9_-]`, ≤ 80): pair, the minute
 * and a hash of the input. Starting the same input twice in the same minute with this name is a no-op
 * (StartExecution is idempotent for an identical name and input), so a double click or a retried CLI
 * call never runs twice.
 */
export function executionName(pair: LanguagePair, input: unknown, now: Date): string {
  const minute = now.toISOString().slice(0, 16).replace(/[-:]/g, '');
  return `${pairId(pair)}-${minute}-${sha256(canonicalJson(input)).slice(0, 16)}`.replace(
    /[^A-Za-z0-9_-]/g,
    '-',
  );
}
