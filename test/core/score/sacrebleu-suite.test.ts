import { describe, expect, it } from 'vitest';
import {
  type BleuOptions,
  computeBleu,
  corpusBleu,
  corpusChrf,
  type SmoothMethod,
  sentenceBleu,
  sentenceChrf,
  type TokenizerName,
} from '../../../lambdas/core/score';

/*
 * Expected values from sacrebleu's own test suite (https://github.com/mjpost/sacrebleu, Apache-2.0:
 * test/test_bleu.py, test/test_sentence_bleu.py, test/test_chrf.py), with the tolerances used
 * there. Left out: test_raw_bleu's first case (0.0038 for hypotheses without any match), which
 * predates sacrebleu's fix #141 — since 2.0 such a corpus scores 0, as our tests check elsewhere.
 * `raw_corpus_bleu(h, r, v)` is sacrebleu.compat's: floor smoothing v, tokenize none, effective order.
 */
const raw = (hyps: string[], refs: string[][], floor: number | null = 0.01) =>
  corpusBleu(hyps, refs, {
    smoothMethod: 'floor',
    smoothValue: floor,
    tokenize: 'none',
    effectiveOrder: true,
  });

const REFS = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const HYPS = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

describe('sacrebleu test_bleu.py', () => {
  it.each([
    [HYPS, {}, 48.530827],
    [['', '', ''], {}, 0.0],
    [HYPS, { tokenize: 'none' }, 49.1919566],
    [HYPS, { tokenize: '13a' }, 48.530827],
    [HYPS, { tokenize: 'intl' }, 43.91623493],
    [HYPS, { smoothMethod: 'none' }, 48.530827],
  ] as Array<[string[], BleuOptions, number]>)('corpus_bleu %j %j = %d', (hyps, opts, expected) => {
    expect(Math.abs(corpusBleu(hyps, REFS, opts).score - expected)).toBeLessThan(1e-8);
  });

  it.each([
    ['this is a test', 'this is a test', 1.0],
    ['this is a fest', 'this is a test', 0.223606797749979],
    ['test', 'a test', 0.3678794411714425],
    ['a test', 'a test', 1.0],
    ['a little test', 'a test', 0.03218297948685433],
  ])('raw_corpus_bleu(%j, %j) = %d', (hyp, ref, expected) => {
    expect(Math.abs(raw([hyp], [[ref]]).score / 100 - expected)).toBeLessThan(1e-8);
  });

  it('counts statistics of "am I am a character sequence"', () => {
    const r = raw(['am I am a character sequence'], [['I am a symbol string sequence a a']]);
    expect(r.counts).toEqual([4, 2, 1, 0]);
    expect(r.totals).toEqual([6, 5, 4, 3]);
  });

  it('uses the default floor value 0.1 when none is given, and 0 stays 0', () => {
    const h = ['am I am a character sequence'];
    const r = [['I am a symbol string sequence a a']];
    expect(raw(h, r, 0.0).score).toBe(0);
    expect(Math.abs(raw(h, r, null).score / 100 - 0.1555722182)).toBeLessThan(1e-8);
  });

  it('compute_bleu([9,7,5,3], [10,8,6,4], 11, 11) = 0.8375922397', () => {
    expect(
      Math.abs(computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11).score / 100 - 0.8375922397),
    ).toBeLessThan(1e-8);
  });

  it.each([
    [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0],
    [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0],
    [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
    [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
  ])('degenerate statistics %j/%j (sys %d, ref %d, floor %d) score 0', (correct, total, sys, ref, floor) => {
    expect(computeBleu(correct, total, sys, ref, { smoothMethod: 'floor', smoothValue: floor }).score).toBe(
      0,
    );
  });
});

describe('sacrebleu test_sentence_bleu.py (issue #98 example)', () => {
  const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';

  it.each([
    ['exp', null, false, '13a', 8.493],
    ['none', null, false, '13a', 0.0],
    ['floor', null, false, '13a', 4.51688],
    ['floor', 0.1, false, '13a', 4.51688],
    ['floor', 0.5, false, '13a', 10.1],
    ['add-k', null, false, '13a', 14.882],
    ['add-k', 1, false, '13a', 14.882],
    ['add-k', 2, false, '13a', 21.389],
    ['exp', null, false, 'none', 7.347],
    ['exp', null, false, 'intl', 8.493],
    ['exp', null, false, 'char', 40.8759],
    ['exp', null, true, 'char', 42.0267],
  ] as Array<[SmoothMethod, number | null, boolean, TokenizerName, number]>)(
    'smooth %s %s, lowercase %s, tok %s = %d',
    (smoothMethod, smoothValue, lowercase, tokenize, expected) => {
      const s = sentenceBleu(SYS, [REF], { smoothMethod, smoothValue, lowercase, tokenize }).score;
      expect(Math.abs(s - expected)).toBeLessThan(1e-3);
    },
  );

  it.each(['exp', 'none', 'floor', 'add-k'] as SmoothMethod[])(
    'issue #141: no match scores 0 with %s',
    (smoothMethod) => {
      expect(sentenceBleu('this is a cat', ['okay thanks'], { smoothMethod }).score).toBe(0);
    },
  );
});

describe('sacrebleu test_chrf.py', () => {
  it.each([
    [['abcdefg'], ['hijklmnop'], 0.0],
    [['a'], ['b'], 0.0],
    [[''], ['b'], 0.0],
    [[''], ['ref'], 0.0],
    [[''], ['reference'], 0.0],
    [['aa'], ['ab'], 8.3333],
    [['a', 'b'], ['a', 'c'], 8.3333],
    [['a'], ['a'], 16.6667],
    [['a b c'], ['a b c'], 50.0],
    [['a b c'], ['abc'], 50.0],
    [
      [
        ' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
      ],
      [
        'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
      ],
      63.36173,
    ],
    [
      [' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
      64.1302698,
    ],
    [
      ['Niemand hat die Absicht, eine Mauer zu errichten'],
      ['Niemand hat die Absicht, eine Mauer zu errichten'],
      100.0,
    ],
  ])('eps smoothing, β=3: %j vs %j = %d', (hyps, refs, expected) => {
    expect(Math.abs(corpusChrf(hyps, [refs], { beta: 3, epsSmoothing: true }).score - expected)).toBeLessThan(
      1e-4,
    );
  });

  it.each([
    [['a'], ['a'], 100.0],
    [[''], ['reference'], 0.0],
    [['a b c'], ['a b c'], 100.0],
    [['a b c'], ['abc'], 100.0],
    [[''], ['c'], 0.0],
    [['a', 'b'], ['a', 'c'], 50.0],
    [['aa'], ['ab'], 25.0],
  ])('effective order, β=3: %j vs %j = %d', (hyps, refs, expected) => {
    expect(Math.abs(corpusChrf(hyps, [refs], { beta: 3 }).score - expected)).toBeLessThan(1e-4);
  });

  it.each([
    [
      'Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.',
      'Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.',
      67.3481606,
    ],
    [
      'risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
      'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
      65.2414427,
    ],
  ])('keeping whitespace, β=3: %j', (hyp, ref, expected) => {
    expect(Math.abs(corpusChrf([hyp], [[ref]], { beta: 3, whitespace: true }).score - expected)).toBeLessThan(
      1e-4,
    );
  });

  it.each([
    [
      'Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
      'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.',
      39.14078509,
    ],
    [
      'Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
      'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.',
      31.22557079,
    ],
    [
      'Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
      'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.',
      57.15704367,
    ],
  ])('sentence chrF with eps smoothing: %j', (hyp, ref, expected) => {
    expect(Math.abs(sentenceChrf(hyp, [ref], { epsSmoothing: true }).score - expected)).toBeLessThan(1e-4);
  });
});
