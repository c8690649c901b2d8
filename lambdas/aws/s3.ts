import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

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
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.name,
          Key: key,
          Body: body,
          ContentType: contentType,
          ...(etag === null ? { IfNoneMatch: '*' } : { IfMatch: etag }),
        }),
      );
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
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.name, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
