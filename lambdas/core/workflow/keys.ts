/**
 * Keys read from a bucket listing or an event are data, not paths: a key is checked here before it
 * becomes a document path, a bucket key or a local file name. Whatever the bucket holds
 * (`translated/zh/../../../x/evil.md`, `a//b.md`, `C:\x`, a NUL byte), nothing outside the prefix it was
 * listed under may be read or written because of it.
 */

const encoder = new TextEncoder();
const utf8Bytes = (s: string) => encoder.encode(s).length;

/** Longest key S3 accepts (bytes, UTF-8). */
export const MAX_KEY_BYTES = 1024;
/** Longest file name most file systems accept (bytes, UTF-8). */
export const MAX_SEGMENT_BYTES = 255;

/**
 * Why `rel` (a key with its prefix removed) is not a safe relative path, or `null` when it is: it must be
 * non-empty, `/`-separated, relative, with no empty, `.` or `..` segment, no backslash, no control
 * character, no drive letter, and fit S3's and the file system's length limits.
 */
export function relativeKeyProblem(rel: string): string | null {
  if (rel.length === 0) return 'is empty';
  if (utf8Bytes(rel) > MAX_KEY_BYTES) return `is longer than ${MAX_KEY_BYTES} bytes`;
  if (rel.startsWith('/')) return 'is absolute (starts with "/")';
  if (rel.includes('\\')) return 'contains a backslash';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(rel)) return 'contains a control character';
  if (/^[A-Za-z]:/.test(rel)) return 'starts with a drive letter';
  for (const segment of rel.split('/')) {
    if (segment === '') return 'has an empty segment ("//" or a trailing "/")';
    if (segment === '.' || segment === '..') return `has a "${segment}" segment`;
    if (utf8Bytes(segment) > MAX_SEGMENT_BYTES) {
      return `has a segment longer than ${MAX_SEGMENT_BYTES} bytes`;
    }
  }
  return null;
}

/** A key that failed validation, with the reason (for reports and progress lines). */
export interface RejectedKey {
  key: string;
  reason: string;
}

/** `key` with `prefix` removed, or the reason it cannot be used (outside the prefix, unsafe path). */
export function keyUnder(key: string, prefix: string): { rel: string } | RejectedKey {
  if (!key.startsWith(prefix)) return { key, reason: `is not under ${prefix}` };
  const rel = key.slice(prefix.length);
  const problem = relativeKeyProblem(rel);
  return problem === null ? { rel } : { key, reason: `${JSON.stringify(rel)} ${problem}` };
}

/**
 * Splits listed keys into safe relative paths (prefix removed) and rejected keys. Nothing is dropped
 * silently: the caller reports `rejected`.
 */
export function partitionKeys(
  keys: readonly string[],
  prefix: string,
): { paths: string[]; rejected: RejectedKey[] } {
  const paths: string[] = [];
  const rejected: RejectedKey[] = [];
  for (const key of keys) {
    const got = keyUnder(key, prefix);
    if ('rel' in got) paths.push(got.rel);
    else rejected.push(got);
  }
  return { paths, rejected };
}
