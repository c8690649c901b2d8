/**
 * Amazon Translate's JSON 1.1 protocol as the emulator speaks it: `POST /` with
 * `X-Amz-Target: AWSShineFrontendService_20170701.<Operation>`, a JSON body, and errors answered as
 * `{ __type, message }` (plus `x-amzn-errortype`) so the AWS SDK v3 raises the same named exceptions as
 * against AWS. The operations themselves live in parallel-data.ts, jobs.ts and translate-text.ts.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepIdleConnectionsOpen } from '../idle-connections';

export const TARGET_PREFIX = 'AWSShineFrontendService_20170701.';

export const OPERATIONS = [
  'CreateParallelData',
  'UpdateParallelData',
  'GetParallelData',
  'ListParallelData',
  'DeleteParallelData',
  'StartTextTranslationJob',
  'DescribeTextTranslationJob',
  'StopTextTranslationJob',
  'ListTextTranslationJobs',
  'TranslateText',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** One request and its answer, as recorded for progress output and tests. */
export interface OperationEvent {
  operation: string;
  request: Record<string, unknown>;
  response?: Record<string, unknown>;
  error?: { type: string; message: string };
}

/** What an operation answers: the JSON body of a 200 response. */
export type OperationHandler = (body: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** An error answered to the client as `{ __type, message }`. */
export class TranslateApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** A ValidationException (a required or malformed parameter). */
export function validation(message: string): TranslateApiError {
  return new TranslateApiError('ValidationException', message);
}

/** `s3://bucket/key` → parts; InvalidParameterValueException otherwise. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new TranslateApiError('InvalidParameterValueException', `${uri} is not an s3:// URI`);
  return { bucket: m[1] as string, key: m[2] as string };
}

/** Drops the undefined members (absent fields are left out of answers, as Translate does). */
export function strip<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export interface ProtocolServer {
  port: number;
  /** Stops listening and closes the open connections. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (`port`, 0 for a free one) and answers each request with its operation's
 * handler. `beforeOperation` may throw (an injected fault) after the body is read; `record` sees every
 * answered request.
 */
export async function serveTranslateProtocol(options: {
  port?: number;
  handlers: Record<Operation, OperationHandler>;
  beforeOperation: (operation: Operation) => void;
  record: (event: OperationEvent) => void;
}): Promise<ProtocolServer> {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    let body: Record<string, unknown> = {};
    const event: OperationEvent = { operation: operation || target, request: body };
    try {
      if (req.method !== 'POST')
        throw new TranslateApiError('UnknownOperationException', 'POST / expected', 404);
      if (!(OPERATIONS as readonly string[]).includes(operation)) {
        throw new TranslateApiError(
          'UnknownOperationException',
          `Unknown operation ${target || '(no X-Amz-Target)'}`,
        );
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        throw new TranslateApiError('SerializationException', 'The request body is not valid JSON');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new TranslateApiError('SerializationException', 'The request body must be a JSON object');
      }
      event.request = body;
      options.beforeOperation(operation as Operation);
      const result = await options.handlers[operation as Operation](body);
      event.response = result;
      send(res, 200, result);
    } catch (error) {
      const e =
        error instanceof TranslateApiError
          ? error
          : new TranslateApiError(
              'InternalServerException',
              error instanceof Error ? error.message : String(error),
              500,
            );
      event.error = { type: e.type, message: e.message };
      send(res, e.status, { __type: e.type, message: e.message }, e.type);
    }
    options.record(event);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { __type: 'InternalServerException', message: String(error) });
    });
  });
  keepIdleConnectionsOpen(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closing;
    },
  };
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, errorType?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}
