import { describe, expect, it } from 'vitest';
import { EncodingError } from '../../../lambdas/core/errors';
import { decodeMarkdown } from '../../../lambdas/core/markdown';

describe('decodeMarkdown()', () => {
  it('decodes UTF-8, including Chinese and emoji', () => {
    expect(decodeMarkdown(Buffer.from('# 标题 🎉\n'))).toBe('# 标题 🎉\n');
  });

  it('keeps a UTF-8 byte-order mark so it can be written back', () => {
    expect(decodeMarkdown(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('\uFEFFA');
  });

  it('decodes an empty file to an empty string', () => {
    expect(decodeMarkdown(new Uint8Array())).toBe('');
  });

  it.each([
    [
      'Latin-1 bytes',
      Buffer.from('ok\ncaf\xe9\n', 'latin1'),
      /x\.md:2:4: not valid UTF-8 \(byte 0xe9 at offset 6\)/,
    ],
    ['a truncated sequence at the end', Buffer.from([0x61, 0xe4, 0xb8]), /x\.md:1:2: not valid UTF-8/],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf]), /x\.md:1:1: not valid UTF-8 \(byte 0xc0/],
    ['an encoded surrogate', Buffer.from([0xed, 0xa0, 0x80]), /x\.md:1:1: not valid UTF-8/],
    ['a NUL byte (binary file)', Buffer.from([0x61, 0x00, 0x62]), /x\.md:1:2: NUL byte/],
    ['UTF-16 text', Buffer.from('\ufeffhi', 'utf16le'), /looks like UTF-16/],
    ['a PNG image', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), /not valid UTF-8/],
  ])('rejects %s with an EncodingError naming file, line and column', (_what, bytes, message) => {
    expect(() => decodeMarkdown(bytes, 'x.md')).toThrow(EncodingError);
    expect(() => decodeMarkdown(bytes, 'x.md')).toThrow(message);
  });
});
