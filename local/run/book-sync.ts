/**
 * The book folder ⇄ the bucket: what `amts run --local` uploads before an execution and downloads after
 * it. A manifest in the data folder (`sync-manifest.json`: key → SHA-256 of what was last uploaded or
 * downloaded) tells what changed on either side; the output folder is a human's working copy and is
 * never overwritten where a human changed it (see downloadResults). Beside it, `sync-etags.json` (key →
 * the bucket's ETag of the object the manifest's hash describes) lets a download skip an object the
 * listing shows unchanged: a run with no change reads no object back.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { sha256 } from '../../lambdas/core/hash';
import { partitionKeys, type RejectedKey } from '../../lambdas/core/workflow/keys';
import { type LanguagePair, pairId } from '../../lambdas/core/workflow/names';
import { localPathFor } from './safe-paths';

/** Where the book lives and where the run's outputs go. */
export interface BookLocation {
  /** Holds `source/<src>/**`, `reference/<tgt>/**`. */
  book: string;
  /** Where `translated/<tgt>/**` is read from and written to, and `reports/**` written (default: book). */
  out?: string;
}

export interface SyncSummary {
  uploaded: string[];
  deleted: string[];
  downloaded: string[];
  /** Files a human changed during the run, kept as they are; the machine version is `machineCopy`. */
  kept?: { key: string; machineCopy: string }[];
  /** Bucket keys that are not safe relative paths (never turned into a local path). */
  rejected?: RejectedKey[];
  /**
   * translated/ files this download replaced, each with the local copy of its previous text (the local
   * bucket keeps no versions: this is its version history; see HISTORY_FOLDER).
   */
  replaced?: { key: string; previous: string }[];
  /** The folder holding `replaced`'s previous texts (`<data>/history/<run id>`), when any. */
  historyDir?: string;
}

/** The bucket and data folder a sync works on (local/run/environment.ts). */
export interface BookSyncHost {
  readonly data: string;
  readonly s3: S3Client;
  readonly bucket: string;
  /** Every object under `prefix`, sorted by key, with its ETag (`null` when the listing gave none). */
  listObjects(prefix: string): Promise<{ key: string; etag: string | null }[]>;
  getObject(key: string): Promise<{ bytes: Uint8Array; etag: string | null } | null>;
}

/** The manifest's file name in the data folder. */
export const MANIFEST_FILE = 'sync-manifest.json';

/** The data-folder file recording, per key, the ETag of the bucket object the manifest's hash describes. */
export const ETAGS_FILE = 'sync-etags.json';

/** Data-folder subfolder where the runner keeps the previous text of each translated/ file it replaces. */
export const HISTORY_FOLDER = 'history';

/** Suffix of the machine version written beside a file a human changed during the run. */
export const MACHINE_COPY_SUFFIX = '.amts-machine.md';

/** `a/b.md` → `a/b.amts-machine.md` (any other name: `name.amts-machine.md`). */
export function machineCopyPath(file: string): string {
  return file.endsWith('.md') ? file.slice(0, -3) + MACHINE_COPY_SUFFIX : file + MACHINE_COPY_SUFFIX;
}

/**
 * Uploads what changed in the book since the last sync: `source/<src>/**`, `reference/<tgt>/**`
 * (mirrored: a file deleted locally is deleted in the bucket) and `translated/<tgt>/**` from the
 * output folder (uploaded when edited; never deleted: translations are kept).
 */
export async function uploadBook(
  host: BookSyncHost,
  pair: LanguagePair,
  where: BookLocation,
): Promise<SyncSummary> {
  const out = where.out ?? where.book;
  const manifest = readManifest(host.data, MANIFEST_FILE);
  const etags = readManifest(host.data, ETAGS_FILE);
  const summary: SyncSummary = { uploaded: [], deleted: [], downloaded: [] };
  const roots: { dir: string; prefix: string; mirror: boolean }[] = [
    { dir: join(where.book, 'source', pair.source), prefix: `source/${pair.source}/`, mirror: true },
    { dir: join(where.book, 'reference', pair.target), prefix: `reference/${pair.target}/`, mirror: true },
    { dir: join(out, 'translated', pair.target), prefix: `translated/${pair.target}/`, mirror: false },
  ];
  for (const root of roots) {
    const present = new Set<string>();
    for (const file of walk(root.dir)) {
      // Machine versions written beside a human's file (see downloadResults) are not part of the book.
      if (file.endsWith(MACHINE_COPY_SUFFIX)) continue;
      const key = root.prefix + relative(root.dir, file).split(sep).join('/');
      present.add(key);
      const bytes = readFileSync(file);
      const hash = sha256(bytes);
      if (manifest[key] === hash) continue;
      const put = await host.s3.send(new PutObjectCommand({ Bucket: host.bucket, Key: key, Body: bytes }));
      manifest[key] = hash;
      record(etags, key, put.ETag);
      summary.uploaded.push(key);
    }
    if (!root.mirror) continue;
    for (const key of Object.keys(manifest)) {
      if (key.startsWith(root.prefix) && !present.has(key)) {
        await host.s3.send(new DeleteObjectCommand({ Bucket: host.bucket, Key: key }));
        delete manifest[key];
        delete etags[key];
        summary.deleted.push(key);
      }
    }
  }
  writeManifest(host.data, MANIFEST_FILE, manifest);
  writeManifest(host.data, ETAGS_FILE, etags);
  return summary;
}

