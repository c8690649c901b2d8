/**
 * Quality scoring identical to sacrebleu 2.6.0: BLEU (corpus, sentence), chrF and chrF++, the
 * tokenizers, signatures, and document scoring for the pipeline. (The vectors-file evaluator lives in
 * `./vectors`, outside this barrel, so Lambda bundles do not pull in its schema library.)
 */
export * from './bleu';
export * from './chrf';
export * from './document';
export { isPythonWhitespace, PYTHON_WHITESPACE, pyFixed, pyRstrip, pySplit, pyStrip } from './python-text';
export type { ReferenceStreams } from './references';
export { formatSignature, type NRefs, SACREBLEU_VERSION } from './signature';
export * from './tokenizers';
