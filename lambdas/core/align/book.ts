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

/** The aligned pairs of one document and its counts (before any is left out of the CSV). */
export interface AlignedDocument {
  path: string;
  counts: PairCounts;
  pairs: { source: string; target: string }[];
}

/** Aligns one document with its translation (sentence level by default). */
export function alignBookDocument(
  path: string,
  source: string,
  target: string,
  opts: { from: string; to: string; level?: PairLevel },
): AlignedDocument {
  const result = pairDocuments(source, target, {
    from: opts.from,
    to: opts.to,
    level: opts.level ?? 'sentence',
    sourceFile: `source/${opts.from}/${path}`,
    targetFile: `reference/${opts.to}/${path}`,
  });
  return {
    path,
    counts: result.counts,
    pairs: result.pairs.map((p) => ({ source: p.source, target: p.target })),
  };
}

/**
 * The CSV of aligned documents, in the order given (path order for a deterministic file); `keep` leaves
 * pairs out (e.g. new English with a stale translation).
 */
export function csvOfDocuments(
  documents: Iterable<AlignedDocument>,
  opts: {
    from: string;
    to: string;
    newline?: '\n' | '\r\n';
    keep?: (path: string, pair: { source: string; target: string }) => boolean;
  },
): { csv: string; counts: CsvCounts } {
  const keep = opts.keep;
  function* pairs() {
    for (const doc of documents) {
      for (const p of doc.pairs) if (!keep || keep(doc.path, p)) yield p;
    }
  }
  return toParallelDataCsv(pairs(), { source: opts.from, target: opts.to, newline: opts.newline });
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
  const missingTarget: string[] = [];
  const aligned: AlignedDocument[] = [];
  for (const path of [...sourceByPath.keys()].sort()) {
    const target = targetByPath.get(path);
    if (target === undefined) missingTarget.push(path);
    else aligned.push(alignBookDocument(path, sourceByPath.get(path) as string, target, opts));
  }
  const missingSource = [...targetByPath.keys()].filter((p) => !sourceByPath.has(p)).sort();
  const { csv, counts } = csvOfDocuments(aligned, opts);
  return {
    csv,
    counts: {
      documents: aligned.map((d) => ({ path: d.path, counts: d.counts })),
      missingTarget,
      missingSource,
      csv: counts,
    },
  };
}
