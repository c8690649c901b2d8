/**
 * Some top-level members of a large JSON object, read from its UTF-8 bytes without building the rest:
 * the other members are scanned (strings, nesting) but never decoded, so reading three small fields of a
 * plan file of hundreds of MB costs its bytes, not its objects (issue 17: peak memory at 5,000 documents).
 */
import { InvalidInputError } from './errors';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]
const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The members `names` of the JSON object in `bytes`, each parsed alone (a member given twice: the last
 * one, as JSON.parse). Absent members are absent from the result. InvalidInputError (naming `where`) when
 * the bytes are not one JSON object; the values of the members not asked for are not validated.
 */
export function jsonMembers(
  bytes: Uint8Array,
  names: readonly string[],
  where: string,
): Record<string, unknown> {
  const fail = (at: number, what: string): never => {
    throw new InvalidInputError(`${where}: not a JSON object (${what} at byte ${at})`);
  };
  let i = 0;
  const space = () => {
    while (isSpace(bytes[i])) i++;
  };
  /** From the opening quote to just after the closing one. */
  const skipString = () => {
    i++;
    for (;;) {
      const b = bytes[i];
      if (b === undefined) fail(i, 'unterminated string');
      if (b === BACKSLASH) i += 2;
      else if (b === QUOTE) return void i++;
      else i++;
    }
  };
  const skipValue = () => {
    const first = bytes[i];
    if (first === QUOTE) return skipString();
    if (first !== undefined && OPEN.has(first)) {
      let depth = 0;
      do {
        const b = bytes[i];
        if (b === undefined) fail(i, 'unbalanced brackets');
        if (b === QUOTE) {
          skipString();
          continue;
        }
        if (OPEN.has(b as number)) depth++;
        else if (CLOSE.has(b as number)) depth--;
        i++;
      } while (depth > 0);
      return;
    }
    const start = i;
    while (i < bytes.length && !isSpace(bytes[i]) && bytes[i] !== 0x2c && !CLOSE.has(bytes[i] as number)) i++;
    if (i === start) fail(i, 'a missing value');
  };
  const parse = (start: number, end: number): unknown => {
    try {
      return JSON.parse(utf8.decode(bytes.subarray(start, end)));
    } catch {
      return fail(start, 'an invalid value');
    }
  };
  const wanted = new Set(names);
  const out: Record<string, unknown> = {};
  space();
  if (bytes[i] !== 0x7b) fail(i, 'no opening brace');
  i++;
  space();
  if (bytes[i] === 0x7d) i++;
  else {
    for (;;) {
      space();
      if (bytes[i] !== QUOTE) fail(i, 'no member name');
      const keyStart = i;
      skipString();
      const name = parse(keyStart, i) as string;
      space();
      if (bytes[i] !== 0x3a) fail(i, 'no colon');
      i++;
      space();
      const valueStart = i;
      skipValue();
      if (wanted.has(name)) out[name] = parse(valueStart, i);
      space();
      if (bytes[i] === 0x2c) {
        i++;
        continue;
      }
      if (bytes[i] === 0x7d) {
        i++;
        break;
      }
      fail(i, 'no comma or closing brace');
    }
  }
  space();
  if (i !== bytes.length) fail(i, 'text after the object');
  return out;
}
