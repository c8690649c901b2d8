/**
 * One document's planning input from its three texts: the English, the current translation and the
 * human reference. The Plan handler and `amts estimate` both build their documents here, so an
 * estimate plans exactly what the workflow plans (the reference alignment is per document, never
 * merged across the book).
 */
import { extractSegments } from '../markdown';
import type { PlanDocumentInput } from '../sync/api';
import { originFromDocuments, referenceAlignment } from '../sync/reference';
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
  /** The English the reference was translated from (`reference/<tgt>/<name>_origin.md`), when kept. */
  origin?: string | null;
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
    ...humanInputs(pair, texts, options.evaluate === true, files),
  };
}

/** The reference alignment (pairs, weak pairs, reference units) and the origin file of a document. */
function humanInputs(
  pair: LanguagePair,
  texts: DocumentTexts,
  evaluate: boolean,
  files: { source: string; reference: string },
): Pick<PlanDocumentInput, 'referencePairs' | 'referenceWeak' | 'referenceUnits' | 'origin'> {
  if (texts.reference === null || evaluate) return { referencePairs: new Map<string, string>() };
  const alignment = referenceAlignment({
    sourceMarkdown: texts.source,
    referenceMarkdown: texts.reference,
    from: pair.source,
    to: pair.target,
    sourceFile: files.source,
    referenceFile: files.reference,
  });
  return {
    referencePairs: alignment.pairs,
    referenceWeak: alignment.weak,
    referenceUnits: alignment.units,
    ...(texts.origin
      ? {
          origin: originFromDocuments({
            originMarkdown: texts.origin,
            referenceMarkdown: texts.reference,
            from: pair.source,
            to: pair.target,
            originFile: files.reference.replace(/\.md$/, '_origin.md'),
            referenceFile: files.reference,
          }),
        }
      : {}),
  };
}
