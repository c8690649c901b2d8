// Issue 13: a parallel-data ClientToken identifies one request. Reverting the references to an earlier
// version (A → B → C → B) must update the resource again, not be taken by Translate as a replay of the first
// request (which would leave C's data in place while every check reports it up to date).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExamples, NIN, PAIR, RCNN, runOnce, sourcePath, useHarness, writeFile } from './helpers';

const h = useHarness();

describe('parallel data B → C → B', () => {
  it('updates the resource on every change, the revert included, each request with its own ClientToken', async () => {
    const book = copyExamples(h);
    const reference = join(book, 'reference', PAIR.target, ...NIN.split('/'));
    const a = readFileSync(reference, 'utf8');
    const b = a.replace(/。/, '。这是一个新的句子。');
    const c = a.replace(/。/, '。这是另一个句子。');
    expect(new Set([a, b, c]).size).toBe(3);
    const english = readFileSync(sourcePath(book, RCNN), 'utf8');
    const descriptions: string[] = [];
    for (const [i, ref] of [a, b, c, b].entries()) {
      writeFile(reference, ref);
      writeFile(sourcePath(book, RCNN), `${english}\nEdit number ${i + 1} of this chapter.\n`); // something to do
      const run = await runOnce(h, book, { documents: [RCNN] });
      expect(run.outcome.status, run.lines.join('\n')).toBe('SUCCEEDED');
      expect(run.outcome.report?.parallelData?.updated, `run ${i + 1}`).toBe(true);
      const pd = h.env.translate?.state().parallelData['amts-en-zh'];
      expect(pd?.status).toBe('ACTIVE');
      descriptions.push(pd?.description ?? '');
    }
    // The last run holds B's data again (the description records the CSV hash), not C's.
    expect(descriptions[3]).toBe(descriptions[1]);
    expect(descriptions[2]).not.toBe(descriptions[1]);
    const writes = (h.env.translate?.calls ?? []).filter(
      (c) => (c.operation === 'CreateParallelData' || c.operation === 'UpdateParallelData') && !c.error,
    );
    expect(writes.map((w) => w.operation)).toEqual([
      'CreateParallelData',
      'UpdateParallelData',
      'UpdateParallelData',
      'UpdateParallelData',
    ]);
    expect(new Set(writes.map((w) => w.request.ClientToken)).size).toBe(4);
  });
});
