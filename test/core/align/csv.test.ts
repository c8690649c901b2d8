import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ParallelDataRows, toParallelDataCsv } from '../../../lambdas/core/align/csv';
import { InvalidInputError } from '../../../lambdas/core/errors';

const EN_ZH = { source: 'en', target: 'zh' } as const;

/** Parses a CSV the way a strict reader would and returns its rows (header first). */
function rows(csv: string): string[][] {
  const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** Asserts every Amazon Translate parallel-data rule on a CSV text. */
function expectTranslateValid(csv: string, maxBytes = 1000): void {
  expect(csv.charCodeAt(0)).not.toBe(0xfeff);
  const lines = csv.split('\n');
  expect(lines.at(-1)).toBe('');
  const crlf = csv.includes('\r\n');
  if (crlf) expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  else expect(csv).not.toContain('\r');
  const data = rows(csv);
  // One line per row: no field spans lines.
  expect(data.length).toBe(lines.length - 1);
  for (const row of data.slice(1)) {
    expect(row).toHaveLength(2);
    for (const field of row) {
      expect(field).not.toBe('');
      expect(field).not.toMatch(/^[+\-=@]/);
      expect(new TextEncoder().encode(field).length).toBeLessThanOrEqual(maxBytes);
    }
    expect(row[0]).not.toBe(row[1]);
  }
  const sources = data.slice(1).map((r) => r[0]);
  expect(new Set(sources).size).toBe(sources.length);
}

describe('toParallelDataCsv()', () => {
  describe('bad input', () => {
    it.each([
      ['', 'zh'],
      ['en', ''],
      ['EN', 'zh'],
      ['en,zh', 'fr'],
      ['en\n', 'zh'],
    ])('rejects language codes %j/%j with InvalidInputError', (source, target) => {
      expect(() => toParallelDataCsv([], { source, target })).toThrow(InvalidInputError);
    });

    it('rejects the same language on both sides', () => {
      expect(() => toParallelDataCsv([], { source: 'en', target: 'en' })).toThrow(/both 'en'/);
    });

    it('writes only the header for no pairs', () => {
      const { csv, counts } = toParallelDataCsv([], EN_ZH);
      expect(csv).toBe('en,zh\n');
      expect(counts.written).toBe(0);
    });

    it('leaves out and counts empty and blank fields', () => {
      const { csv, counts } = toParallelDataCsv(
        [
          { source: '', target: '你好' },
          { source: 'Hello', target: '  \n ' },
          { source: '- ', target: '一' },
        ],
        EN_ZH,
      );
      expect(csv).toBe('en,zh\n');
      expect(counts).toMatchObject({ input: 3, empty: 3, written: 0 });
    });

    it('leaves out and counts pairs with a lone surrogate rather than writing U+FFFD', () => {
      const { csv, counts } = toParallelDataCsv(
        [
          { source: 'bad \uD800 text', target: '坏' },
          { source: 'bad', target: '\uDC00坏' },
          { source: 'ok 😀', target: '好 😀' },
        ],
        EN_ZH,
      );
      expect(counts).toMatchObject({ invalidText: 2, written: 1 });
      expect(rows(csv)[1]).toEqual(['ok 😀', '好 😀']);
    });

    // The size does not change what is written (no size-dependent rule); 1 MB proves many-row
    // validity. Bigger books go through toParallelDataCsv in bench/align.bench.ts.
    it('handles 1 MB of input and stays valid', () => {
      const pairs = Array.from({ length: 4_000 }, (_, i) => ({
        source: `Sentence number ${i}, with "quotes", commas and a\nnewline. ${'x'.repeat(200)}`,
        target: `第${i}句，“引号”，逗号\r\n和换行。${'字'.repeat(10)}`,
      }));
      const size = pairs.reduce((a, p) => a + p.source.length + p.target.length, 0);
      expect(size).toBeGreaterThan(1_000_000);
      const { csv, counts } = toParallelDataCsv(pairs, EN_ZH);
      expect(counts.written).toBe(4_000);
      expectTranslateValid(csv);
    });
  });

  describe('hostile field content', () => {
    it.each([
      ['quotes', 'He said "hi"', '他说"你好"', 'He said "hi"'],
      ['commas', 'a, b, c', '甲，乙, 丙', 'a, b, c'],
      ['newlines', 'line one\nline two', '第一行\n第二行', 'line one line two'],
      ['carriage returns', 'one\rtwo\r\nthree', '一\r二', 'one two three'],
      ['tabs', 'a\tb', '甲\t乙', 'a b'],
      ['NUL and C0 controls', 'a\u0000b\u0007c', '甲\u0000乙', 'abc'],
      ['line/paragraph separators and NEL', 'a\u2028b\u2029c\u0085d', '甲\u2028乙', 'a b c d'],
      ['emoji (astral plane)', 'cat 🐈 and 👩‍👩‍👧', '猫 🐈 和 👩‍👩‍👧', 'cat 🐈 and 👩‍👩‍👧'],
      ['a BOM inside the text', '\uFEFFStart', '\uFEFF开始', 'Start'],
      ['leading and trailing spaces', '  padded  ', '  填充 ', 'padded'],
    ])('writes a valid one-line row for %s', (_name, source, target, expected) => {
      const { csv, counts } = toParallelDataCsv([{ source, target }], EN_ZH);
      expectTranslateValid(csv);
      expect(counts.written).toBe(1);
      expect(rows(csv)[1]?.[0]).toBe(expected);
    });

    it('quotes a field with a comma or quote and doubles the quote', () => {
      const { csv } = toParallelDataCsv([{ source: 'say "a, b"', target: '说' }], EN_ZH);
      expect(csv).toBe('en,zh\n"say ""a, b""",说\n');
    });

    it.each(['+', '-', '=', '@'])('strips a leading %s (never escapes with a quote) and counts it', (ch) => {
      const { csv, counts } = toParallelDataCsv([{ source: `${ch} item`, target: `${ch}${ch}条目` }], EN_ZH);
      expect(rows(csv)[1]).toEqual(['item', '条目']);
      expect(counts.cleanedLeading).toBe(1);
      expectTranslateValid(csv);
    });

    it('strips a run of forbidden leading symbols and spaces ("- = @x")', () => {
      const { csv } = toParallelDataCsv([{ source: ' - = @x', target: '乙' }], EN_ZH);
      expect(rows(csv)[1]).toEqual(['x', '乙']);
    });

    it('keeps + - = @ inside a field', () => {
      const { csv } = toParallelDataCsv([{ source: 'a = b - c', target: '甲 = 乙 - 丙 @ 丁' }], EN_ZH);
      expect(rows(csv)[1]).toEqual(['a = b - c', '甲 = 乙 - 丙 @ 丁']);
    });
  });

  describe('Translate rules', () => {
    it('writes the header of language codes, no BOM, \\n by default', () => {
      const { csv } = toParallelDataCsv([{ source: 'Hello', target: '你好' }], {
        source: 'en',
        target: 'zh-TW',
      });
      expect(csv).toBe('en,zh-TW\nHello,你好\n');
    });

    it('uses \\r\\n for every line when asked', () => {
      const { csv } = toParallelDataCsv(
        [
          { source: 'a\nb', target: '甲' },
          { source: 'c', target: '乙' },
        ],
        { ...EN_ZH, newline: '\r\n' },
      );
      expect(csv).toBe('en,zh\r\na b,甲\r\nc,乙\r\n');
      expectTranslateValid(csv);
    });

    it('leaves out and counts a pair with a field over 1000 UTF-8 bytes (CJK is 3 bytes a character)', () => {
      const { csv, counts } = toParallelDataCsv(
        [
          { source: 'ok', target: '字'.repeat(333) },
          { source: 'too long', target: '字'.repeat(334) },
          { source: 'a'.repeat(1001), target: '短' },
        ],
        EN_ZH,
      );
      expect(counts).toMatchObject({ written: 1, tooLong: 2 });
      expectTranslateValid(csv);
    });

    it('counts the quotes papaparse adds towards the byte limit', () => {
      const field = `"${'a'.repeat(997)}`; // 998 bytes raw, 1001 bytes written ("""aaa…")
      const { counts } = toParallelDataCsv([{ source: field, target: '甲' }], EN_ZH);
      expect(counts.tooLong).toBe(1);
    });

    it('removes pairs whose source and target are identical after cleaning', () => {
      const { csv, counts } = toParallelDataCsv(
        [
          { source: 'Discussions', target: 'Discussions' },
          { source: 'ResNet\n', target: ' ResNet' },
          { source: 'Summary', target: '小结' },
        ],
        EN_ZH,
      );
      expect(counts).toMatchObject({ identical: 2, written: 1 });
      expect(rows(csv).slice(1)).toEqual([['Summary', '小结']]);
    });

    it('keeps one row per source: the last duplicate wins, at the first position', () => {
      const { csv, counts } = toParallelDataCsv(
        [
          { source: 'Exercises', target: '练习一' },
          { source: 'Summary', target: '小结' },
          { source: 'Exercises', target: '练习二' },
          { source: 'Exercises', target: '练习二' },
        ],
        EN_ZH,
      );
      expect(rows(csv).slice(1)).toEqual([
        ['Exercises', '练习二'],
        ['Summary', '小结'],
      ]);
      expect(counts).toMatchObject({ duplicates: 2, conflictingDuplicates: 1, written: 2 });
    });

    it('accounts for every input pair exactly once', () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.record({ source: fc.string({ maxLength: 40 }), target: fc.string({ maxLength: 40 }) }),
            {
              maxLength: 30,
            },
          ),
          (pairs) => {
            const { csv, counts } = toParallelDataCsv(pairs, { ...EN_ZH, maxFieldBytes: 30 });
            expectTranslateValid(csv, 30);
            expect(
              counts.written +
                counts.duplicates +
                counts.identical +
                counts.tooLong +
                counts.empty +
                counts.invalidText,
            ).toBe(pairs.length);
          },
        ),
      );
    });
  });
});

