/** S3 reads and writes of "Build Parallel Data": a document's aligned pairs, cached or aligned again. */
import { type AlignedDocument, alignBookDocument } from '../core/align/book';
import { type LanguagePair, parallelDataPairsKey } from '../core/workflow/names';
import { cacheEntry, freshEntry } from '../core/workflow/pair-cache';
import type { ReferenceDocument } from '../core/workflow/parallel-data';
import { readMarkdown, type Services } from './services';

/**
 * A document's aligned pairs: from the cache while its two texts are the ones it was aligned from (their
 * listing), else read, aligned and cached (`realigned`). `null` when a text was deleted meanwhile.
 */
export async function alignedDocument(
  svc: Services,
  pair: LanguagePair,
  doc: ReferenceDocument,
): Promise<{ aligned: AlignedDocument; realigned: boolean } | null> {
  const cacheKey = parallelDataPairsKey(pair, doc.path);
  const cached = doc.cacheKey ? freshEntry(await svc.bucket.getJson(cacheKey), doc.path, doc.cacheKey) : null;
  if (cached) return { aligned: cached, realigned: false };
  const source = await readMarkdown(svc.bucket, doc.sourceKey);
  const target = await readMarkdown(svc.bucket, doc.referenceKey);
  if (source === null || target === null) return null;
  const aligned = alignBookDocument(doc.path, source, target, { from: pair.source, to: pair.target });
  if (doc.cacheKey) {
    await svc.bucket.putJson(cacheKey, cacheEntry(aligned, doc.cacheKey, { source, reference: target }));
  }
  return { aligned, realigned: true };
}
