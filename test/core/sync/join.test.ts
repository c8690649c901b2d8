import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinSentences } from '../../../lambdas/core/sync/sentences';

describe('joinSentences: kept and new sentences glued as the text on each side needs', () => {
  it.each([
    [
      'an English sentence kept in a Chinese unit, then another',
      ['sequence.', 'To quantify'],
      'sequence. To quantify',
    ],
    ['Chinese after Chinese', ['序列。', '为了量化'], '序列。为了量化'],
    ['English after Chinese full stop', ['序列。', 'To quantify'], '序列。To quantify'],
    ['Chinese after an English sentence', ['sequence.', '为了量化'], 'sequence. 为了量化'],
    ['Japanese after Japanese', ['系列です。', '次に'], '系列です。次に'],
    ['Korean keeps spaces', ['시퀀스입니다.', '다음'], '시퀀스입니다. 다음'],
    ['Spanish', ['Una secuencia.', 'Para medir'], 'Una secuencia. Para medir'],
    ['full-width question mark', ['什么？', 'Why'], '什么？Why'],
    ['trims and skips empty pieces', ['  a. ', '', ' b. '], 'a. b.'],
    ['math at the end of a sentence', ['求 $x$。', '然后'], '求 $x$。然后'],
  ])('%s', (_name, parts, joined) => {
    expect(joinSentences(parts)).toBe(joined);
  });

  it('keeps every piece, in order, and never doubles a space at a boundary', () => {
    const piece = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== '');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
        const joined = joinSentences(parts);
        let at = 0;
        for (const p of parts) {
          const found = joined.indexOf(p.trim(), at);
          expect(found).toBeGreaterThanOrEqual(at);
          at = found + p.trim().length;
        }
        const inner = parts.map((p) => p.trim()).join('');
        expect(joined.length - inner.length).toBeLessThanOrEqual(Math.max(0, parts.length - 1));
      }),
    );
  });
});