describe('ParallelDataRows (the CSV line by line, for a large book)', () => {
  /** Fields that make papaparse quote: commas, quotes, spaces at either end (kept inside), CR/LF. */
  const field = fc
    .array(fc.constantFrom('a', 'b', '中', ',', '"', ' ', '\t', '-', '=', 'x y', '""'), { maxLength: 12 })
    .map((parts) => parts.join(''));

  it('writes the same file as papaparse writing all rows at once, for either newline', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ source: field, target: field }), { maxLength: 25 }),
        fc.constantFrom('\n' as const, '\r\n' as const),
        (pairs, newline) => {
          const rows = new ParallelDataRows({ ...EN_ZH, newline });
          for (const p of pairs) rows.add(p);
          const lines = [...rows.lines()];
          const kept = lines.slice(1).map((l) => Papa.parse<string[]>(l.slice(0, -newline.length)).data[0]);
          const whole =
            kept.length === 0
              ? 'en,zh'
              : Papa.unparse(
                  { fields: ['en', 'zh'], data: kept as string[][] },
                  { newline, quotes: false, escapeFormulae: false },
                );
          expect(lines.join('')).toBe(whole + newline);
          expect(lines.every((l) => l.endsWith(newline))).toBe(true);
        },
      ),
    );
  });

  it('holds one row per distinct source, the last target winning at the first position', () => {
    const rows = new ParallelDataRows(EN_ZH);
    for (const [source, target] of [
      ['One.', '一。'],
      ['Two.', '二。'],
      ['One.', '壹。'],
    ]) {
      rows.add({ source: source as string, target: target as string });
    }
    expect([...rows.lines()]).toEqual(['en,zh\n', 'One.,壹。\n', 'Two.,二。\n']);
    expect(rows.counts()).toMatchObject({ input: 3, written: 2, duplicates: 1, conflictingDuplicates: 1 });
  });

  it('gives the same lines every time they are read (hashed first, then uploaded)', () => {
    const rows = new ParallelDataRows(EN_ZH);
    rows.add({ source: 'A "quoted", source.', target: '引号。' });
    expect([...rows.lines()]).toEqual([...rows.lines()]);
    expect([...rows.lines()][1]).toBe('"A ""quoted"", source.",引号。\n');
  });

  it('refuses bad language codes when it is made, before any pair', () => {
    expect(() => new ParallelDataRows({ source: 'en', target: 'EN' })).toThrow(InvalidInputError);
  });
});
