/** local/run/upload-events.ts: the S3 events an upload produces on AWS, as the Pipe delivers them. */
import { describe, expect, it } from 'vitest';
import { encodeS3EventKey, uploadEventBatch } from '../../local/run/upload-events';

describe('uploadEventBatch()', () => {
  const pair = { source: 'en', target: 'zh' };

  it('makes one SQS message per Markdown upload the EventBridge rule matches, with the S3 event as body', () => {
    const batch = uploadEventBatch('bucket', pair, [
      'source/en/a.md',
      'reference/zh/a.md',
      'source/en/img/x.png',
      'translated/zh/a.md',
      'reference/ja/a.md',
    ]) as { body: string; eventSource: string }[];
    expect(batch).toHaveLength(2);
    const events = batch.map((m) => JSON.parse(m.body));
    expect(events.map((e) => e.detail.object.key)).toEqual(['source/en/a.md', 'reference/zh/a.md']);
    expect(events[0]).toMatchObject({
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { bucket: { name: 'bucket' } },
    });
    expect(batch[0]?.eventSource).toBe('aws:sqs');
  });

  it('returns null when nothing matches (no event, no execution)', () => {
    expect(uploadEventBatch('b', pair, ['translated/zh/a.md', 'source/en/notes.txt'])).toBeNull();
  });

  it.each([
    ['source/en/a b.md', 'source/en/a+b.md'],
    ['source/en/第一章/x.md', 'source/en/%E7%AC%AC%E4%B8%80%E7%AB%A0/x.md'],
    ['source/en/a+b&c.md', 'source/en/a%2Bb%26c.md'],
  ])('encodes %j as S3 notifications do', (key, encoded) => {
    expect(encodeS3EventKey(key)).toBe(encoded);
  });
});
