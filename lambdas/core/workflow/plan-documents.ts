/**
 * One document's planning input from its three texts: the English, the current translation and the
 * human reference. The Plan handler and `amts estimate` both build their documents here, so an
 * estimate plans exactly what the workflow plans (the reference alignment is per document, never
 * merged across the book).
 */
import { extractSegments } from '../markdown';
import type { PlanDocumentInput } from '../sync/api';
import { referencePairsFromDocuments } from '../sync/reference';
import type { LanguagePair } from './names';

/** The texts of one document, as read from `source/`, `translated/` and `reference/`. */
export interface DocumentTexts {
  /** Path relative to `source/<src>/`. */
  path: string;
  source: string;
  /** `null` when `translated/<tgt>/<path>` does not exist (or is ignored, as in evaluate). */
  translated: string | null;
  /** `null` when `reference/<tgt>/<path>` does not exist. */
  reference: string | null;
}

/**
 * The planning input of one document. Evaluate ignores the reference alignment (every unit is
 * machine-translated, then scored against the reference). `files` labels error messages.
 */
export function planDocumentInput(
  pair: LanguagePair,
  texts: DocumentTexts,
  options: { evaluate?: boolean; files?: { source: string; translated: string; reference: string } } = {},
): Omit<PlanDocumentInput, 'previous'> {
  const files = options.files ?? {
    source: `source/${pair.source}/${texts.path}`,
    translated: `translated/${pair.target}/${texts.path}`,
    reference: `reference/${pair.target}/${texts.path}`,
  };
  return {
    path: texts.path,
    sourceMarkdown: texts.source,
    source: extractSegments(texts.source, { file: files.source }),
    translatedMarkdown: texts.translated,
    translated:
      texts.translated === null ? null : extractSegments(texts.translated, { file: files.translated }),
    referencePairs:
      texts.reference === null || options.evaluate
        ? new Map<string, string>()
        : referencePairsFromDocuments({
            sourceMarkdown: texts.source,
            referenceMarkdown: texts.reference,
            from: pair.source,
            to: pair.target,
            sourceFile: files.source,
            referenceFile: files.reference,
          }),
  };
}
