/**
 * Corpus mode: every source document that has a translation under the same relative path is
 * paired; all pairs go into one parallel-data CSV (duplicates across documents removed there).
 */
import { type CsvCounts, toParallelDataCsv } from './csv';
import { type PairCounts, type PairLevel, pairDocuments } from './pair';

/** One document of a book: its relative path and Markdown text. */
export interface BookDocument {
  path: string;
  markdown: string;
}

export interface BookCounts {
  /** Per paired document (relative path), in path order. */
  documents: { path: string; counts: PairCounts }[];
  /** Source documents without a translation (relative paths, sorted). */
  missingTarget: string[];
  /** Translations without a source document (relative paths, sorted). */
  missingSource: string[];
  /** What the CSV writer did with all pairs together. */
  csv: CsvCounts;
}

/**
 * Pairs every document of `sources` with the document of `targets` at the same path and writes one
 * CSV. Documents are processed in path order, so the output is deterministic; duplicate sources
 * across documents follow `toParallelDataCsv` (the last one wins, at the first one's position).
 */
export function pairBook(
  sources: Iterable<BookDocument>,
  targets: Iterable<BookDocument>,
  opts: {
    from: string;
    to: string;
    level?: PairLevel;
    newline?: '\n' | '\r\n';
    /** Keeps a pair of a document (`false` leaves it out of the CSV, e.g. new English with a stale translation). */
    keep?: (path: string, pair: { source: string; target: string }) => boolean;
  },
): { csv: string; counts: BookCounts } {
  const targetByPath = new Map<string, string>();
  for (const doc of targets) targetByPath.set(doc.path, doc.markdown);
  const sourceByPath = new Map<string, string>();
  for (const doc of sources) sourceByPath.set(doc.path, doc.markdown);
  const paths = [...sourceByPath.keys()].sort();
  const documents: BookCounts['documents'] = [];
  const missingTarget: string[] = [];
  const pairs: { source: string; target: string }[] = [];
  for (const path of paths) {
    const target = targetByPath.get(path);
    if (target === undefined) {
      missingTarget.push(path);
      continue;
    }
    const result = pairDocuments(sourceByPath.get(path) as string, target, {
      from: opts.from,
      to: opts.to,
      level: opts.level ?? 'sentence',
      sourceFile: `source/${opts.from}/${path}`,
      targetFile: `reference/${opts.to}/${path}`,
    });
    documents.push({ path, counts: result.counts });
    pairs.push(...(opts.keep ? result.pairs.filter((p) => opts.keep?.(path, p) ?? true) : result.pairs));
  }
  const missingSource = [...targetByPath.keys()].filter((p) => !sourceByPath.has(p)).sort();
  const { csv, counts } = toParallelDataCsv(pairs, {
    source: opts.from,
    target: opts.to,
    newline: opts.newline,
  });
  return { csv, counts: { documents, missingTarget, missingSource, csv: counts } };
}
