/** The Markdown ⇄ Translate-HTML codec. See README "Markdown codec" for the unit and protection rules. */
export { writtenMarkdownProblems } from './check';
export { decodeMarkdown } from './decode';
export { escapeHtml, type HtmlOptions, toTranslateHtml } from './html';
export {
  type MergeReport,
  mergeTranslation,
  mergeTranslationReport,
  readTranslatedUnits,
  replaceUnits,
  type TranslatedUnit,
} from './merge';
export { extractSegments, unitHash } from './segments';
export { lineEndingOf, normalizeWhitespace, withLineEnding } from './text';
export type { Point, Segment, UnitKind } from './types';
