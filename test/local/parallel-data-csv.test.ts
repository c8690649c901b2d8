import { describe, expect, it } from 'vitest';
import {
  importParallelData,
  ParallelDataImportError,
  parseCsvRecords,
} from '../../local/emulator/parallel-data-csv';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('parseCsvRecords()', () => {
  it('parses quoted fields with commas and doubled quotes, CRLF and LF, and skips blank lines', () => {
    expect(parseCsvRecords('en,zh\r\n"a, ""b""",乙\n\nc,丙')).toEqual([
      { line: 1, fields: ['en', 'zh'] },
      { line: 2, fields: ['a, "b"', '乙'] },
      { line: 4, fields: ['c', '丙'] },
    ]);
  });

  it.each([
    ['a quoted field with a line break', 'en,zh\n"a\nb",c\n', /spans more than one line/],
    ['an unterminated quote', 'en,zh\n"abc,d\n', /spans more than one line|unterminated/],
    ['text after a closing quote', 'en,zh\n"a"b,c\n', /after a closing quote/],
  ])('rejects %s', (_what, csv, message) => {
    expect(() => parseCsvRecords(csv)).toThrow(message);
  });
});

describe('importParallelData()', () => {
  it('imports records, the last duplicate winning, whitespace normalised', () => {
    const out = importParallelData(bytes('en,zh\nHello  world.,你好。\nHello world.,您好。\n'));
    expect(out.languages).toEqual(['en', 'zh']);
    expect([...out.entries]).toEqual([['Hello world.', { zh: '您好。' }]]);
  });

  it('counts rows with the wrong number of fields as failed, and keeps the rest', () => {
    const out = importParallelData(bytes('en,zh\na,甲\nb,乙,extra\n'));
    expect(out).toMatchObject({ importedRecordCount: 1, failedRecordCount: 1 });
  });

  it('reads TSV', () => {
    expect([...importParallelData(bytes('en\tzh\na, b\t甲\n'), 'TSV').entries]).toEqual([
      ['a, b', { zh: '甲' }],
    ]);
  });

  it.each([
    [
      'bytes that are not UTF-8',
      new Uint8Array([0x65, 0x6e, 0x2c, 0x7a, 0x68, 0x0a, 0xff, 0xfe]),
      /not valid UTF-8/,
    ],
    ['a BOM before the header', bytes('\uFEFFen,zh\na,甲\n'), /header must be language codes/],
    ['a header with one language', bytes('en\na\n'), /header must be language codes/],
    ['a duplicated language', bytes('en,en\na,b\n'), /appears twice/],
    ['only a header', bytes('en,zh\n'), /no usable records/],
    ['a field starting with @', bytes('en,zh\n@user,用户\n'), /starts with "@"/],
    ['a quoted field starting with +', bytes('en,zh\n"+1 more",再加一\n'), /starts with "\+"/],
  ])('fails the import for %s', (_what, input, message) => {
    expect(() => importParallelData(input)).toThrow(ParallelDataImportError);
    expect(() => importParallelData(input)).toThrow(message);
  });
});
