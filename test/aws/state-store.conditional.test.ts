// The state store's writes are only safe if the S3 client really sends If-Match / If-None-Match. The
// client comes from the Lambda runtime (not bundled): an older SDK drops unknown input fields silently.
// These tests use a real S3Client with an in-process HTTP handler (no network) to see what is sent.
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { writeAhead } from '../../lambdas/aws/assembly-log';
import { Bucket } from '../../lambdas/aws/s3';
import type { Services } from '../../lambdas/aws/services';
import { StateStore } from '../../lambdas/aws/state-store';
import { ConditionalWritesUnsupportedError } from '../../lambdas/core/errors';

type Sent = { method: string; path: string; headers: Record<string, string> };

/**
 * An S3Client whose requests never leave the process: every PUT/DELETE answers 200; GET answers 404,
 * except the sync state (`state`, ETag "e0") when given.
 */
function recordingClient(options: { dropConditions?: boolean; state?: string } = {}) {
  const sent: Sent[] = [];
  const client = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: Sent) {
        sent.push({ method: request.method, path: request.path, headers: { ...request.headers } });
        const state =
          request.method === 'GET' && request.path.endsWith('/sync-state.json') ? options.state : undefined;
        if (state !== undefined) {
          return {
            response: {
              statusCode: 200,
              headers: { etag: '"e0"' },
              body: Readable.from([Buffer.from(state)]),
            },
          };
        }
        const notFound = request.method === 'GET';
        return {
          response: {
            statusCode: notFound ? 404 : 200,
            headers: notFound ? { 'content-type': 'application/xml' } : { etag: '"e1"' },
            body: Readable.from([
              Buffer.from(notFound ? '<Error><Code>NoSuchKey</Code><Message>no</Message></Error>' : ''),
            ]),
          },
        };
      },
    } as never,
  });
  if (options.dropConditions) {
    // What an SDK that does not know the fields does: the serialised request has no such header.
    client.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        delete headers['if-match'];
        delete headers['if-none-match'];
        return next(args);
      },
      { step: 'build', name: 'simulateOldSdk', priority: 'high' },
    );
  }
  return { client, sent };
}

const store = (client: S3Client) => new StateStore({ client, bucket: 'book', pair: 'en-zh' });

describe('StateStore conditional writes on the wire', () => {
  it('sends If-None-Match: * when it takes the lock (the SDK in use knows the field)', async () => {
    const { client, sent } = recordingClient();
    await expect(store(client).acquireLock('run-1')).resolves.toMatchObject({ runId: 'run-1' });
    const put = sent.find((r) => r.method === 'PUT');
    expect(put?.headers['if-none-match']).toBe('*');
  });

  it('refuses to send a lock or state write that lost its condition, with a named error', async () => {
    const state = '{"version":4,"pair":"en-zh","lastRunId":"r0","documents":{}}';
    const { client, sent } = recordingClient({ dropConditions: true, state });
    await expect(store(client).acquireLock('run-1')).rejects.toBeInstanceOf(
      ConditionalWritesUnsupportedError,
    );
    await expect(store(client).commit({ ...(await store(client).read()).state }, '"e0"')).rejects.toThrow(
      /did not send if-match for PutObject: it is too old/,
    );
    expect(sent.filter((r) => r.method === 'PUT')).toEqual([]); // nothing unconditional went out
  });
});

describe("Assembly's conditional writes to translated/ on the wire", () => {
  const pair = { source: 'en', target: 'zh' };
  const services = (client: S3Client) => ({ bucket: new Bucket(client, 'book') }) as unknown as Services;
  const pending = [
    { path: 'a.md', before: 'h0', after: 'h1', markdown: '# 甲\n', state: null, etag: '"e7"' },
    { path: 'new.md', before: null, after: 'h2', markdown: '# 新\n', state: null, etag: null },
  ];

  it('sends If-Match on the ETag it read, and If-None-Match: * for a file that did not exist', async () => {
    const { client, sent } = recordingClient();
    await expect(writeAhead(services(client), pair, 'run-1', '"s0"', pending)).resolves.toEqual([]);
    const put = (key: string) => sent.find((r) => r.method === 'PUT' && r.path.endsWith(key));
    expect(put('/translated/zh/a.md')?.headers['if-match']).toBe('"e7"');
    expect(put('/translated/zh/new.md')?.headers['if-none-match']).toBe('*');
  });

  it('refuses a translated/ write whose If-Match the SDK dropped, so a human edit is never overwritten unconditionally', async () => {
    const { client, sent } = recordingClient({ dropConditions: true });
    await expect(writeAhead(services(client), pair, 'run-1', '"s0"', pending)).rejects.toBeInstanceOf(
      ConditionalWritesUnsupportedError,
    );
    await expect(new Bucket(client, 'book').putTextIf('translated/zh/new.md', 'x', null)).rejects.toThrow(
      /did not send if-none-match for PutObject/,
    );
    // The log went out (a plain PUT); no translated/ object did.
    expect(sent.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([
      '/state/en-zh/assembly-log.json',
    ]);
  });
});
