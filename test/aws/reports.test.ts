import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { writeRunReport } from '../../lambdas/aws/reports';
import { Bucket } from '../../lambdas/aws/s3';
import { renderReportMarkdown, WrittenRunReportSchema } from '../../lambdas/core/report';
import { reviewFixture } from '../helpers/review-fixture';

/** A bucket that records what is written, in order, instead of calling S3. */
class RecordingBucket extends Bucket {
  readonly writes: { key: string; body: string; contentType: string }[] = [];
  constructor() {
    super({} as S3Client, 'book');
  }
  override async putText(
    key: string,
    body: string,
    contentType = 'text/plain; charset=utf-8',
  ): Promise<void> {
    this.writes.push({ key, body, contentType });
  }
}

describe('writeRunReport()', () => {
  const pair = { source: 'en', target: 'zh' };
  const report = reviewFixture();

  it('writes the review page, the Markdown twin and the JSON, the JSON last, and returns its key', async () => {
    const bucket = new RecordingBucket();
    const key = await writeRunReport(bucket, pair, report);
    const base = `reports/en-zh/${report.runId}`;
    expect(bucket.writes.map((w) => [w.key, w.contentType])).toEqual([
      [`${base}.html`, 'text/html; charset=utf-8'],
      [`${base}.md`, 'text/markdown; charset=utf-8'],
      [`${base}.json`, 'application/json'],
    ]);
    expect(key).toBe(`${base}.json`);
  });

  it('writes a JSON that parses back with the report schema (no field it does not declare), and the Markdown rendering of that report', async () => {
    const bucket = new RecordingBucket();
    await writeRunReport(bucket, pair, report);
    const [, md, json] = bucket.writes;
    const written: unknown = JSON.parse(json?.body ?? '');
    expect(written).toEqual(report);
    expect(WrittenRunReportSchema.safeParse(written).error).toBeUndefined();
    expect(md?.body).toBe(renderReportMarkdown(report));
  });
});
