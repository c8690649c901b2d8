import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ConditionalWritesUnsupportedError } from '../core/errors';

/**
 * Conditional writes need an SDK that knows `IfMatch`/`IfNoneMatch` on PutObject and `IfMatch` on
 * DeleteObject: an older one (the S3 client is taken from the Lambda runtime, not bundled) drops unknown
 * input fields silently and the write becomes UNCONDITIONAL. This middleware runs after the request is
 * serialised and refuses to send it without the header the input asked for — a loud
 * ConditionalWritesUnsupportedError instead of a silent lost update.
 */
export function requireConditionHeader(
  command: PutObjectCommand | DeleteObjectCommand,
  header: 'if-match' | 'if-none-match',
  what: 'PutObject' | 'DeleteObject',
): void {
  type Args = { request?: unknown };
  type Handler = (args: Args) => Promise<unknown>;
  const stack = command.middlewareStack as unknown as {
    add(mw: (next: Handler) => Handler, options: { step: 'build'; name: string; priority: 'low' }): void;
  };
  stack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers ?? {};
      const present = Object.keys(headers).some((h) => h.toLowerCase() === header);
      if (!present) {
        throw new ConditionalWritesUnsupportedError(
          `the S3 client in this runtime did not send ${header} for ${what}: it is too old for ` +
            'conditional writes (they would silently become unconditional); bundle a current @aws-sdk/client-s3',
        );
      }
      return next(args);
    },
    { step: 'build', name: `amtsRequire-${header}`, priority: 'low' },
  );
}

/** Small S3 helpers over one bucket: text in, text out, `null` for a missing object. */
export class Bucket {
  constructor(
    readonly client: S3Client,
    readonly name: string,
  ) {}

  /** `s3://bucket/key` for messages and reports. */
  uri(key: string): string {
    return `s3://${this.name}/${key}`;
  }

  /** The object's bytes, or `null` when it does not exist. */
  async getBytes(key: string): Promise<Uint8Array | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.name, Key: key }));
      if (!out.Body) return new Uint8Array();
      return await out.Body.transformToByteArray();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  /** The object as UTF-8 text (no BOM handling: use the codec's decodeMarkdown for Markdown). */
  async getText(key: string): Promise<string | null> {
    const bytes = await this.getBytes(key);
    return bytes === null ? null : new TextDecoder().decode(bytes);
  }

  /** Parsed JSON, or `null` when missing. */
  async getJson(key: string): Promise<unknown> {
    const text = await this.getText(key);
    return text === null ? null : (JSON.parse(text) as unknown);
  }

  async putText(key: string, body: string, contentType = 'text/plain; charset=utf-8'): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.name, Key: key, Body: body, ContentType: contentType }),
    );
  }

  /**
   * Streams a text of `bytes` UTF-8 bytes, given as chunks (a large CSV never held as one string). S3 needs
   * the length before the first byte: the caller measured it (e.g. while hashing the same chunks).
   */
  async putChunks(key: string, chunks: Iterable<string>, bytes: number, contentType: string): Promise<void> {
    const body = Readable.from(
      (function* () {
        for (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
      })(),
    );
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.name,
        Key: key,
        Body: body,
        ContentLength: bytes,
        ContentType: contentType,
      }),
    );
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.putText(key, `${JSON.stringify(value, null, 1)}\n`, 'application/json');
  }

  /** The object's bytes and ETag, or `null` when it does not exist. */
  async getWithEtag(key: string): Promise<{ bytes: Uint8Array; etag: string } | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.name, Key: key }));
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return { bytes, etag: out.ETag ?? '' };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  /**
   * PUT only if the object is still what the writer read: `etag` = its ETag then (`IfMatch`), `null` = it
   * did not exist (`IfNoneMatch: '*'`). Returns `conflict` (nothing written) when someone changed it since
   * (412 Precondition Failed, or 409 ConditionalRequestConflict while another conditional write is in
   * flight). https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
   */
  async putTextIf(
    key: string,
    body: string,
    etag: string | null,
    contentType = 'text/plain; charset=utf-8',
  ): Promise<'written' | 'conflict'> {
    const command = new PutObjectCommand({
      Bucket: this.name,
      Key: key,
      Body: body,
      ContentType: contentType,
      ...(etag === null ? { IfNoneMatch: '*' } : { IfMatch: etag }),
    });
    // A condition the runtime's SDK dropped would silently overwrite a human's edit: refuse instead.
    requireConditionHeader(command, etag === null ? 'if-none-match' : 'if-match', 'PutObject');
    try {
      await this.client.send(command);
      return 'written';
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      if (
        e.name === 'PreconditionFailed' ||
        e.name === 'ConditionalRequestConflict' ||
        status === 412 ||
        status === 409
      ) {
        return 'conflict';
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.name, Key: key }));
  }

  /** Every key under `prefix` (all pages), sorted. */
  async listKeys(prefix: string): Promise<string[]> {
    return (await this.listObjects(prefix)).map((o) => o.key);
  }

  /**
   * Every object under `prefix` (all pages), sorted by key, with the ETag and size the listing reports
   * (`null` when a server leaves them out: such an object never counts as unchanged).
   */
  async listObjects(prefix: string): Promise<{ key: string; etag: string | null; size: number | null }[]> {
    const objects: { key: string; etag: string | null; size: number | null }[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.name, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of out.Contents ?? []) {
        if (o.Key) objects.push({ key: o.Key, etag: o.ETag || null, size: o.Size ?? null });
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
