import { alignParagraphs } from '../align/paragraphs';
import { extractSegments } from '../markdown';
import type { DocumentScores } from '../report';
import { scoreDocument } from '../score';
import type { LanguagePair } from './names';

/**
 * Score a translated document against its human reference. The English units are aligned with the
 * reference units (the aligner); the translated document has the English structure, so its n-th unit
 * is the translation of the n-th English unit. Each aligned group gives one hypothesis/reference line
 * (units of a 2-1 or 1-2 group joined by a space); 1-0 / 0-1 groups count as unpaired.
 * Returns `{ scores: null, warning }` when the translated document lost the English unit structure.
 */
export function scoreAgainstReference(
  pair: LanguagePair,
  doc: { path: string; source: string; translated: string; reference: string },
): { scores: DocumentScores | null; warning: string | null } {
  const source = extractSegments(doc.source, { file: `source/${pair.source}/${doc.path}` });
  const translated = extractSegments(doc.translated, { file: `translated/${pair.target}/${doc.path}` });
  const reference = extractSegments(doc.reference, { file: `reference/${pair.target}/${doc.path}` });
  if (translated.length !== source.length) {
    return {
      scores: null,
      warning: `not scored: the translation has ${translated.length} units, the English ${source.length}`,
    };
  }
  const index = new Map(source.map((s, i) => [s.id, i]));
  const groups = alignParagraphs(source, reference, {
    from: pair.source,
    to: pair.target,
    sourceMarkdown: doc.source,
    targetMarkdown: doc.reference,
  });
  const hypothesis: string[] = [];
  const refs: string[] = [];
  let unpaired = 0;
  for (const g of groups) {
    if (g.source.length === 0 || g.target.length === 0) {
      unpaired += g.source.length + g.target.length;
      continue;
    }
    hypothesis.push(g.source.map((s) => translated[index.get(s.id) ?? -1]?.text ?? '').join(' '));
    refs.push(g.target.map((t) => t.text).join(' '));
  }
  return {
    scores: scoreDocument({ hypothesis, reference: refs, targetLang: pair.target, unpaired }),
    warning: null,
  };
}
