import { readFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  callsOf,
  copyExamples,
  PAIR,
  RCNN,
  readTranslated,
  runOnce,
  sourcePath,
  useHarness,
  writeFile,
} from './helpers';

// The emulated job runs for a while, so a "translator" can save translated/ while it runs.
const h = useHarness({ delays: { jobRunMs: 1500 }, jobWaitMs: 50 });

describe('a human edit saved to translated/ while the Translate job runs', () => {
  it('is kept: Assemble And Score re-reads the file and re-plans against it', async () => {
    const book = copyExamples(h);
    const first = await runOnce(h, book);
    expect(first.outcome.error).toBeUndefined();
    expect(readTranslated(book, RCNN)).toContain('## 小结');
    const source = readFileSync(sourcePath(book, RCNN), 'utf8');
    writeFile(sourcePath(book, RCNN), source.replace('## R-CNNs', '## The R-CNN Family'));
    await h.env.uploadBook(PAIR, { book });
    const from = h.env.translate?.calls.length ?? 0;

    const running = h.env.execute(PAIR, {});
    for (let i = 0; i < 500 && callsOf(h, 'StartTextTranslationJob', from) === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(callsOf(h, 'StartTextTranslationJob', from)).toBe(1);
    const key = `translated/zh/${RCNN}`;
    const current = (await h.env.getText(key)) ?? '';
    await h.env.s3.send(
      new PutObjectCommand({
        Bucket: h.env.bucket,
        Key: key,
        Body: current.replace('## 小结', '## 本节小结'),
      }),
    );
    const outcome = await running;

    expect(outcome.status).toBe('SUCCEEDED');
    const written = (await h.env.getText(key)) ?? '';
    expect(written).toContain('## 本节小结');
    expect(written).not.toContain('## 小结');
    expect(written).toContain('The R-CNN Family');
    const rcnn = outcome.report?.documents.find((d) => d.path === RCNN);
    // The edit was in the bucket before assembly (not written over afterwards), and counted as a post-edit.
    expect(rcnn?.warnings.join('\n')).toMatch(/changed while the job ran/);
    expect(rcnn?.units.postEditsKept).toBeGreaterThanOrEqual(1);
    // The next run keeps it too, and has nothing to send.
    const next = await runOnce(h, book);
    expect(next.outcome.report).toMatchObject({ job: null, charactersSent: 0 });
    expect(readTranslated(book, RCNN)).toContain('## 本节小结');
  });
});
