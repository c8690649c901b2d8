import { beforeAll, describe, expect, it } from 'vitest';
import { extractSegments } from '../../../lambdas/core/markdown';
import { ReviewItemSchema } from '../../../lambdas/core/report';
import { normalizeForCompare } from '../../../lambdas/core/sync/match';
import { protectedDifferences } from '../../workflow/protected';
import { read, runUpstream, type UpstreamResult } from './upstream';

// A real upstream update on three sections (bench/human-sync.bench.ts runs all nine): synced from the
// r0.17 English with the Chinese reference, then the English replaced by d2l-en master (2024).
const PATHS = [
  'chapter_computer-vision/rcnn.md',
  'chapter_natural-language-processing-applications/natural-language-inference-and-dataset.md',
  'chapter_natural-language-processing-pretraining/approx-training.md',
];

let run: UpstreamResult;
beforeAll(() => {
  run = runUpstream({ withOrigin: false, paths: PATHS });
});

describe('a real upstream update (d2l-en r0.17 → master) of chapters with a Chinese reference', () => {
  it('the first run takes the human reference for most units and sends the rest', () => {
    for (const r of run.first.reports) expect(r.units.fromReference, r.path).toBeGreaterThan(10);
  });

  it('every unit whose English changed is sent (whole or its changed sentences) or flagged for review', () => {
    for (const doc of run.second.plan.documents) {
      const oldTexts = new Set(extractSegments(read('en', doc.path)).map((s) => normalizeForCompare(s.text)));
      const changed = doc.units.filter((u) => !oldTexts.has(normalizeForCompare(u.sourceText)));
      expect(changed.length, doc.path).toBeGreaterThan(0);
      for (const u of changed) {
        const ok = u.action === 'machine' || u.review !== undefined;
        expect(ok, `${doc.path} ${u.unitId}: ${u.action} ${u.sourceText.slice(0, 60)}`).toBe(true);
      }
    }
  });

  it('no unit whose English changed keeps an old human text unflagged', () => {
    for (const doc of run.second.plan.documents) {
      const oldTexts = new Set(extractSegments(read('en', doc.path)).map((s) => normalizeForCompare(s.text)));
      const human = new Set(
        extractSegments(read('zh', doc.path)).map((s) => normalizeForCompare(s.markdown)),
      );
      const state = run.second.state.documents[doc.path];
      doc.units.forEach((u, i) => {
        if (oldTexts.has(normalizeForCompare(u.sourceText))) return;
        const written = state?.units[i]?.targetMarkdown ?? '';
        if (human.has(normalizeForCompare(written))) {
          expect(u.review?.kind, `${doc.path} ${u.unitId}`).toMatch(/^(stale|fuzzy)$/);
        }
      });
    }
  });

  it('reports stale units with their old English and old human text, and keeps protected content intact', () => {
    let stale = 0;
    for (const r of run.second.reports) {
      stale += r.units.stale ?? 0;
      for (const item of r.review ?? []) {
        ReviewItemSchema.parse(item);
        if (item.kind === 'stale' || item.kind === 'fuzzy') {
          expect(item.previousSource, `${r.path} ${item.unitId}`).toBeTruthy();
          expect(item.previousHuman, `${r.path} ${item.unitId}`).toBeTruthy();
        }
      }
      expect(protectedDifferences(read('en-master', r.path), run.book.translated.get(r.path) ?? '')).toEqual({
        missing: [],
        extra: [],
      });
    }
    expect(stale).toBeGreaterThan(5);
  });

  it('sends about what changed: at most 1.5 × the characters of the changed sentences', () => {
    const changed = [...run.changedSentenceChars.values()].reduce((a, b) => a + b, 0);
    expect(changed).toBeGreaterThan(500);
    expect(run.second.plan.charactersSent).toBeLessThanOrEqual(1.5 * changed);
    expect(run.second.plan.charactersSent).toBeGreaterThanOrEqual(0.5 * changed);
  });
});
