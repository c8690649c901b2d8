// How `amts run --local` rewrites translated/ files.
// - `force: true` replaces human edits on purpose. On AWS the versioned bucket keeps the old text; the
//   local bucket keeps no versions, so the runner keeps it in its data folder. The warning, the summary
//   and what is on disk must agree.
// - A source converted to CRLF in place: the written translation follows the source's line endings.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PREVIOUS_VERSION_KEPT } from '../../lambdas/core/sync/plan';
import { HISTORY_FOLDER } from '../../local/run/book-sync';
import {
  ALL_DOCUMENTS,
  copyExamples,
  NIN,
  RCNN,
  readTranslated,
  runOnce,
  sourcePath,
  translatedPath,
  useHarness,
  writeFile,
} from './helpers';

const h = useHarness();

describe('force: true in a local run keeps every replaced post-edit where the run says', () => {
  it('post-edits 2 of 2 are recoverable from the data folder after a forced rewrite', async () => {
    const book = copyExamples(h);
    expect((await runOnce(h, book)).outcome.status).toBe('SUCCEEDED');
    const edits = new Map<string, string>();
    for (const [doc, from, to] of [
      [RCNN, '## 小结', '## 本节小结（人工）'],
      [NIN, '## 小结', '## 本节小结（人工）'],
    ] as const) {
      const edited = readTranslated(book, doc).replace(from, to);
      expect(edited).toContain(to);
      writeFile(translatedPath(book, doc), edited);
      edits.set(doc, edited);
    }
    const kept = await runOnce(h, book);
    expect(kept.outcome.report?.documents.filter((d) => d.units.postEditsKept > 0)).toHaveLength(2);

    const forced = await runOnce(h, book, { documents: [RCNN, NIN], force: true });

    expect(forced.outcome.status).toBe('SUCCEEDED');
    for (const doc of [RCNN, NIN]) {
      expect(readTranslated(book, doc)).not.toContain('（人工）'); // force did replace the post-edit…
      const report = forced.outcome.report?.documents.find((d) => d.path === doc);
      expect(report?.units.postEditsKept).toBe(0);
      expect(report?.warnings.join('\n')).toContain(
        `(the previous version is kept: ${PREVIOUS_VERSION_KEPT})`,
      );
    }
    // …and the human text is where the warning and the summary say: <data>/history/<run id>/translated/…
    const history = forced.downloaded.historyDir;
    expect(history).toBe(join(h.root, 'data', HISTORY_FOLDER, forced.outcome.runId));
    expect(forced.downloaded.replaced?.map((r) => r.key).sort()).toEqual(
      [RCNN, NIN].map((d) => `translated/zh/${d}`).sort(),
    );
    for (const [doc, text] of edits) {
      const previous = join(history ?? '', 'translated', 'zh', ...doc.split('/'));
      expect(existsSync(previous)).toBe(true);
      expect(readFileSync(previous, 'utf8')).toBe(text);
    }
    expect(forced.lines.join('\n')).toContain(
      `Replaced 2 file(s) in translated/; their previous text is kept in ${history}`,
    );
  });
});

describe("line endings: a translation is written with its source's convention", () => {
  const endings = (text: string) => ({
    crlf: text.match(/\r\n/g)?.length ?? 0,
    lf: text.match(/(?<!\r)\n/g)?.length ?? 0,
  });

  it('a book whose sources were converted to CRLF in place gets CRLF translations, with nothing sent or seen as a post-edit', async () => {
    const book = copyExamples(h);
    expect((await runOnce(h, book)).outcome.status).toBe('SUCCEEDED');
    for (const doc of ALL_DOCUMENTS) {
      const path = sourcePath(book, doc);
      writeFile(path, readFileSync(path, 'utf8').replace(/\r?\n/g, '\r\n'));
    }

    const converted = await runOnce(h, book);

    expect(converted.outcome.status).toBe('SUCCEEDED');
    expect(converted.outcome.report?.charactersSent).toBe(0);
    for (const doc of ALL_DOCUMENTS) {
      const text = readTranslated(book, doc);
      expect({ doc, lf: endings(text).lf }).toEqual({ doc, lf: 0 });
      expect(endings(text).crlf).toBeGreaterThan(10);
    }
    const again = await runOnce(h, book);
    expect(again.downloaded.downloaded.filter((k) => k.startsWith('translated/'))).toEqual([]);
    expect(again.outcome.report?.documents.map((d) => [d.status, d.units.postEditsKept])).toEqual(
      ALL_DOCUMENTS.map(() => ['unchanged', 0]),
    );
  });
});
