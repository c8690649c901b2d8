/**
 * Python text semantics that sacrebleu depends on, reproduced exactly: which characters `str.split()`,
 * `str.strip()` and `str.rstrip()` treat as whitespace, and `f'{x:.Nf}'` float formatting.
 *
 * Python's whitespace (`str.isspace()`: category Zs or bidi class WS/B/S) is NOT JavaScript's `\s`:
 * Python includes U+001C–U+001F and U+0085 (NEL); JavaScript includes U+FEFF (BOM), Python does not.
 * Neither counts U+200B (zero-width space). The set is the same in every Unicode version since 6.3.
 */

/** Code points for which Python's `str.isspace()` is true (checked exhaustively against CPython 3.11). */
export const PYTHON_WHITESPACE: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

const WS_CLASS =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WS_RUN_GLOBAL = new RegExp(`[${WS_CLASS}]+`, 'g');
const WS_TRAILING = new RegExp(`[${WS_CLASS}]+$`);
const WS_LEADING = new RegExp(`^[${WS_CLASS}]+`);

const IS_WS = new Uint8Array(0x3001);
for (const cp of PYTHON_WHITESPACE) IS_WS[cp] = 1;

/** True when the UTF-16 code unit / code point `code` is Python whitespace. */
export function isPythonWhitespace(code: number): boolean {
  return code <= 0x3000 && IS_WS[code] === 1;
}

/** Python `s.split()` (no argument): split on runs of Python whitespace, dropping empty strings. */
export function pySplit(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x3000 && IS_WS[c] === 1) {
      if (start >= 0) {
        out.push(s.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) out.push(start === 0 ? s : s.slice(start));
  return out;
}

/** Python `' '.join(s.split())`: trims and collapses every whitespace run into one space. */
export function pyNormalizeSpaces(s: string): string {
  return pyStrip(s).replace(WS_RUN_GLOBAL, ' ');
}

/** Python `''.join(s.split())`: removes every whitespace character. */
export function pyRemoveSpaces(s: string): string {
  return s.replace(WS_RUN_GLOBAL, '');
}

/** Python `s.rstrip()`. */
export function pyRstrip(s: string): string {
  if (s.length === 0 || !isPythonWhitespace(s.charCodeAt(s.length - 1))) return s;
  return s.replace(WS_TRAILING, '');
}

/** Python `s.strip()`. */
export function pyStrip(s: string): string {
  let out = pyRstrip(s);
  if (out.length > 0 && isPythonWhitespace(out.charCodeAt(0))) out = out.replace(WS_LEADING, '');
  return out;
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
// Little-endian hosts (every Node target); the high word holds sign and exponent.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/**
 * Python's `f'{x:.{digits}f}'`: the exact binary value of `x` rounded half-to-even. JavaScript's
 * `toFixed` rounds exact ties up instead (`(81.25).toFixed(1)` is `81.3`, Python prints `81.2`).
 */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) throw new RangeError(`digits: ${digits}`);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  F64[0] = x;
  const hi = U32[HI] as number;
  const lo = U32[LO] as number;
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  // |x| = mantissa * 2^exponent; scaled = round_half_even(|x| * 10^digits)
  const scale = 10n ** BigInt(digits);
  let scaled: bigint;
  if (exponent >= 0) {
    scaled = (mantissa << BigInt(exponent)) * scale;
  } else {
    const num = mantissa * scale;
    const den = 1n << BigInt(-exponent);
    scaled = num / den;
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && scaled % 2n === 1n)) scaled += 1n;
  }
  let text = scaled.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, '0');
    text = `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  }
  return negative ? `-${text}` : text;
}
