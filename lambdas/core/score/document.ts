import { InvalidInputError } from '../errors';
import type { DocumentScores } from '../report';
import { corpusBleu } from './bleu';
import { corpusChrf } from './chrf';
import { pyStrip } from './python-text';
import { defaultTokenizerFor, type TokenizerName } from './tokenizers';

/** Input of `scoreDocument`: unit texts already paired by the aligner, in document order. */
export interface ScoreDocumentInput {
  /** Machine-translated (or assembled) text of each paired unit: codec `Segment.text`. */
  hypothesis: readonly string[];
  /** Human reference text of the same units, `reference[i]` pairs with `hypothesis[i]`. */
  reference: readonly string[];
  /** Target language code (`zh`, `ja`, `pt-BR` …): picks the BLEU tokenizer. */
  targetLang: string;
  /** Units the aligner could not pair (reported, not scored). Default 0. */
  unpaired?: number;
  /** Override the BLEU tokenizer chosen from `targetLang`. */
  tokenize?: TokenizerName;
}

/**
 * Scores one translated document against its human reference: corpus BLEU (tokenizer from the
 * target language, see `defaultTokenizerFor`) and corpus chrF2 over the paired prose units, one
 * unit = one segment, exactly as sacrebleu would score the two files of unit lines.
 *
 * A pair whose reference is empty or only whitespace cannot be scored (sacrebleu refuses empty
 * references) and is counted as unpaired; an empty hypothesis is scored (it costs BLEU, as it should).
 * Returns `null` when no pair is left to score — the report then shows no scores for the document.
 *
 * @example
 * scoreDocument({ hypothesis: ['深度学习很有趣。'], reference: ['深度学习很有意思。'], targetLang: 'zh' })
 * // → { bleu: …, chrf: …, pairedUnits: 1, unpairedUnits: 0, signature: 'nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0', chrfSignature: … }
 */
export function scoreDocument(input: ScoreDocumentInput): DocumentScores | null {
  const { hypothesis, reference } = input;
  if (!Array.isArray(hypothesis) || !Array.isArray(reference)) {
    throw new InvalidInputError('scoreDocument: hypothesis and reference must be arrays of unit texts');
  }
  if (hypothesis.length !== reference.length) {
    throw new InvalidInputError(
      `scoreDocument: ${hypothesis.length} hypothesis units but ${reference.length} reference units; pass aligned pairs`,
    );
  }
  const unpaired = input.unpaired ?? 0;
  if (!Number.isInteger(unpaired) || unpaired < 0) {
    throw new InvalidInputError(`scoreDocument: unpaired must be a non-negative integer, got ${unpaired}`);
  }
  const hyps: string[] = [];
  const refs: string[] = [];
  let unscorable = 0;
  for (let i = 0; i < hypothesis.length; i++) {
    const h = hypothesis[i];
    const r = reference[i];
    if (typeof h !== 'string' || typeof r !== 'string') {
      throw new InvalidInputError(`scoreDocument: pair ${i + 1} is not a pair of strings`);
    }
    if (pyStrip(r) === '') {
      unscorable++;
      continue;
    }
    hyps.push(h);
    refs.push(r);
  }
  if (hyps.length === 0) return null;
  const tokenize = input.tokenize ?? defaultTokenizerFor(input.targetLang);
  const bleu = corpusBleu(hyps, [refs], { tokenize });
  const chrf = corpusChrf(hyps, [refs]);
  return {
    bleu: bleu.score,
    chrf: chrf.score,
    pairedUnits: hyps.length,
    unpairedUnits: unpaired + unscorable,
    signature: bleu.signature,
    chrfSignature: chrf.signature,
  };
}
