import { createHash, randomUUID } from 'node:crypto';
import { type LanguagePair, pairId } from '../../lambdas/core/workflow/names';

/**
 * The execution input an upload burst gives the state machine on AWS: S3 → EventBridge rule
 * (`source/<src>/*.md`, `reference/<tgt>/*.md`) → SQS → EventBridge Pipe, i.e. an array of SQS messages
 * whose body is the EventBridge event. Keys are URL-encoded as S3 notifications carry them (`+` for a
 * space, UTF-8 percent-escapes), which the Plan handler must decode. Null when no key matches the rule.
 */
export function uploadEventBatch(
  bucket: string,
  pair: LanguagePair,
  keys: readonly string[],
  now: Date = new Date(),
): unknown[] | null {
  const matching = keys.filter(
    (k) =>
      (k.startsWith(`source/${pair.source}/`) || k.startsWith(`reference/${pair.target}/`)) &&
      k.endsWith('.md'),
  );
  if (matching.length === 0) return null;
  return matching.map((key, i) => {
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: now.toISOString().replace(/\.\d+Z$/, 'Z'),
      region: 'us-east-1',
      resources: [`arn:aws:s3:::${bucket}`],
      detail: {
        version: '0',
        bucket: { name: bucket },
        object: { key: encodeS3EventKey(key), sequencer: String(i).padStart(16, '0') },
        'request-id': randomUUID(),
        requester: '000000000000',
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
    };
    return {
      messageId: randomUUID(),
      receiptHandle: `local-${i}`,
      body: JSON.stringify(event),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(now.getTime()) },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(JSON.stringify(event)).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:amts-${pairId(pair)}-uploads`,
      awsRegion: 'us-east-1',
    };
  });
}

/** A key as S3 event notifications spell it: form-URL-encoded per segment, `/` kept, `+` for space. */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}
