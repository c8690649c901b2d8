/**
 * Parallel data from human translations: sentence splitting, paragraph and sentence alignment of a
 * document with its translation, and the Amazon Translate parallel-data CSV.
 */

export { type BookCounts, type BookDocument, pairBook } from './book';
export { type CsvCounts, type CsvOptions, MAX_FIELD_BYTES, type TextPair, toParallelDataCsv } from './csv';
export { LENGTH_MODELS, lengthModel } from './features';
export {
  alignSentences,
  type PairCounts,
  type PairLevel,
  type PairOptions,
  type PairResult,
  pairDocuments,
  pairSegments,
} from './pair';
export { type AlignedGroup, type AlignOptions, alignParagraphs } from './paragraphs';
export { isCjkLanguage, splitSentences } from './sentences';
