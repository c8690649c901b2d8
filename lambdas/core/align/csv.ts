/**
 * Parallel-data CSV exactly as Amazon Translate imports it (CreateParallelData/UpdateParallelData):
 * https://docs.aws.amazon.com/translate/latest/dg/customizing-translations-parallel-data.html
 * - header row of language codes (`en,zh`), UTF-8 without BOM;
 * - fields quoted when needed with `"` doubled (papaparse), no field spanning lines;
 * - no field may start with `+ - = @` (Translate rejects the file, quoted or not) — we strip the
 *   leading symbols and count it rather than escaping (papaparse's `escapeFormulae` adds a `'`);
 * - a field over 1000 bytes is skipped by Translate — we leave the pair out and count it;
 * - empty source skips the line; the last duplicate source wins.
 *
 * Protected content in a field: RAW MARKUP (the unit text as the codec gives it, `$2$`,
 * `:numref:\`fig_qkv\``), neither a placeholder nor nothing. Why: what ACT is sent is the same
 * sentence with that very literal inside a `translate="no"` span at the same place, and Translate
 * returns the span untouched; a field with the same literal teaches the sentence around it, and lets
 * the target put it where the human did (the emulator places each span where its literal occurs in
 * the target). A placeholder would teach a token ACT never receives; dropping it would teach sentences
 * with a hole where the sent one has content. The risk of raw markup — a human target holding markup
 * its source lacks, which then comes back as text (`设置束宽为\$2\$`) — is caught where it lands: the
 * merge reports it (`protected-as-text`) and every written document is checked (markdown/check.ts).
 */
import Papa from 'papaparse';
import { InvalidInputError } from '../errors';
import { isLanguageCode } from '../language';

/** One source/target text pair. */
export interface TextPair {
  source: string;
  target: string;
}

/** What happened to the input pairs; every pair is counted exactly once in `written` or a reason. */
export interface CsvCounts {
  /** Pairs given. */
  input: number;
  /** Rows written (without the header). */
  written: number;
  /** Pairs left out because an earlier/later pair had the same source (see `toParallelDataCsv`). */
  duplicates: number;
  /** Of `duplicates`: those whose target differed from the one kept. */
  conflictingDuplicates: number;
  /** Pairs left out because source and target were the same text after cleaning. */
  identical: number;
  /** Pairs left out because a field was over the byte limit. */
  tooLong: number;
  /** Pairs left out because a field was empty (after cleaning). */
  empty: number;
  /** Pairs left out because a field held a lone UTF-16 surrogate (not encodable as UTF-8). */
  invalidText: number;
  /** Written pairs where a leading `+ - = @` (list marker, symbol) was stripped from a field. */
  cleanedLeading: number;
  /** Written pairs where control characters (NUL, C0/C1, BOM) were removed from a field. */
  cleanedControl: number;
}

export interface CsvOptions {
  /** Source language code, first column header (e.g. `en`). */
  source: string;
  /** Target language code, second column header (e.g. `zh`, `zh-TW`). */
  target: string;
  /** Line ending used for every row, the header and the final line. Default `\n`. */
  newline?: '\n' | '\r\n';
  /** Maximum UTF-8 bytes per field as written (quotes included). Default 1000 (Translate's limit). */
  maxFieldBytes?: number;
}

/** Amazon Translate's per-field limit in parallel data. */
export const MAX_FIELD_BYTES = 1000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0/C1 controls except whitespace, DEL, BOM/ZWNBSP, and noncharacters U+FFFE/FFFF. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFEFF\uFFFE\uFFFF]/g;
/** Whitespace incl. line/paragraph separators and NEL: all collapse to one space (no field spans lines). */
const WHITESPACE = /[\s\u0085\u2028\u2029]+/g;
/** Characters Translate rejects at the start of a field, with any spaces between them. */
const FORBIDDEN_LEADING = /^[\s+\-=@]+/;

const utf8 = new TextEncoder();

type Cleaned = { text: string; leading: boolean; control: boolean } | { invalid: true };

function cleanField(raw: string): Cleaned {
  if (LONE_SURROGATE.test(raw)) return { invalid: true };
  const noControl = raw.replace(CONTROL, '');
  const collapsed = noControl.replace(WHITESPACE, ' ').trim();
  const text = collapsed.replace(FORBIDDEN_LEADING, '');
  return { text, leading: text !== collapsed, control: noControl !== raw };
}

