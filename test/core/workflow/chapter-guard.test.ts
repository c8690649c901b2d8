import { describe, expect, it } from 'vitest';
import { DocumentTooLargeError, EncodingError } from '../../../lambdas/core/errors';
import { extractSegments } from '../../../lambdas/core/markdown';
import { planRun } from '../../../lambdas/core/sync/plan';
import { emptySyncState } from '../../../lambdas/core/sync/state';
import {
  checkChapterSize,
  describeFailure,
  isRunError,
  MAX_CHAPTER_BYTES,
  planRunIsolating,
  runStatusOf,
  unusableTranslation,
} from '../../../lambdas/core/workflow/chapter-guard';

describe('chapter guard: one hostile chapter fails alone', () => {
  it('checks the size before anything is parsed, naming the file and the limit', () => {
    expect(() => checkChapterSize(MAX_CHAPTER_BYTES, 'source/en/a.md')).not.toThrow();
    expect(() => checkChapterSize(MAX_CHAPTER_BYTES + 1, 'source/en/a.md')).toThrow(DocumentTooLargeError);
    expect(() => checkChapterSize(30 * 1024 * 1024, 'source/en/a.md')).toThrow(
      /^source\/en\/a\.md: the Markdown is 31457280 bytes; the codec accepts at most 20971520 bytes/,
    );
  });

  it.each([
    [
      new EncodingError('source/en/a.md:1:2: not valid UTF-8'),
      'EncodingError: source/en/a.md:1:2: not valid UTF-8',
    ],
    [new Error('boom'), 'Error: source/en/a.md: boom'],
    [
      new RangeError('Maximum call stack size exceeded'),
      'RangeError: source/en/a.md: nested too deeply to parse (Maximum call stack size exceeded); flatten the nesting or split the file',
    ],
    ['a string', 'Error: source/en/a.md: a string'],
  ])('describes %s with its name and the file', (error, expected) => {
    expect(describeFailure(error, 'source/en/a.md')).toBe(expected);
  });

  it('cuts a very long reason', () => {
    const text = describeFailure(new Error('x'.repeat(10_000)), 'a.md');
    expect(text.length).toBeLessThan(2100);
    expect(text).toMatch(/… \(cut\)$/);
  });

  it('tells errors of the run (SDK, network, timeouts, conflicts) from errors of one document', () => {
    const sdk = Object.assign(new Error('Access Denied'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(isRunError(sdk)).toBe(true);
    expect(isRunError(Object.assign(new Error('x'), { $fault: 'server' }))).toBe(true);
    expect(isRunError(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toBe(true);
    expect(isRunError(new EncodingError('x'))).toBe(false);
    expect(isRunError(new RangeError('Maximum call stack size exceeded'))).toBe(false);
    expect(isRunError('text')).toBe(false);
  });

  it.each([
    [[], false, 'SUCCEEDED'],
    [['translated', 'unchanged'], false, 'SUCCEEDED'],
    [['translated'], true, 'PARTIAL'],
    [['translated', 'failed'], false, 'PARTIAL'],
    [['unchanged', 'failed'], false, 'PARTIAL'],
    [['failed', 'orphaned'], false, 'FAILED'],
    [['failed'], false, 'FAILED'],
  ] as const)('run status of %j (job partial %s) is %s', (statuses, partial, expected) => {
    expect(
      runStatusOf(
        statuses.map((status) => ({ status })),
        partial,
      ),
    ).toBe(expected);
  });

  it('plans the others when planning one document throws, naming it', () => {
    const good = '# Good\n\nA paragraph.\n';
    const doc = (path: string, md: string) => ({
      path,
      sourceMarkdown: md,
      source: extractSegments(md),
      translatedMarkdown: null,
      translated: null,
    });
    // A document whose segments do not belong to its Markdown makes planning throw.
    const broken = { ...doc('b.md', good), source: extractSegments('# Other\n\n'.repeat(3)) };
    const input = { pair: 'en-zh', state: emptySyncState('en-zh'), documents: [doc('a.md', good), broken] };
    expect(() => planRun({ ...input, documents: [broken] })).toThrow(/does not match the document/);
    const { plan, failures } = planRunIsolating(input);
    expect(plan.documents.map((d) => d.path)).toEqual(['a.md']);
    expect(failures).toEqual([{ path: 'b.md', error: expect.stringContaining('source/b.md') }]);
  });

  it('rethrows when planning fails for no single document', () => {
    expect(() =>
      planRunIsolating({
        pair: 'en-zh',
        state: emptySyncState('en-zh'),
        documents: [
          {
            path: 'a.md',
            sourceMarkdown: '# A\n',
            source: extractSegments('# A\n'),
            translatedMarkdown: null,
            translated: null,
          },
          {
            path: 'a.md',
            sourceMarkdown: '# A\n',
            source: extractSegments('# A\n'),
            translatedMarkdown: null,
            translated: null,
          },
        ],
      }),
    ).toThrow(/listed twice/);
  });
});

describe('unusableTranslation: garbage from the job is failed, not "translated"', () => {
  const result = (machineTranslated: number, origins: string[]) => ({
    report: { units: { machineTranslated } },
    state: { units: origins.map((origin) => ({ origin })) },
  });
  it.each([
    ['nothing was sent', 0, '<p id="u1">x</p>', result(0, ['reused']), null],
    ['a usable translation', 2, '<p id="u1">甲</p>', result(2, ['machine', 'machine']), null],
    ['some units fell back', 2, '<p id="u1">甲</p>', result(1, ['machine', 'source-fallback']), null],
    ['an empty output', 2, '', result(0, ['source-fallback', 'source-fallback']), /without text/],
    ['an output of tags only', 2, '<html><body> </body></html>', result(0, []), /without text/],
    [
      'no unit usable',
      3,
      '<p id="u9">x</p>',
      result(0, ['source-fallback', 'source-fallback', 'reused']),
      /not one of the 3/,
    ],
  ])('%s → %s', (_name, sent, html, r, expected) => {
    const why = unusableTranslation(sent, html, r);
    if (expected === null) expect(why).toBeNull();
    else expect(why).toMatch(expected);
  });
});
