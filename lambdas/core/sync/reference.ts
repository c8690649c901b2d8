import type { Segment } from '../markdown/types';

/**
 * English unit text → reference unit Markdown, for the units of a document and its human translation that
 * can be paired with confidence. Conservative on purpose: a wrong pair would put a human translation of
 * another paragraph into the output.
 */
export function referencePairsFromDocuments(
  _source: readonly Segment[],
  _reference: readonly Segment[],
): Map<string, string> {
  throw new Error('referencePairsFromDocuments: work in progress (issue 7)');
}
