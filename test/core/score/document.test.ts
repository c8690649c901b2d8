import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lambdas/core/errors';
import { corpusBleu, corpusChrf, scoreDocument } from '../../../lambdas/core/score';

const zhHyp = ['深度学习是机器学习的一个分支。', '我们使用PyTorch实现模型。', '本节介绍循环神经网络。'];
const zhRef = ['深度学习是机器学习的一个分支。', '我们用PyTorch来实现这个模型。', '本节将介绍循环神经网络。'];

describe('scoreDocument()', () => {
  it('rejects hypothesis and reference lists of different lengths', () => {
    expect(() => scoreDocument({ hypothesis: ['a'], reference: [], targetLang: 'zh' })).toThrow(
      InvalidInputError,
    );
  });

  it('rejects non-array input and non-string units', () => {
    expect(() => scoreDocument({ hypothesis: 'a' as never, reference: ['a'], targetLang: 'zh' })).toThrow(
      /arrays/,
    );
    expect(() => scoreDocument({ hypothesis: [1 as never], reference: ['a'], targetLang: 'zh' })).toThrow(
      /pair 1/,
    );
  });

  it.each([-1, 1.5, Number.NaN])('rejects unpaired = %d', (unpaired) => {
    expect(() => scoreDocument({ hypothesis: ['a'], reference: ['a'], targetLang: 'en', unpaired })).toThrow(
      /unpaired/,
    );
  });

  it('returns null when there is nothing to score', () => {
    expect(scoreDocument({ hypothesis: [], reference: [], targetLang: 'zh', unpaired: 3 })).toBeNull();
    expect(scoreDocument({ hypothesis: ['x'], reference: [' \u3000'], targetLang: 'zh' })).toBeNull();
  });

  it('scores Chinese with the zh tokenizer: corpus BLEU and chrF2 over the pairs', () => {
    const s = scoreDocument({ hypothesis: zhHyp, reference: zhRef, targetLang: 'zh', unpaired: 2 });
    expect(s).not.toBeNull();
    expect(s?.bleu).toBe(corpusBleu(zhHyp, [zhRef], { tokenize: 'zh' }).score);
    expect(s?.chrf).toBe(corpusChrf(zhHyp, [zhRef]).score);
    expect(s?.pairedUnits).toBe(3);
    expect(s?.unpairedUnits).toBe(2);
    expect(s?.signature).toBe('nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0');
    expect(s?.chrfSignature).toBe('nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0');
    expect(s?.bleu).toBeGreaterThan(40);
    expect(s?.bleu).toBeLessThan(100);
  });

  it('picks char for Japanese and 13a for Portuguese, or the tokenizer given', () => {
    expect(
      scoreDocument({ hypothesis: ['機械翻訳'], reference: ['機械翻訳'], targetLang: 'ja' })?.signature,
    ).toContain('tok:char');
    expect(
      scoreDocument({ hypothesis: ['Olá, mundo.'], reference: ['Olá mundo.'], targetLang: 'pt-BR' })
        ?.signature,
    ).toContain('tok:13a');
    expect(
      scoreDocument({ hypothesis: ['a b'], reference: ['a b'], targetLang: 'zh', tokenize: 'intl' })
        ?.signature,
    ).toContain('tok:intl');
  });

  it('counts pairs with an empty reference as unpaired and scores empty hypotheses', () => {
    const s = scoreDocument({
      hypothesis: [zhHyp[0] as string, '', 'x'],
      reference: [zhRef[0] as string, zhRef[1] as string, ''],
      targetLang: 'zh',
      unpaired: 1,
    });
    expect(s?.pairedUnits).toBe(2);
    expect(s?.unpairedUnits).toBe(2);
    expect(s?.bleu).toBeLessThan(
      corpusBleu([zhHyp[0] as string], [[zhRef[0] as string]], { tokenize: 'zh' }).score,
    );
  });

  it('gives 100 for a document identical to its reference', () => {
    const s = scoreDocument({ hypothesis: zhRef, reference: zhRef, targetLang: 'zh' });
    expect(s?.bleu).toBeCloseTo(100, 9);
    expect(s?.chrf).toBeCloseTo(100, 9);
  });
});
