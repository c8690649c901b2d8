/**
 * How the emulator imports a parallel-data CSV: strictly, with the rules Amazon Translate documents
 * (docs/architecture.md "Amazon Translate facts that shape the design"): header row = language codes, quoted fields with `"`
 * doubled, no field spanning lines, no field starting with `+ - = @` (the import fails), fields
 * over 1000 bytes skipped, an empty source skips the line, the last duplicate source wins.
 */
import { isLanguageCode } from '../../lambdas/core/language';
import { normalizeSentence } from './emulated-translation';

export interface ImportedParallelData {
  /** Language codes from the header; the first is the source. */
  languages: string[];
  /** Normalised source sentence → target per language code. */
  entries: Map<string, Record<string, string>>;
  importedRecordCount: number;
  skippedRecordCount: number;
  failedRecordCount: number;
  importedDataSize: number;
}

/** The import failed as a whole; the message is what GetParallelData reports. */
export class ParallelDataImportError extends Error {
  override name = 'ParallelDataImportError';
}

const MAX_FIELD_BYTES = 1000;

/** Splits CSV text into records; throws when a quoted field contains a line break. */
export function parseCsvRecords(text: string, delimiter = ','): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let afterQuote = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    afterQuote = false;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
        i++;
        continue;
      }
      if (c === '\n' || c === '\r') {
        throw new ParallelDataImportError(`line ${recordLine}: a quoted field spans more than one line`);
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '' && !afterQuote) {
      quoted = true;
      i++;
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = '';
      afterQuote = false;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (afterQuote) throw new ParallelDataImportError(`line ${recordLine}: text after a closing quote`);
    field += c;
    i++;
  }
  if (quoted) throw new ParallelDataImportError(`line ${recordLine}: unterminated quoted field`);
  if (field !== '' || fields.length) endRecord();
  return records;
}

/** Validates and imports a parallel-data file (CSV or TSV bytes). */
export function importParallelData(bytes: Uint8Array, format: 'CSV' | 'TSV' = 'CSV'): ImportedParallelData {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ParallelDataImportError('the file is not valid UTF-8');
  }
  // Stricter than needed on purpose: the project's CSV contract is UTF-8 *without* BOM
  // (docs/architecture.md "Amazon Translate facts that shape the design").
  if (text.startsWith('\uFEFF')) {
    throw new ParallelDataImportError(
      'line 1: the header must be language codes, but the file starts with a BOM',
    );
  }
  const records = parseCsvRecords(text, format === 'TSV' ? '\t' : ',');
  const header = records.shift();
  if (!header)
    throw new ParallelDataImportError('the file is empty: expected a header row of language codes');
  const languages = header.fields.map((f) => f.trim());
  if (languages.length < 2 || !languages.every(isLanguageCode)) {
    throw new ParallelDataImportError(
      `line 1: the header must be language codes (e.g. "en,zh"), got ${JSON.stringify(header.fields.join(','))}`,
    );
  }
  if (new Set(languages).size !== languages.length) {
    throw new ParallelDataImportError('line 1: a language code appears twice in the header');
  }
  const entries = new Map<string, Record<string, string>>();
  let skipped = 0;
  let failed = 0;
  const encoder = new TextEncoder();
  for (const { line, fields } of records) {
    for (const f of fields) {
      if (/^[+\-=@]/.test(f)) {
        throw new ParallelDataImportError(
          `line ${line}: a field starts with "${f[0]}", which is not allowed (+ - = @): ${JSON.stringify(f.slice(0, 40))}`,
        );
      }
    }
    if (fields.length !== languages.length) {
      failed++;
      continue;
    }
    const source = normalizeSentence(fields[0] as string);
    if (!source || fields.some((f) => encoder.encode(f).length > MAX_FIELD_BYTES)) {
      skipped++;
      continue;
    }
    const targets: Record<string, string> = {};
    languages.slice(1).forEach((lang, k) => {
      targets[lang] = normalizeSentence(fields[k + 1] as string);
    });
    entries.delete(source); // last duplicate wins, and takes the last position
    entries.set(source, targets);
  }
  if (entries.size === 0) throw new ParallelDataImportError('the file contains no usable records');
  return {
    languages,
    entries,
    importedRecordCount: entries.size,
    skippedRecordCount: skipped,
    failedRecordCount: failed,
    importedDataSize: bytes.length,
  };
}
