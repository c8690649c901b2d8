import { EncodingError } from '../errors';

const BOM = '\uFEFF';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** 1-based line and column (in bytes) of a byte offset, for error messages. */
function bytePosition(bytes: Uint8Array, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${offset - lineStart + 1}`;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Decodes a Markdown file's bytes as UTF-8. A UTF-8 BOM is kept as a leading U+FEFF so the codec can
 * write it back; anything that is not UTF-8 text fails with an EncodingError naming the first bad byte.
 */
export function decodeMarkdown(bytes: Uint8Array, file = '<input>'): string {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    throw new EncodingError(
      `${file}: looks like UTF-16 (byte-order mark ${bytes[0]?.toString(16)} ${bytes[1]?.toString(16)}); save it as UTF-8`,
    );
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new EncodingError(
      `${file}:${bytePosition(bytes, nul)}: NUL byte at byte ${nul}; this is not a text file`,
    );
  }
  try {
    return strictUtf8.decode(bytes);
  } catch (error) {
    const at = firstInvalidUtf8(bytes);
    const shown = at >= 0 ? `0x${(bytes[at] as number).toString(16).padStart(2, '0')}` : '?';
    throw new EncodingError(
      `${file}:${at >= 0 ? bytePosition(bytes, at) : '?'}: not valid UTF-8 (byte ${shown} at offset ${at}); convert the file to UTF-8`,
      { cause: error },
    );
  }
}

/** Splits a leading BOM off decoded text. */
export function splitBom(text: string): { bom: string; body: string } {
  return text.startsWith(BOM) ? { bom: BOM, body: text.slice(1) } : { bom: '', body: text };
}
