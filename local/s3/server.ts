/**
 * The embedded S3: s3rver on 127.0.0.1 (port 0 by default), data kept in a folder so a second run
 * sees the objects of the first. Also the one place that knows how an SDK v3 client must be set up
 * to talk to it (see TOOLCHAIN.md, "s3rver with the current SDK").
 */

import { mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { keepIdleConnectionsOpen } from '../idle-connections';

/** s3rver accepts exactly these credentials (it checks signatures). */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalS3Options {
  /** Folder holding the buckets (created if missing). */
  directory: string;
  /** Buckets to create on start (existing ones are kept). */
  buckets?: string[];
  /** 0 (default) picks a free port. */
  port?: number;
}

export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  directory: string;
  /** A client configured for this server (path style, S3RVER keys, checksums only when required). */
  client(): S3Client;
  stop(): Promise<void>;
}

/**
 * SDK v3 configuration for s3rver. `WHEN_REQUIRED` checksums: otherwise the SDK streams bodies with
 * aws-chunked framing and s3rver stores the framing inside the object.
 */
export function localS3ClientConfig(endpoint: string, region = 'us-east-1'): S3ClientConfig {
  return {
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { ...LOCAL_S3_CREDENTIALS },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/** Starts s3rver bound to 127.0.0.1. Stop it with `stop()`; the data folder is left in place. */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  allowSingleDes();
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    resetOnClose: false,
    vhostBuckets: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  const address = await server.run();
  const inner = server as unknown as S3rverInternals;
  keepDirectoriesOnDelete(inner.store);
  if (inner.httpServer) {
    keepIdleConnectionsOpen(inner.httpServer);
    honourConditionalWrites(inner.httpServer, inner.store);
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  const clients: S3Client[] = [];
  let stopped = false;
  return {
    endpoint,
    port: address.port,
    directory: options.directory,
    client() {
      const c = new S3Client(localS3ClientConfig(endpoint));
      clients.push(c);
      return c;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const c of clients) c.destroy();
      const closing = server.close();
      // Keep-alive sockets of clients we did not create (handlers build their own) would hold close().
      (
        server as unknown as { httpServer?: { closeAllConnections?: () => void } }
      ).httpServer?.closeAllConnections?.();
      await closing;
    },
  };
}

interface S3rverInternals {
  httpServer?: Server;
  store: {
    getMetadata(bucket: string, key: string): Promise<{ etag: string }>;
    getResourcePath(bucket: string, key: string, resource: string): string;
    deleteObject(bucket: string, key: string): Promise<void>;
  };
}

/**
 * s3rver's DELETE removes the object's files, then every parent directory it finds empty: a check then
 * an rmdir, racing any other request in that tree. Two deletes in one folder answered 500 (ENOENT on
 * scandir/rmdir), and a PUT could lose the folder it had just made. Here a DELETE removes only the
 * object's own files: an empty folder holds no key (listings are built from object files), and S3 has
 * no folders to keep tidy.
 */
function keepDirectoriesOnDelete(store: S3rverInternals['store']): void {
  store.deleteObject = async (bucket, key) => {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resource) =>
        unlink(store.getResourcePath(bucket, key, resource)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
  };
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * s3rver ignores `If-None-Match` / `If-Match` on PUT and DELETE; real S3 honours them (conditional
 * writes, 2024) and the workflow's run lock and sync-state commit rely on them. This wrapper checks
 * the precondition against the store and answers 412 PreconditionFailed as S3 does; writes to one key
 * are serialised so check-then-write is atomic.
 */
function honourConditionalWrites(http: Server, store: S3rverInternals['store']): void {
  const listeners = http.listeners('request') as Listener[];
  http.removeAllListeners('request');
  const forward: Listener = (req, res) => {
    for (const l of listeners) l(req, res);
  };
  const queues = new Map<string, Promise<void>>();
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = objectOf(req);
    if (!target || (req.method !== 'PUT' && req.method !== 'DELETE') || isMultipartPart(req)) {
      forward(req, res);
      return;
    }
    const id = `${target.bucket}/${target.key}`;
    const previous = queues.get(id) ?? Promise.resolve();
    const current = previous.then(async () => {
      const failure = await preconditionFailure(req, store, target);
      if (failure) {
        res.writeHead(failure.status, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${failure.code}</Code><Message>${failure.message}</Message>` +
            `<Resource>/${escapeXml(id)}</Resource></Error>`,
        );
        return;
      }
      await new Promise<void>((resolve) => {
        res.once('close', resolve);
        res.once('finish', resolve);
        forward(req, res);
      });
    });
    const settled = current.catch(() => undefined);
    queues.set(id, settled);
    void settled.then(() => {
      if (queues.get(id) === settled) queues.delete(id);
    });
  });
}

function objectOf(req: IncomingMessage): { bucket: string; key: string } | undefined {
  const path = (req.url ?? '').split('?')[0] ?? '';
  const m = /^\/([^/]+)\/(.+)$/.exec(path);
  if (!m) return undefined;
  try {
    return { bucket: decodeURIComponent(m[1] as string), key: decodeURIComponent(m[2] as string) };
  } catch {
    return undefined;
  }
}

function isMultipartPart(req: IncomingMessage): boolean {
  return /[?&](partNumber|uploadId)=/.test(req.url ?? '');
}

async function preconditionFailure(
  req: IncomingMessage,
  store: S3rverInternals['store'],
  target: { bucket: string; key: string },
): Promise<{ status: number; code: string; message: string } | undefined> {
  const ifNoneMatch = req.headers['if-none-match'];
  const ifMatch = req.headers['if-match'];
  if (!ifNoneMatch && !ifMatch) return undefined;
  let etag: string | undefined;
  try {
    etag = (await store.getMetadata(target.bucket, target.key)).etag;
  } catch {
    etag = undefined;
  }
  if (ifNoneMatch === '*' && etag !== undefined) {
    return {
      status: 412,
      code: 'PreconditionFailed',
      message: 'At least one of the pre-conditions you specified did not hold',
    };
  }
  if (typeof ifMatch === 'string') {
    if (etag === undefined)
      return { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' };
    const wanted = ifMatch.split(',').map((s) => s.trim());
    if (!wanted.includes('*') && !wanted.includes(etag) && !wanted.includes(etag.replace(/"/g, ''))) {
      return {
        status: 412,
        code: 'PreconditionFailed',
        message: 'At least one of the pre-conditions you specified did not hold',
      };
    }
  }
  return undefined;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node 17+) only
 * offers with `--openssl-legacy-provider`: without it any truncated listing (over 1000 keys, or MaxKeys
 * paging) answers 500. Triple DES with three equal keys *is* single DES, and stays in the default
 * provider, so `des` is mapped onto it — same tokens, no process flag. Only when `des` is missing.
 */
function allowSingleDes(): void {
  const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto') & {
    amtsDesShim?: boolean;
  };
  if (crypto.amtsDesShim) return;
  try {
    crypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return;
  } catch {
    // not available: install the mapping below
  }
  const cipher = crypto.createCipheriv;
  const decipher = crypto.createDecipheriv;
  const triple = (key: unknown) => {
    const k = Buffer.from(key as Uint8Array);
    return Buffer.concat([k, k, k]);
  };
  Object.assign(crypto, {
    amtsDesShim: true,
    createCipheriv: (algorithm: string, key: unknown, iv: unknown, options?: unknown) =>
      algorithm.toLowerCase() === 'des'
        ? cipher('des-ede3-cbc', triple(key), iv as Uint8Array)
        : (cipher as (...a: unknown[]) => unknown)(algorithm, key, iv, options),
    createDecipheriv: (algorithm: string, key: unknown, iv: unknown, options?: unknown) =>
      algorithm.toLowerCase() === 'des'
        ? decipher('des-ede3-cbc', triple(key), iv as Uint8Array)
        : (decipher as (...a: unknown[]) => unknown)(algorithm, key, iv, options),
  });
}
