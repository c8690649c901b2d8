import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { TranslateClient } from '@aws-sdk/client-translate';
import { AmtsError } from '../core/errors';
import { splitPairId } from '../core/language';
import type { LanguagePair } from '../core/workflow/names';
import { type JobLimits, jobLimits } from '../core/workflow/translation-job';

/** The process environment (injectable for tests). */
export type Env = Readonly<Record<string, string | undefined>>;

type Checksum = 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';

/** SDK client settings shared by every adapter, read from the environment only. */
export interface ClientSettings {
  region: string;
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
  s3Endpoint?: string;
  translateEndpoint?: string;
  snsEndpoint?: string;
  forcePathStyle: boolean;
  requestChecksumCalculation?: Checksum;
  responseChecksumValidation?: Checksum;
}

function checksum(name: string, value: string | undefined): Checksum | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'WHEN_SUPPORTED' || value === 'WHEN_REQUIRED') return value;
  throw new AmtsError(`${name}=${JSON.stringify(value)}: expected WHEN_SUPPORTED or WHEN_REQUIRED`);
}

function endpoint(env: Env, amts: string, standard: string): string | undefined {
  const value = env[amts] || env[standard] || env.AWS_ENDPOINT_URL || undefined;
  if (value !== undefined && !/^https?:\/\/[^\s]+$/.test(value)) {
    throw new AmtsError(`${env[amts] ? amts : standard}=${JSON.stringify(value)}: expected an http(s) URL`);
  }
  return value;
}

/**
 * Client settings from the environment. Endpoints: `AMTS_S3_ENDPOINT` / `AMTS_TRANSLATE_ENDPOINT` /
 * `AMTS_SNS_ENDPOINT`, else the standard `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL_TRANSLATE` /
 * `AWS_ENDPOINT_URL_SNS` / `AWS_ENDPOINT_URL`; unset = the real AWS endpoint. `AMTS_S3_FORCE_PATH_STYLE=true`
 * for S3-compatible servers. Checksums: `AWS_REQUEST_CHECKSUM_CALCULATION` /
 * `AWS_RESPONSE_CHECKSUM_VALIDATION` (`WHEN_REQUIRED` for s3rver, which stores aws-chunked framing
 * otherwise). Retries: `AWS_MAX_ATTEMPTS` (default 5), `AWS_RETRY_MODE` (default adaptive: client-side
 * rate limiting on throttling).
 */
export function clientSettings(env: Env = process.env): ClientSettings {
  const maxAttempts = env.AWS_MAX_ATTEMPTS ? Number(env.AWS_MAX_ATTEMPTS) : 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    throw new AmtsError(`AWS_MAX_ATTEMPTS=${JSON.stringify(env.AWS_MAX_ATTEMPTS)}: expected an integer 1–20`);
  }
  const retryMode = env.AWS_RETRY_MODE === 'standard' ? 'standard' : 'adaptive';
  const settings: ClientSettings = {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    maxAttempts,
    retryMode,
    forcePathStyle: env.AMTS_S3_FORCE_PATH_STYLE === 'true' || env.AMTS_S3_FORCE_PATH_STYLE === '1',
  };
  const s3 = endpoint(env, 'AMTS_S3_ENDPOINT', 'AWS_ENDPOINT_URL_S3');
  const translate = endpoint(env, 'AMTS_TRANSLATE_ENDPOINT', 'AWS_ENDPOINT_URL_TRANSLATE');
  const sns = endpoint(env, 'AMTS_SNS_ENDPOINT', 'AWS_ENDPOINT_URL_SNS');
  if (s3) settings.s3Endpoint = s3;
  if (translate) settings.translateEndpoint = translate;
  if (sns) settings.snsEndpoint = sns;
  const req = checksum('AWS_REQUEST_CHECKSUM_CALCULATION', env.AWS_REQUEST_CHECKSUM_CALCULATION);
  const res = checksum('AWS_RESPONSE_CHECKSUM_VALIDATION', env.AWS_RESPONSE_CHECKSUM_VALIDATION);
  if (req) settings.requestChecksumCalculation = req;
  if (res) settings.responseChecksumValidation = res;
  return settings;
}