/**
 * Downloads `translated/<tgt>/**` and `reports/<pair>/**` into the output folder (changed files only).
 * The output folder is a human's working copy: a file that differs from what the runner last uploaded
 * or downloaded (the manifest: the folder as this run found it) was changed by a human, and is never
 * overwritten. When the run produced a new version of such a file, the machine version is written
 * beside it (`name.amts-machine.md`) and listed in `kept`. Every listed key is validated before it
 * becomes a path (`rejected`): nothing is written outside the output folder, whatever the bucket holds.
 * With `only.runId`, reports are copied for that run alone (`<runId>.json|.md|.html`, `<runId>/…`):
 * a report deleted from the book folder is never brought back. An object whose listed ETag is the one
 * recorded with the manifest's hash, and whose local file still has that hash, is not read at all.
 */
export async function downloadResults(
  host: BookSyncHost,
  pair: LanguagePair,
  where: BookLocation,
  only?: { runId: string },
): Promise<SyncSummary> {
  const out = where.out ?? where.book;
  const manifest = readManifest(host.data, MANIFEST_FILE);
  const etags = readManifest(host.data, ETAGS_FILE);
  const summary: SyncSummary = {
    uploaded: [],
    deleted: [],
    downloaded: [],
    kept: [],
    rejected: [],
    replaced: [],
  };
  const history = join(
    host.data,
    HISTORY_FOLDER,
    only?.runId ?? new Date().toISOString().replace(/[:.]/g, '-'),
  );
  for (const prefix of [`translated/${pair.target}/`, `reports/${pairId(pair)}/`]) {
    const run = only && prefix.startsWith('reports/') ? `${prefix}${only.runId}` : null;
    const listed = (await host.listObjects(run ?? prefix)).filter(
      (o) => run === null || o.key.startsWith(`${run}.`) || o.key.startsWith(`${run}/`),
    );
    const listedEtag = new Map(listed.map((o) => [o.key, o.etag]));
    const { paths, rejected } = partitionKeys(
      listed.map((o) => o.key),
      prefix,
    );
    summary.rejected?.push(...rejected);
    for (const rel of paths) {
      const key = prefix + rel;
      const file = localPathFor(out, key);
      const local = existsSync(file) ? sha256(readFileSync(file)) : null;
      const etag = listedEtag.get(key) ?? null;
      // The bucket object is the one synced last time (same ETag) and the local file still holds it.
      if (etag !== null && etags[key] === etag && local !== null && local === manifest[key]) continue;
      const object = await host.getObject(key);
      if (object === null) continue;
      const { bytes } = object;
      const hash = sha256(bytes);
      if (local === hash) {
        manifest[key] = hash;
        record(etags, key, object.etag);
        continue;
      }
      const base = manifest[key];
      if (local !== null && local !== base) {
        // Changed by a human since this run started. The manifest keeps the old hash, so the next
        // run uploads the human's file.
        if (hash === base) continue; // the run did not change it: nothing to offer
        const copy = machineCopyPath(file);
        writeFileSync(copy, bytes);
        summary.kept?.push({ key, machineCopy: relative(out, copy).split(sep).join('/') });
        continue;
      }
      if (local !== null && prefix.startsWith('translated/')) {
        // The local bucket keeps no versions: keep the text this replaces (a forced rewrite or a
        // replaced post-edit may be a human's work), where the summary says.
        const previous = localPathFor(history, key);
        mkdirSync(dirname(previous), { recursive: true });
        copyFileSync(file, previous);
        summary.replaced?.push({ key, previous });
        summary.historyDir = history;
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
      manifest[key] = hash;
      record(etags, key, object.etag);
      summary.downloaded.push(key);
    }
  }
  writeManifest(host.data, MANIFEST_FILE, manifest);
  writeManifest(host.data, ETAGS_FILE, etags);
  return summary;
}

/** Records the ETag that goes with the manifest's hash of `key` (none known: nothing may be skipped). */
function record(etags: Record<string, string>, key: string, etag: string | null | undefined): void {
  if (etag) etags[key] = etag;
  else delete etags[key];
}

function readManifest(data: string, name: string): Record<string, string> {
  const file = join(data, name);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

function writeManifest(data: string, name: string, manifest: Record<string, string>): void {
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(join(data, name), `${JSON.stringify(sorted, null, 1)}\n`);
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() || (entry.isSymbolicLink() && statSync(full).isFile())) yield full;
  }
}
