import { type ZodError, type ZodType, z } from 'zod';
import { InvalidInputError } from '../errors';
import type { LanguagePair } from './names';

/**
 * A document path relative to `source/<src>/`: `chapter_rnn/rnn.md`. Relative, `/`-separated, no `.`
 * or `..` segment, no control characters, ends with `.md`.
 */
export const DocumentPathSchema = z
  .string()
  .min(4)
  .max(1024)
  .refine((p) => p.endsWith('.md'), { message: 'must end with ".md"' })
  .refine((p) => !p.startsWith('/') && !p.includes('\\'), {
    message: 'must be a relative path with "/" separators (relative to source/<src>/)',
  })
  .refine((p) => p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'), {
    message: 'must not contain empty, "." or ".." segments',
  })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), { message: 'must not contain control characters' });

/** The console / schedule input of an execution (docs/architecture.md "Input"). All fields optional. */
export const RunInputSchema = z
  .object({
    documents: z.array(DocumentPathSchema).min(1).max(5000).optional(),
    mode: z.enum(['sync', 'evaluate']).optional(),
    force: z.boolean().optional(),
    dryRun: z.boolean().optional(),
    compareWithoutParallelData: z.boolean().optional(),
    sentenceLevel: z.boolean().optional(),
    retranslateFuzzy: z.boolean().optional(),
  })
  .strict()
  .refine((i) => !i.compareWithoutParallelData || i.mode === 'evaluate', {
    message: '"compareWithoutParallelData" is only allowed with "mode": "evaluate"',
    path: ['compareWithoutParallelData'],
  });
export type RunInput = z.infer<typeof RunInputSchema>;

/** The input with defaults filled in. */
export interface RunOptions {
  /** `null` = every changed document. */
  documents: string[] | null;
  mode: 'sync' | 'evaluate';
  force: boolean;
  dryRun: boolean;
  compareWithoutParallelData: boolean;
  /**
   * An edited paragraph sends only its changed whole sentences (when its current translation splits into
   * as many sentences as the English had); `false` sends every edited unit whole. Default true.
   */
  sentenceLevel: boolean;
  /**
   * Machine-translate units (and sentences) whose English changed only slightly after their human
   * translation was written, instead of keeping the human text marked fuzzy. Default false.
   */
  retranslateFuzzy: boolean;
}

/** What started the execution, and the options it runs with. */
export interface ExecutionRequest {
  trigger: 'console' | 's3-events';
  options: RunOptions;
  /** Documents named by S3 events (source or reference changed), sorted, unique. Informational. */
  changedDocuments: string[];
  /** S3 events in the batch that do not concern this pair (wrong prefix, not `.md`). */
  ignoredEvents: number;
}

/** An {@link ExecutionRequest} as read back from S3 (the plan file, the planning run file). */
export const ExecutionRequestSchema: z.ZodType<ExecutionRequest, z.ZodTypeDef, unknown> = z
  .object({
    trigger: z.enum(['console', 's3-events']),
    options: z
      .object({
        documents: z.array(DocumentPathSchema).nullable(),
        mode: z.enum(['sync', 'evaluate']),
        force: z.boolean(),
        dryRun: z.boolean(),
        compareWithoutParallelData: z.boolean(),
        sentenceLevel: z.boolean(),
        retranslateFuzzy: z.boolean(),
      })
      .strict(),
    changedDocuments: z.array(z.string()),
    ignoredEvents: z.number().int().min(0),
  })
  .strict();

/** One SQS message as an EventBridge Pipe delivers it (only what we read; other fields are allowed). */
const SqsMessageSchema = z.object({ messageId: z.string().min(1), body: z.string() }).passthrough();

/** An EventBridge "Object Created" event from S3. */
const S3EventSchema = z
  .object({
    source: z.literal('aws.s3'),
    'detail-type': z.literal('Object Created'),
    detail: z
      .object({
        bucket: z.object({ name: z.string() }).passthrough(),
        object: z.object({ key: z.string().min(1) }).passthrough(),
      })
      .passthrough(),
  })
  .passthrough();

function path(p: ReadonlyArray<string | number>, root: string): string {
  return p.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : `${acc}.${s}`), root);
}

/** Zod issues as one readable message: `input.documents[0]: must end with ".md" (got "x.txt")`. */
export function formatZodError(error: ZodError, root: string, value?: unknown): string {
  const shown = error.issues.slice(0, MAX_ISSUES);
  const more = error.issues.length - shown.length;
  return `${shown
    .map((issue) => {
      let at: unknown = value;
      for (const s of issue.path)
        at = at && typeof at === 'object' ? (at as Record<string, unknown>)[s] : undefined;
      const got =
        at !== undefined && typeof at !== 'object' ? ` (got ${JSON.stringify(at).slice(0, 80)})` : '';
      return `${path(issue.path, root)}: ${issue.message}${got}`;
    })
    .join('; ')}${more > 0 ? ` … and ${more.toLocaleString('en-US')} more problem(s)` : ''}`;
}

