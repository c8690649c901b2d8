import { describe, expect, it } from 'vitest';
import { clientSettings, s3Client, translateClient, workflowEnv } from '../../lambdas/aws/config';
import { TRANSLATE_JOB_LIMITS } from '../../lambdas/core/workflow/translation-job';

describe('clientSettings()', () => {
  it('rejects a malformed endpoint, checksum mode or attempt count, naming the variable', () => {
    expect(() => clientSettings({ AMTS_S3_ENDPOINT: 'localhost:4566' })).toThrow(
      /AMTS_S3_ENDPOINT=.*http\(s\) URL/,
    );
    expect(() => clientSettings({ AWS_REQUEST_CHECKSUM_CALCULATION: 'NEVER' })).toThrow(
      /AWS_REQUEST_CHECKSUM_CALCULATION/,
    );
    expect(() => clientSettings({ AWS_MAX_ATTEMPTS: '0' })).toThrow(/AWS_MAX_ATTEMPTS/);
    expect(() => clientSettings({ AWS_MAX_ATTEMPTS: 'many' })).toThrow(/AWS_MAX_ATTEMPTS/);
  });

  it('talks to real AWS by default (no endpoint), 5 attempts, adaptive retries', () => {
    expect(clientSettings({ AWS_REGION: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
      maxAttempts: 5,
      retryMode: 'adaptive',
      forcePathStyle: false,
    });
  });

  it('reaches local servers only through endpoint variables (AMTS_* first, then the standard AWS_ENDPOINT_URL_*)', () => {
    const s = clientSettings({
      AMTS_S3_ENDPOINT: 'http://127.0.0.1:4568',
      AWS_ENDPOINT_URL_S3: 'http://ignored:1',
      AWS_ENDPOINT_URL_TRANSLATE: 'http://127.0.0.1:4569',
      AMTS_S3_FORCE_PATH_STYLE: 'true',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    });
    expect(s).toMatchObject({
      s3Endpoint: 'http://127.0.0.1:4568',
      translateEndpoint: 'http://127.0.0.1:4569',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    expect(s.snsEndpoint).toBeUndefined();
  });

  it('configures the SDK clients with those settings', async () => {
    const env = {
      AWS_REGION: 'us-west-2',
      AMTS_S3_ENDPOINT: 'http://127.0.0.1:9000',
      AMTS_S3_FORCE_PATH_STYLE: '1',
    };
    const s3 = s3Client(env);
    expect(await s3.config.region()).toBe('us-west-2');
    expect(s3.config.forcePathStyle).toBe(true);
    const endpoint = await s3.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(await translateClient(env).config.region()).toBe('us-west-2');
  });
});

describe('workflowEnv()', () => {
  it('requires AMTS_BUCKET and treats empty optional variables as unset', () => {
    expect(() => workflowEnv({})).toThrow(/AMTS_BUCKET is not set/);
    expect(workflowEnv({ AMTS_BUCKET: 'b', AMTS_TOPIC_ARN: '' })).toEqual({
      bucket: 'b',
      translateRoleArn: undefined,
      topicArn: undefined,
      parallelData: true,
      jobLimits: TRANSLATE_JOB_LIMITS,
    });
  });

  it('lowers Translate’s per-job quotas only to a positive integer under them, naming the variable', () => {
    const env = {
      AMTS_BUCKET: 'b',
      AMTS_TRANSLATE_JOB_MAX_DOCUMENTS: '2',
      AMTS_TRANSLATE_MAX_CONCURRENT_JOBS: '3',
    };
    expect(workflowEnv(env).jobLimits).toEqual({ documents: 2, bytes: 5_000_000_000, concurrent: 3 });
    for (const [name, value] of [
      ['AMTS_TRANSLATE_JOB_MAX_DOCUMENTS', '0'],
      ['AMTS_TRANSLATE_JOB_MAX_DOCUMENTS', '1000001'],
      ['AMTS_TRANSLATE_JOB_MAX_BYTES', '1e6'],
      ['AMTS_TRANSLATE_MAX_CONCURRENT_JOBS', '1'],
      ['AMTS_TRANSLATE_MAX_CONCURRENT_JOBS', '11'],
    ] as const) {
      expect(() => workflowEnv({ AMTS_BUCKET: 'b', [name]: value })).toThrow(
        new RegExp(`${name}="${value}"`),
      );
    }
  });

  it('reads the pair of a per-pair function and the parallel-data switch', () => {
    expect(workflowEnv({ AMTS_BUCKET: 'b', AMTS_PAIR: 'zh-TW-en', AMTS_PARALLEL_DATA: 'off' })).toMatchObject(
      {
        pair: { source: 'zh-TW', target: 'en' },
        parallelData: false,
      },
    );
    expect(workflowEnv({ AMTS_BUCKET: 'b', AMTS_PAIR: 'en-zh-TW' }).pair).toEqual({
      source: 'en',
      target: 'zh-TW',
    });
    expect(() => workflowEnv({ AMTS_BUCKET: 'b', AMTS_PAIR: 'english-chinese' })).toThrow(/AMTS_PAIR/);
  });
});
