/** local/run/run-book.ts: the book is checked before anything starts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBook } from '../../local/run/run-book';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'amts-run-book-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('checkBook()', () => {
  it.each([
    ['a missing folder', 'nope', /no such book folder/],
    ['a folder without source/en', '.', /expected source\/en\//],
  ])('rejects %s', (_what, sub, message) => {
    expect(() => checkBook({ book: join(dir, sub) }, { source: 'en', target: 'zh' })).toThrow(message);
  });
});