/** Problems named in one message (the rest are counted). */
const MAX_ISSUES = 10;

/** Validate `value` with `schema`, or throw InvalidInputError naming every problem. */
export function parseInput<T>(schema: ZodType<T, z.ZodTypeDef, unknown>, value: unknown, root = 'input'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInputError(formatZodError(result.error, root, value));
  return result.data;
}

function options(input: RunInput): RunOptions {
  return {
    documents: input.documents ? [...new Set(input.documents)] : null,
    mode: input.mode ?? 'sync',
    force: input.force ?? false,
    dryRun: input.dryRun ?? false,
    compareWithoutParallelData: input.compareWithoutParallelData ?? false,
    sentenceLevel: input.sentenceLevel ?? true,
    retranslateFuzzy: input.retranslateFuzzy ?? false,
  };
}

/** S3 keys in EventBridge events may be URL-encoded with `+` for space; decode when it is safe. */
function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

/** `source/en/a/b.md` or `reference/zh/a/b.md` → `a/b.md` for the pair en→zh; anything else → null. */
export function documentForKey(key: string, pair: LanguagePair): string | null {
  for (const prefix of [`source/${pair.source}/`, `reference/${pair.target}/`]) {
    if (key.startsWith(prefix)) {
      const doc = key.slice(prefix.length);
      return DocumentPathSchema.safeParse(doc).success ? doc : null;
    }
  }
  return null;
}

function fromEvents(events: unknown[], pair: LanguagePair, root: string): ExecutionRequest {
  const docs = new Set<string>();
  let ignored = 0;
  for (const [i, raw] of events.entries()) {
    const event = parseInput(S3EventSchema, raw, `${root}[${i}]`);
    const doc = documentForKey(decodeKey(event.detail.object.key), pair);
    if (doc === null) ignored++;
    else docs.add(doc);
  }
  return {
    trigger: 's3-events',
    options: options({}),
    changedDocuments: [...docs].sort(),
    ignoredEvents: ignored,
  };
}

/**
 * Validate an execution's input before any work. Accepted shapes:
 *
 * 1. Console / EventBridge Scheduler: a JSON object `{ documents?, mode?, force?, dryRun?,
 *    compareWithoutParallelData?, sentenceLevel? }` (docs/architecture.md "Input"); unknown fields and wrong types are rejected.
 * 2. S3 → EventBridge → SQS → EventBridge Pipe: an array of SQS messages whose `body` is an EventBridge
 *    "Object Created" event from `aws.s3`; runs a default sync (every changed document) and records
 *    the documents the events name.
 * 3. One EventBridge "Object Created" event object (a rule targeting the state machine directly).
 *
 * Throws InvalidInputError with every problem, e.g. `input.mode: Invalid enum value … (got "fast")`.
 */
export function parseExecutionInput(raw: unknown, pair: LanguagePair): ExecutionRequest {
  if (Array.isArray(raw)) {
    if (raw.length === 0) throw new InvalidInputError('input: an empty array is not an event batch');
    const messages = raw.map((m, i) => parseInput(SqsMessageSchema, m, `input[${i}]`));
    const events = messages.map((m, i) => {
      try {
        return JSON.parse(m.body) as unknown;
      } catch (cause) {
        throw new InvalidInputError(`input[${i}].body: not JSON (${(cause as Error).message})`, { cause });
      }
    });
    return fromEvents(events, pair, 'input[].body');
  }
  if (raw !== null && typeof raw === 'object' && 'detail-type' in raw) {
    return fromEvents([raw], pair, 'input');
  }
  if (raw === null || typeof raw !== 'object') {
    throw new InvalidInputError(
      `input: expected a JSON object like {"documents":["chapter_x/y.md"],"mode":"sync"} (got ${raw === null ? 'null' : typeof raw})`,
    );
  }
  const result = RunInputSchema.safeParse(raw);
  if (!result.success) {
    throw new InvalidInputError(
      `${formatZodError(result.error, 'input', raw)} — accepted fields: documents (array of .md paths), ` +
        'mode ("sync" | "evaluate"), force, dryRun, compareWithoutParallelData, sentenceLevel (booleans)',
    );
  }
  const input = result.data;
  return { trigger: 'console', options: options(input), changedDocuments: [], ignoredEvents: 0 };
}
