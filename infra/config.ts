import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { formatZodError } from '../lambdas/core/workflow/input';
import { assertLanguagePair, LANGUAGE_CODE, type LanguagePair, pairId } from '../lambdas/core/workflow/names';

/** Typed deployment configuration, read from `cdk.json` context (or `cdk deploy -c key=value`). */
export interface AmtsConfig {
  /** One state machine per pair. Adding a pair is one line in `cdk.json`. */
  languagePairs: LanguagePair[];
  nightlySchedule: {
    enabled: boolean;
    /** EventBridge Scheduler expression, e.g. `cron(0 2 * * ? *)`. */
    cron: string;
    /** IANA time zone, e.g. `Europe/Berlin`. */
    timeZone: string;
  };
  /** Subscribed to the notification topic when set (the address must confirm the subscription). */
  notificationEmail: string | null;
  /** How long the upload trigger waits to coalesce a burst of uploads into one execution (0–300 s). */
  uploadBatchingWindowSeconds: number;
  /** Retention of the Lambda and state-machine log groups, in days. */
  logRetentionDays: number;
  /**
   * Use the human references as Active Custom Translation parallel data (default true). ACT exists only in
   * {@link ACT_REGIONS}; `false` runs every pair without parallel data (plain batch jobs) in any region.
   */
  parallelData: boolean;
}

/**
 * Regions where Amazon Translate offers Active Custom Translation (parallel data), as the Translate
 * Developer Guide lists them ("Customizing your translations with parallel data" → Region availability:
 * US East (N. Virginia), US West (Oregon), Europe (Ireland)).
 */
export const ACT_REGIONS: readonly string[] = ['us-east-1', 'us-west-2', 'eu-west-1'];

/**
 * Refuses, at synth time, a deployment whose pairs would call CreateParallelData in a region without
 * Active Custom Translation (it would fail at the first job otherwise). `region` undefined or a token:
 * not known yet (environment-agnostic synth) — the template's own Rule checks it at deploy time.
 */
export function assertParallelDataRegion(
  config: Pick<AmtsConfig, 'parallelData'>,
  region: string | undefined,
): void {
  if (!config.parallelData || region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) return;
  if (!ACT_REGIONS.includes(region)) {
    throw new Error(
      `cdk.json context: parallelData is true but Amazon Translate has no Active Custom Translation (parallel data) in ${region}; ` +
        `it exists only in ${ACT_REGIONS.join(', ')}. Deploy to one of those, or set "parallelData": false ` +
        '(cdk deploy -c parallelData=false) to translate without parallel data.',
    );
  }
}

export const DEFAULT_CONFIG: AmtsConfig = {
  languagePairs: [
    { source: 'en', target: 'zh' },
    { source: 'en', target: 'es' },
  ],
  nightlySchedule: { enabled: true, cron: 'cron(0 2 * * ? *)', timeZone: 'UTC' },
  notificationEmail: null,
  uploadBatchingWindowSeconds: 120,
  logRetentionDays: 90,
  parallelData: true,
};

/** Retention periods CloudWatch Logs accepts (days). */
const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (v): v is number => typeof v === 'number' && v > 0,
);

/**
 * Pairs one stack can hold: every pair brings its own functions, roles and log groups (≈ 71 resources
 * since "Plan Batch" and "Finish Plan" became functions of their own (each a function, role, policy
 * and log group); test/infra/deploy-readiness.test.ts measures it) and CloudFormation allows 500
 * resources per stack. Deploy a second stack (another app id) for more pairs.
 */
export const MAX_PAIRS = 6;

const Pair = z
  .object({ source: z.string().regex(LANGUAGE_CODE), target: z.string().regex(LANGUAGE_CODE) })
  .strict();

const ConfigSchema = z
  .object({
    languagePairs: z.array(Pair).min(1).max(MAX_PAIRS),
    nightlySchedule: z
      .object({
        enabled: z.boolean(),
        cron: z.string().regex(/^cron\(.+\)$|^rate\(.+\)$/, 'expected cron(...) or rate(...)'),
        timeZone: z.string().min(1),
      })
      .strict(),
    notificationEmail: z.string().email().nullable(),
    uploadBatchingWindowSeconds: z.number().int().min(0).max(300),
    logRetentionDays: z
      .number()
      .int()
      .refine((d) => LOG_RETENTION_DAYS.includes(d), {
        message: `must be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
      }),
    parallelData: z.boolean(),
  })
  .strict();

/** Context values arrive as JSON values from cdk.json, or as strings from `-c key=value`. */
function contextValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Build the configuration from a context lookup (`key => app.node.tryGetContext(key)`). Missing keys take
 * the defaults; a bad value throws an Error naming the key, what was expected and what was found.
 */
export function loadConfig(getContext: (key: string) => unknown): AmtsConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_CONFIG) as (keyof AmtsConfig)[]) {
    const value = contextValue(getContext(key));
    raw[key] = value === undefined ? DEFAULT_CONFIG[key] : value;
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`cdk.json context: ${formatZodError(parsed.error, 'context', raw)}`);
  const config = parsed.data as AmtsConfig;
  const seen = new Set<string>();
  for (const pair of config.languagePairs) {
    assertLanguagePair(pair);
    if (seen.has(pairId(pair)))
      throw new Error(`cdk.json context: languagePairs lists ${pairId(pair)} twice`);
    seen.add(pairId(pair));
  }
  return config;
}
