import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeMarkdown,
  extractSegments,
  mergeTranslation,
  toTranslateHtml,
} from '../../../lambdas/core/markdown';

// Golden files: test/fixtures/codec/<case>.md ↔ <case>.segments.json. Regenerate on purpose with
// `UPDATE_GOLDEN=1 npx vitest run test/core/markdown/golden.test.ts` and review the diff.
const dir = join(import.meta.dirname, '../../fixtures/codec');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.slice(0, -3));

function read(name: string): string {
  return decodeMarkdown(readFileSync(join(dir, `${name}.md`)), `${name}.md`);
}

describe('codec golden files', () => {
  it('has the edge cases the issue names', () => {
    expect(cases).toEqual(
      expect.arrayContaining([
        'nested-lists',
        'table-pipes-in-code',
        'math-punctuation',
        'crlf',
        'bom',
        'empty',
        'only-code',
        'unterminated-fence',
        'd2l-dialect',
      ]),
    );
  });

  it.each(cases)('%s: round-trips byte for byte through HTML', (name) => {
    const source = read(name);
    expect(mergeTranslation(source, toTranslateHtml(source, { file: name }), { file: name })).toBe(source);
  });

  it.each(cases)('%s: segments match the golden file', (name) => {
    const segments = extractSegments(read(name)).map(
      ({ id, kind, depth, text, start, end, protectedItems }) => ({
        id,
        kind,
        ...(depth !== undefined ? { depth } : {}),
        text,
        at: `${start.line}:${start.column}-${end.line}:${end.column}`,
        protectedItems,
      }),
    );
    const goldenPath = join(dir, `${name}.segments.json`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(goldenPath, `${JSON.stringify(segments, null, 2)}\n`);
    expect(segments).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
  });
});
