import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BookDocument, pairBook, pairDocuments, toParallelDataCsv } from '../../lambdas/core/align';
import type { PairCounts } from '../../lambdas/core/align/pair';
import { isLanguageCode } from '../../lambdas/core/language';
import { decodeMarkdown } from '../../lambdas/core/markdown';
import { markdownFiles } from '../files';
import { type Command, EXIT, readInputFile, UsageError } from '../io';

const USAGE = `usage: amts pair --from L --to L [--level sentence|paragraph] [--format json|csv] SOURCE.md TARGET.md
       amts pair --from L --to L [--level sentence|paragraph] [--crlf] --book DIR

Pairs the prose of a Markdown document with its human translation (code, math and images ignored):
paragraph alignment, then (default --level sentence) sentence alignment inside each paragraph pair,
falling back to the paragraph pair where the sentences do not align with confidence.
--format json (default) prints [{ "source": …, "target": … }]; --format csv prints the Amazon
Translate parallel-data CSV (header "L,L", cleaned, deduplicated; what was left out goes to stderr).
--book DIR pairs every DIR/source/<from>/**.md with DIR/reference/<to>/<same path> and prints one CSV;
per-document counts and documents without a counterpart go to stderr.
--crlf ends CSV lines with \\r\\n instead of \\n.`;

function readMarkdown(path: string): string {
  return decodeMarkdown(new Uint8Array(readInputFile(path)), path);
}

function requireDirectory(path: string, what: string): void {
  let ok = false;
  try {
    ok = statSync(path).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`${path}: no such directory (${what})`);
}

function describe(counts: PairCounts): string {
  const shapes = Object.entries(counts.groups)
    .map(([shape, n]) => `${shape}:${n}`)
    .join(' ');
  return (
    `${counts.pairs} pairs; units ${counts.sourceUnits}/${counts.targetUnits}; groups ${shapes || '-'}; ` +
    `unmatched source ${counts.unmatchedSource}, target ${counts.unmatchedTarget}; ` +
    `sentence-aligned ${counts.sentenceAligned}, paragraph fallbacks ${counts.paragraphFallbacks}, ` +
    `unmatched sentences ${counts.unmatchedSentences}`
  );
}

function describeCsv(counts: ReturnType<typeof toParallelDataCsv>['counts']): string {
  return (
    `csv: ${counts.written} rows written of ${counts.input} pairs; left out: duplicates ${counts.duplicates} ` +
    `(conflicting ${counts.conflictingDuplicates}), identical ${counts.identical}, too long ${counts.tooLong}, ` +
    `empty ${counts.empty}, invalid text ${counts.invalidText}; cleaned: leading +-=@ ${counts.cleanedLeading}, ` +
    `control characters ${counts.cleanedControl}`
  );
}

export const command: Command = {
  summary:
    'pair a document (or a whole book) with its translation: sentence/paragraph pairs, parallel-data CSV',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        level: { type: 'string' },
        format: { type: 'string' },
        book: { type: 'string' },
        crlf: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    const from = values.from;
    const to = values.to;
    if (from === undefined || to === undefined) throw new UsageError('--from and --to are required');
    for (const code of [from, to]) {
      if (!isLanguageCode(code))
        throw new UsageError(`'${code}' is not a language code (expected e.g. en, zh, zh-TW)`);
    }
    if (from === to) throw new UsageError(`--from and --to are both '${from}'`);
    const level = values.level ?? 'sentence';
    if (level !== 'sentence' && level !== 'paragraph') {
      throw new UsageError(`--level must be sentence or paragraph (got '${level}')`);
    }
    const format = values.format ?? (values.book !== undefined ? 'csv' : 'json');
    if (format !== 'json' && format !== 'csv')
      throw new UsageError(`--format must be json or csv (got '${format}')`);
    const newline = values.crlf ? '\r\n' : '\n';

    if (values.book !== undefined) {
      if (positionals.length > 0)
        throw new UsageError(`--book takes no file arguments (got ${positionals[0]})`);
      if (format !== 'csv') throw new UsageError('--book always prints CSV (--format json is not supported)');
      const sourceRoot = join(values.book, 'source', from);
      const targetRoot = join(values.book, 'reference', to);
      requireDirectory(sourceRoot, `the ${from} sources`);
      requireDirectory(targetRoot, `the ${to} references`);
      const load = (root: string): BookDocument[] =>
        markdownFiles(root).map((path) => ({ path, markdown: readMarkdown(join(root, path)) }));
      const { csv, counts } = pairBook(load(sourceRoot), load(targetRoot), { from, to, level, newline });
      io.out(csv);
      for (const doc of counts.documents) io.err(`${doc.path}: ${describe(doc.counts)}\n`);
      for (const path of counts.missingTarget)
        io.err(`${path}: no ${to} reference (reference/${to}/${path})\n`);
      for (const path of counts.missingSource)
        io.err(`${path}: no ${from} source (source/${from}/${path})\n`);
      io.err(
        `book: ${counts.documents.length} documents paired, ${counts.missingTarget.length} without reference, ` +
          `${counts.missingSource.length} without source\n${describeCsv(counts.csv)}\n`,
      );
      return EXIT.ok;
    }

    if (positionals.length !== 2) {
      throw new UsageError(`expected SOURCE.md and TARGET.md (got ${positionals.length} file argument(s))`);
    }
    const [sourcePath, targetPath] = positionals as [string, string];
    const result = pairDocuments(readMarkdown(sourcePath), readMarkdown(targetPath), {
      from,
      to,
      level,
      sourceFile: sourcePath,
      targetFile: targetPath,
    });
    io.err(`${sourcePath}: ${describe(result.counts)}\n`);
    if (format === 'json') {
      io.out(`${JSON.stringify(result.pairs, null, 2)}\n`);
    } else {
      const { csv, counts } = toParallelDataCsv(result.pairs, { source: from, target: to, newline });
      io.out(csv);
      io.err(`${describeCsv(counts)}\n`);
    }
    return EXIT.ok;
  },
};
