import { createHash } from 'node:crypto';

/**
 * SHA-256 of a text (as UTF-8) or of bytes, as 64 lowercase hex digits: the one content hash of AMTS
 * (document and unit identity, CSV and batch hashes, ClientTokens, the local runner's file checks).
 * Callers that keep a shorter id take a prefix (`sha256(x).slice(0, 32)`), never another algorithm.
 */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** {@link sha256} of the concatenated chunks (texts as UTF-8), and its length in bytes, without joining them. */
export function sha256OfChunks(chunks: Iterable<string>): { hash: string; bytes: number } {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const chunk of chunks) {
    hash.update(chunk);
    bytes += Buffer.byteLength(chunk, 'utf8');
  }
  return { hash: hash.digest('hex'), bytes };
}
