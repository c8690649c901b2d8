/**
 * The embedded S3: s3rver on 127.0.0.1 (port 0 by default), data kept in a folder so a second run
 * sees the objects of the first. Also the one place that knows how an SDK v3 client must be set up
 * to talk to it (see TOOLCHAIN.md, "s3rver with the current SDK").
 */
import { mkdirSync } from 'node:fs';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

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
