/**
 * A real upstream update (issue 10): the D2L sections with their Chinese reference synced from the r0.17
 * English the Chinese was made from, then the English replaced by d2l-en master (2024) and synced again.
 * Shared by test/core/sync/upstream.test.ts and bench/human-sync.bench.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownFiles } from '../../../cli/files';
import { extractSegments } from '../../../lambdas/core/markdown';
import {
  emptySyncState,
  originFromDocuments,
  type PlanDocumentInput,
  referenceAlignment,
  type SyncState,
} from '../../../lambdas/core/sync/api';
import { normalizeForCompare } from '../../../lambdas/core/sync/match';
import { splitSourceSentences } from '../../../lambdas/core/sync/sentences';
import { type Book, syncRun } from './helpers';

export const D2L = join(import.meta.dirname, '..', '..', 'fixtures', 'corpus', 'd2l');
const MASTER = join(import.meta.dirname, '..', '..', 'fixtures', 'upstream', 'en-master');

/** The sections present in en-master, en (r0.17) and zh. */
export function upstreamSections(): string[] {
  return markdownFiles(MASTER).filter(
    (p) => existsSync(join(D2L, 'en', p)) && existsSync(join(D2L, 'zh', p)),
  );
}

/** `en` (r0.17), `zh` (its translation) or `en-master` (the English two years later). */
export const read = (lang: string, path: string) =>
  readFileSync(lang === 'en-master' ? join(MASTER, path) : join(D2L, lang, path), 'utf8');

/** What Plan computes from `reference/zh/<path>` (and, with `origin`, from `<name>_origin.md`). */
function planInputs(english: string, path: string, origin: string | null): Partial<PlanDocumentInput> {
  const reference = read('zh', path);
  const alignment = referenceAlignment({
    sourceMarkdown: english,
    referenceMarkdown: reference,
    from: 'en',
    to: 'zh',
  });
  return {
    referencePairs: alignment.pairs,
    referenceWeak: alignment.weak,
    referenceUnits: alignment.units,
    ...(origin !== null
      ? {
          origin: originFromDocuments({
            originMarkdown: origin,
            referenceMarkdown: reference,
            from: 'en',
            to: 'zh',
          }),
        }
      : {}),
  };
}

export interface UpstreamResult {
  paths: string[];
  first: ReturnType<typeof syncRun>;
  /** The en-master run. */
  second: ReturnType<typeof syncRun>;
  book: Book;
  /** Per path: characters of the en-master sentences that are not sentences of the r0.17 English. */
  changedSentenceChars: Map<string, number>;
}

/** Units' plain sentences (`Segment.text` split like sync splits), whitespace-normalised. */
function sentencesOf(markdown: string): string[] {
  return extractSegments(markdown).flatMap((s) => splitSourceSentences(s.text).map(normalizeForCompare));
}

/**
 * Runs the update. `withOrigin`: the first run has no history, but d2l-zh keeps the r0.17 English beside
 * each translation as `<name>_origin.md`; without it, the second run relies on the sync state.
 */
export function runUpstream(opts: { withOrigin: boolean; paths?: readonly string[] }): UpstreamResult {
  const paths = [...(opts.paths ?? upstreamSections())];
  const book: Book = { source: new Map(paths.map((p) => [p, read('en', p)])), translated: new Map() };
  const first = syncRun(book, emptySyncState('en-zh'), 'r1', {
    sentenceLevel: true,
    perDocument: (p) => planInputs(read('en', p), p, null),
  });
  for (const p of paths) book.source.set(p, read('en-master', p));
  const second = syncRun(book, first.state as SyncState, 'r2', {
    sentenceLevel: true,
    perDocument: (p) => planInputs(read('en-master', p), p, opts.withOrigin ? read('en', p) : null),
  });
  const changedSentenceChars = new Map<string, number>();
  for (const p of paths) {
    const old = new Set(sentencesOf(read('en', p)));
    const total = sentencesOf(read('en-master', p))
      .filter((s) => !old.has(s))
      .reduce((n, s) => n + s.length, 0);
    changedSentenceChars.set(p, total);
  }
  return { paths, first, second, book, changedSentenceChars };
}