/** An S3 client configured from the environment. */
export function s3Client(env: Env = process.env): S3Client {
  const s = clientSettings(env);
  return new S3Client({
    region: s.region,
    maxAttempts: s.maxAttempts,
    retryMode: s.retryMode,
    forcePathStyle: s.forcePathStyle,
    ...(s.s3Endpoint ? { endpoint: s.s3Endpoint } : {}),
    ...(s.requestChecksumCalculation ? { requestChecksumCalculation: s.requestChecksumCalculation } : {}),
    ...(s.responseChecksumValidation ? { responseChecksumValidation: s.responseChecksumValidation } : {}),
  });
}

/** An Amazon Translate client configured from the environment. */
export function translateClient(env: Env = process.env): TranslateClient {
  const s = clientSettings(env);
  return new TranslateClient({
    region: s.region,
    maxAttempts: s.maxAttempts,
    retryMode: s.retryMode,
    ...(s.translateEndpoint ? { endpoint: s.translateEndpoint } : {}),
  });
}

/** An SNS client configured from the environment. */
export function snsClient(env: Env = process.env): SNSClient {
  const s = clientSettings(env);
  return new SNSClient({
    region: s.region,
    maxAttempts: s.maxAttempts,
    retryMode: s.retryMode,
    ...(s.snsEndpoint ? { endpoint: s.snsEndpoint } : {}),
  });
}

/** What the workflow handlers need besides clients. */
export interface WorkflowEnv {
  /** The book bucket (`AMTS_BUCKET`). */
  bucket: string;
  /** Data-access role Translate assumes for batch jobs (`AMTS_TRANSLATE_ROLE_ARN`); needed by Start Translation Job. */
  translateRoleArn: string | undefined;
  /** SNS topic for run/failure notifications (`AMTS_TOPIC_ARN`); unset = no notifications. */
  topicArn: string | undefined;
  /** The pair a per-pair function serves (`AMTS_PAIR=<src>-<tgt>`); unset for shared/local handlers. */
  pair: LanguagePair | undefined;
  /** `AMTS_PARALLEL_DATA=off`: never build parallel data (regions without Active Custom Translation). */
  parallelData: boolean;
  /** Amazon Translate's per-job quotas, lowered by `AMTS_TRANSLATE_JOB_MAX_*` / `AMTS_TRANSLATE_MAX_CONCURRENT_JOBS` (tests). */
  jobLimits: JobLimits;
}

/** `en-zh` → `{ source: 'en', target: 'zh' }`; language codes may carry a region (`zh-TW-en`). */
export function parsePairId(id: string): LanguagePair {
  const pair = splitPairId(id);
  if (!pair) throw new AmtsError(`AMTS_PAIR=${JSON.stringify(id)}: expected <src>-<tgt>, e.g. en-zh`);
  return pair;
}

/** Read the workflow environment; throws when `AMTS_BUCKET` is missing. */
export function workflowEnv(env: Env = process.env): WorkflowEnv {
  const bucket = env.AMTS_BUCKET;
  if (!bucket) throw new AmtsError('AMTS_BUCKET is not set: the handler does not know which bucket to use');
  return {
    bucket,
    translateRoleArn: env.AMTS_TRANSLATE_ROLE_ARN || undefined,
    topicArn: env.AMTS_TOPIC_ARN || undefined,
    pair: env.AMTS_PAIR ? parsePairId(env.AMTS_PAIR) : undefined,
    parallelData: env.AMTS_PARALLEL_DATA !== 'off',
    jobLimits: jobLimits({
      documents: env.AMTS_TRANSLATE_JOB_MAX_DOCUMENTS,
      bytes: env.AMTS_TRANSLATE_JOB_MAX_BYTES,
      concurrent: env.AMTS_TRANSLATE_MAX_CONCURRENT_JOBS,
    }),
  };
}