/** Bytes the field takes in the file: quoted (and quotes doubled) when papaparse will quote it. */
function writtenBytes(field: string): number {
  const needsQuotes = /[",\r\n]/.test(field) || field !== field.trim();
  const body = needsQuotes ? `"${field.replaceAll('"', '""')}"` : field;
  return utf8.encode(body).length;
}

/**
 * Writes `pairs` as an Amazon Translate parallel-data CSV with header `<source>,<target>` (the whole
 * file as one string: {@link ParallelDataRows} builds the same file line by line, for a large book).
 */
export function toParallelDataCsv(
  pairs: Iterable<TextPair>,
  opts: CsvOptions,
): { csv: string; counts: CsvCounts } {
  const rows = new ParallelDataRows(opts);
  for (const pair of pairs) rows.add(pair);
  return { csv: [...rows.lines()].join(''), counts: rows.counts() };
}

type Row = { target: string; leading: boolean; control: boolean };

/**
 * The rows of an Amazon Translate parallel-data CSV, added pair by pair and written line by line: only
 * the rows kept are held (not the pairs, not the file), so a large book's CSV can be hashed and
 * streamed without ever being one string.
 *
 * Cleaning, in order, per field: lone surrogates → pair left out (`invalidText`); control characters
 * removed (`cleanedControl`); whitespace runs (newlines, tabs, U+2028…) collapsed to one space and
 * trimmed; leading `+ - = @` stripped (`cleanedLeading`). Then a pair is left out when a field is empty
 * (`empty`), source equals target (`identical`), or a field is over `maxFieldBytes` (`tooLong`).
 *
 * Duplicates: when several pairs share a source, **the last one wins** (the same rule Translate
 * applies on import, so removing them here changes nothing but the file size); it is written at the
 * position of its first occurrence, so the output order follows the documents.
 */
export class ParallelDataRows {
  private readonly rows = new Map<string, Row>();
  private readonly newline: '\n' | '\r\n';
  private readonly maxBytes: number;
  private readonly added = {
    input: 0,
    duplicates: 0,
    conflictingDuplicates: 0,
    identical: 0,
    tooLong: 0,
    empty: 0,
    invalidText: 0,
  };

  constructor(private readonly opts: CsvOptions) {
    for (const code of [opts.source, opts.target]) {
      if (!isLanguageCode(code)) {
        throw new InvalidInputError(
          `toParallelDataCsv: '${code}' is not a language code (expected e.g. en, zh, zh-TW)`,
        );
      }
    }
    if (opts.source === opts.target) {
      throw new InvalidInputError(`toParallelDataCsv: source and target language are both '${opts.source}'`);
    }
    this.newline = opts.newline ?? '\n';
    this.maxBytes = opts.maxFieldBytes ?? MAX_FIELD_BYTES;
  }

  /** Cleans one pair and keeps it as a row, or counts why it is left out. */
  add(pair: TextPair): void {
    const counts = this.added;
    counts.input++;
    const s = cleanField(String(pair.source ?? ''));
    const t = cleanField(String(pair.target ?? ''));
    if ('invalid' in s || 'invalid' in t) {
      counts.invalidText++;
      return;
    }
    if (s.text === '' || t.text === '') {
      counts.empty++;
      return;
    }
    if (s.text === t.text) {
      counts.identical++;
      return;
    }
    if (writtenBytes(s.text) > this.maxBytes || writtenBytes(t.text) > this.maxBytes) {
      counts.tooLong++;
      return;
    }
    const previous = this.rows.get(s.text);
    if (previous) {
      counts.duplicates++;
      if (previous.target !== t.text) counts.conflictingDuplicates++;
    }
    this.rows.set(s.text, {
      target: t.text,
      leading: s.leading || t.leading,
      control: s.control || t.control,
    });
  }

  /** What happened to the pairs added so far; every pair is counted once in `written` or a reason. */
  counts(): CsvCounts {
    let cleanedLeading = 0;
    let cleanedControl = 0;
    for (const row of this.rows.values()) {
      if (row.leading) cleanedLeading++;
      if (row.control) cleanedControl++;
    }
    const { input, ...reasons } = this.added;
    return { input, written: this.rows.size, ...reasons, cleanedLeading, cleanedControl };
  }

  /** The file, line by line, each line with its newline: the header, then one line per row. */
  *lines(): Generator<string> {
    yield `${this.opts.source},${this.opts.target}${this.newline}`;
    for (const [source, row] of this.rows) {
      // papaparse quotes a field (and doubles its quotes) exactly as it would in the whole file.
      const line = Papa.unparse([[source, row.target]], {
        newline: this.newline,
        quotes: false,
        escapeFormulae: false,
        header: false,
      });
      yield line + this.newline;
    }
  }
}
