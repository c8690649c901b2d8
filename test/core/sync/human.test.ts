import { describe, expect, it } from 'vitest';
import { extractSegments } from '../../../lambdas/core/markdown';
import { ReviewItemSchema } from '../../../lambdas/core/report';
import {
  classifyChange,
  emptySyncState,
  humanReferences,
  isOriginPath,
  originPathOf,
  type SyncState,
  weakAlignment,
} from '../../../lambdas/core/sync/api';
import { type Book, edit, syncRun } from './helpers';

describe('classifyChange()', () => {
  it.each([
    ['whitespace and line wrapping', 'The gradient is\ncomputed.', 'The gradient is computed.', 'markup'],
    ['an article added', 'We compute gradient of loss.', 'We compute the gradient of the loss.', 'fuzzy'],
    ['a preposition changed', 'We train on the data.', 'We train with the data.', 'fuzzy'],
    ['a typo fixed', 'The model can recieve inputs.', 'The model can receive inputs.', 'fuzzy'],
    ['a comma added', 'First we train then we test.', 'First we train, then we test.', 'fuzzy'],
    ['a number changed', 'We use 5 layers here.', 'We use 6 layers here.', 'changed'],
    [
      'a token name changed',
      'Map rare words to `<unk>` first.',
      'Map rare words to `<pad>` first.',
      'changed',
    ],
    ['a content word replaced', 'Second paragraph, plain.', 'Second paragraph, rewritten.', 'changed'],
    ['a sentence added', 'One idea.', 'One idea. And a whole new sentence about it.', 'changed'],
    ['a word that changes the meaning', 'It is trained.', 'It is now trained.', 'changed'],
  ])('%s → %s', (_name, before, after, kind) => {
    const result = classifyChange(before, after);
    expect(result.kind).toBe(kind);
    expect(result.reason.length).toBeGreaterThan(10);
  });

  it('is symmetric for small changes and reports the words', () => {
    expect(classifyChange('the cat sat', 'cat sat').kind).toBe('fuzzy');
    expect(classifyChange('cat sat', 'the cat sat').reason).toContain('+"the"');
  });
});

describe('weakAlignment()', () => {
  it('accepts a pair of the expected length with the same numbers', () => {
    expect(
      weakAlignment(
        'We train the model for 10 epochs on a single GPU and report the accuracy.',
        '我们在单个GPU上训练模型10轮，并报告准确率。',
        'en',
        'zh',
      ),
    ).toBeUndefined();
  });

  it('flags numbers that disagree', () => {
    expect(weakAlignment('We train for 10 epochs.', '我们训练20轮。', 'en', 'zh')).toMatch(
      /numbers disagree/,
    );
  });

  it('flags a translation far too short for its English', () => {
    const english =
      'The main idea of the skip-gram model is using softmax operations to calculate the conditional probability of generating a context word.';
    expect(weakAlignment(english, '主要思想。', 'en', 'zh')).toMatch(/length ratio/);
  });
});

describe('origin files', () => {
  it.each([
    ['a/b.md', '{name}_origin.md', 'a/b_origin.md'],
    ['b.md', '{name}_origin.md', 'b_origin.md'],
    ['x/y/z.md', 'origin-{name}.md', 'x/y/origin-z.md'],
  ])('%s with %s → %s', (path, pattern, origin) => {
    expect(originPathOf(path, pattern)).toBe(origin);
    expect(isOriginPath(origin, pattern)).toBe(true);
    expect(isOriginPath(path, pattern)).toBe(false);
  });

  it('rejects a pattern without {name} or .md', () => {
    expect(() => originPathOf('a.md', 'origin.md')).toThrow(/\{name\}/);
    expect(() => isOriginPath('a.md', '{name}_origin.txt')).toThrow(/ending in \.md/);
  });
});

const CHAPTER = `# Intro

First paragraph with $x$ and \`code\`. It has a second sentence.

Second paragraph, plain.

We train for 10 epochs.
`;

const REFERENCE = new Map([
  ['Intro', '引言'],
  ['First paragraph with $x$ and `code`. It has a second sentence.', '第一段有 $x$ 和 `code`。它有第二句。'],
  ['Second paragraph, plain.', '第二段，平实。'],
  ['We train for 10 epochs.', '我们训练10轮。'],
]);

function firstRun(): { b: Book; state: SyncState } {
  const b: Book = { source: new Map([['c.md', CHAPTER]]), translated: new Map() };
  const { state } = syncRun(b, emptySyncState('en-zh'), 'r1', { referencePairs: REFERENCE });
  return { b, state };
}

const reportOf = (run: ReturnType<typeof syncRun>) => {
  const report = run.reports[0];
  if (!report) throw new Error('no report');
  for (const entry of report.review ?? []) ReviewItemSchema.parse(entry);
  return report;
};

describe('sync of units with a human translation when their English changes', () => {
  it('a new sentence: sends only it, keeps the human sentences, reports the unit stale with the old texts', () => {
    const { b, state } = firstRun();
    b.source.set('c.md', edit(CHAPTER, 'second sentence.', 'second sentence. A third one is new.'));
    const run = syncRun(b, state, 'r2', { referencePairs: REFERENCE, sentenceLevel: true });
    const report = reportOf(run);
    expect(run.plan.charactersSent).toBe('A third one is new.'.length);
    expect(report.units).toMatchObject({ stale: 1, fuzzy: 0, conflicts: 0, machineTranslated: 1 });
    expect(report.review).toEqual([
      expect.objectContaining({
        unitId: 'u2',
        kind: 'stale',
        line: 3,
        previousSource: 'First paragraph with $x$ and `code`. It has a second sentence.',
        previousHuman: '第一段有 $x$ 和 `code`。它有第二句。',
        translation: '第一段有 $x$ 和 `code`。它有第二句。译A third one is new.',
      }),
    ]);
    expect(b.translated.get('c.md')).toContain('第一段有 $x$ 和 `code`。它有第二句。译A third one is new.');
    // the flag stays with the unit until a human edits it
    const again = reportOf(syncRun(b, run.state, 'r3', { referencePairs: REFERENCE, sentenceLevel: true }));
    expect(again.units.stale).toBe(1);
    expect(again.charactersSent).toBe(0);
  });

  it('never takes a stale reference as current, even when the aligner pairs it with the new English', () => {
    const { b, state } = firstRun();
    const changed = 'Second paragraph, rewritten completely.';
    b.source.set('c.md', edit(CHAPTER, 'Second paragraph, plain.', changed));
    // the aligner pairs the new English with the old human paragraph
    const refs = new Map([...REFERENCE, [changed, '第二段，平实。']]);
    const run = syncRun(b, state, 'r2', { referencePairs: refs, sentenceLevel: true });
    const report = reportOf(run);
    expect(report.units.fromReference).toBe(0);
    expect(report.units.stale).toBe(1);
    expect(run.plan.charactersSent).toBe(changed.length);
    expect(b.translated.get('c.md')).toContain(`译${changed}`);
    expect(report.review?.[0]).toMatchObject({ kind: 'stale', previousHuman: '第二段，平实。' });
  });

  it('a small wording change keeps the human text, marked fuzzy, at no cost (unless retranslateFuzzy)', () => {
    const { b, state } = firstRun();
    b.source.set('c.md', edit(CHAPTER, 'Second paragraph, plain.', 'The second paragraph, plain.'));
    const run = syncRun(b, state, 'r2', { referencePairs: REFERENCE, sentenceLevel: true });
    expect(run.plan.charactersSent).toBe(0);
    expect(reportOf(run).units).toMatchObject({ fuzzy: 1, stale: 0 });
    expect(reportOf(run).review?.[0]).toMatchObject({
      kind: 'fuzzy',
      previousSource: 'Second paragraph, plain.',
      translation: '第二段，平实。',
    });
    expect(b.translated.get('c.md')).toContain('第二段，平实。');

    const fresh = firstRun();
    fresh.b.source.set('c.md', edit(CHAPTER, 'Second paragraph, plain.', 'The second paragraph, plain.'));
    const strict = syncRun(fresh.b, fresh.state, 'r2', { referencePairs: REFERENCE, retranslateFuzzy: true });
    expect(strict.plan.charactersSent).toBe('The second paragraph, plain.'.length);
    expect(reportOf(strict).units.stale).toBe(1);
  });

  it('a markup-only change keeps the human text, unflagged', () => {
    const { b, state } = firstRun();
    b.source.set('c.md', edit(CHAPTER, 'Second paragraph, plain.', 'Second paragraph, [**plain**].'));
    const run = syncRun(b, state, 'r2', { referencePairs: REFERENCE, sentenceLevel: true });
    expect(run.plan.charactersSent).toBe(0);
    expect(reportOf(run).units).toMatchObject({ stale: 0, fuzzy: 0 });
    expect(reportOf(run).review).toEqual([]);
    expect(b.translated.get('c.md')).toContain('第二段，平实。');
  });

  it('a changed number in a human sentence sends that sentence', () => {
    const { b, state } = firstRun();
    b.source.set('c.md', edit(CHAPTER, 'It has a second sentence.', 'It has 2 sentences.'));
    const run = syncRun(b, state, 'r2', { referencePairs: REFERENCE, sentenceLevel: true });
    expect(run.plan.charactersSent).toBe('It has 2 sentences.'.length);
    expect(reportOf(run).units.stale).toBe(1);
  });

  it('a post-edit whose English changed is stale like a reference: its unchanged sentences stay', () => {
    const { b, state } = firstRun();
    b.translated.set('c.md', edit(b.translated.get('c.md') as string, '它有第二句。', '它还有第二句。'));
    b.source.set(
      'c.md',
      edit(CHAPTER, 'It has a second sentence.', 'It has a second sentence. Plus 1 more.'),
    );
    const run = syncRun(b, state, 'r2', { referencePairs: REFERENCE, sentenceLevel: true });
    expect(run.plan.charactersSent).toBe('Plus 1 more.'.length);
    expect(b.translated.get('c.md')).toContain('它还有第二句。译Plus 1 more.');
    expect(reportOf(run).review?.[0]).toMatchObject({
      kind: 'stale',
      previousHuman: expect.stringContaining('它还有第二句。'),
    });
  });
});

describe('human references on a first run', () => {
  it('flags a weak pairing (numbers disagree) for review, and uses it', () => {
    const b: Book = { source: new Map([['c.md', CHAPTER]]), translated: new Map() };
    const refs = new Map([...REFERENCE, ['We train for 10 epochs.', '我们训练20轮。']]);
    const weak = new Map([['We train for 10 epochs.', 'numbers disagree (English 10, translation 20)']]);
    const run = syncRun(b, emptySyncState('en-zh'), 'r1', {
      referencePairs: refs,
      perDocument: () => ({ referenceWeak: weak }),
    });
    expect(b.translated.get('c.md')).toContain('我们训练20轮。');
    expect(reportOf(run).review).toEqual([
      expect.objectContaining({
        kind: 'weak-alignment',
        unitId: 'u4',
        reason: expect.stringMatching(/numbers disagree/),
      }),
    ]);
  });

  it('with an origin file, detects stale human text on the very first run', () => {
    const origin = CHAPTER;
    const current = edit(
      CHAPTER,
      'Second paragraph, plain.',
      'Second paragraph, plain. Now with 3 more words.',
    );
    const b: Book = { source: new Map([['c.md', current]]), translated: new Map() };
    // the aligner pairs the current English with the old human text: the origin file says it is stale
    const refs = new Map([
      ...REFERENCE,
      ['Second paragraph, plain. Now with 3 more words.', '第二段，平实。'],
    ]);
    const run = syncRun(b, emptySyncState('en-zh'), 'r1', {
      referencePairs: refs,
      sentenceLevel: true,
      perDocument: () => ({ origin: { source: extractSegments(origin), pairs: REFERENCE } }),
    });
    expect(run.plan.charactersSent).toBe('Now with 3 more words.'.length);
    expect(b.translated.get('c.md')).toContain('第二段，平实。译Now with 3 more words.');
    expect(reportOf(run).units).toMatchObject({ stale: 1, fromReference: 3 });
  });
});

describe('humanReferences()', () => {
  const source = extractSegments('One.\n\nTwo changed.\n');
  it('judges a human text the state paired with other English as stale', () => {
    const refs = humanReferences({
      source,
      referencePairs: new Map([
        ['One.', '一。'],
        ['Two changed.', '二。'],
      ]),
      previous: [
        {
          sourceHash: 'a',
          sourceText: 'One.',
          targetMarkdown: '一。',
          origin: 'reference',
          reference: '一。',
        },
        {
          sourceHash: 'b',
          sourceText: 'Two.',
          targetMarkdown: '二。',
          origin: 'reference',
          reference: '二。',
        },
      ],
    });
    expect(refs[0]).toMatchObject({ current: true, known: true });
    expect(refs[1]).toMatchObject({ current: false, previousSource: 'Two.', known: true });
  });

  it('takes a human text it never saw as written for the current English', () => {
    const refs = humanReferences({ source, referencePairs: new Map([['Two changed.', '二，改。']]) });
    expect(refs[0]).toBeUndefined();
    expect(refs[1]).toMatchObject({ markdown: '二，改。', current: true, known: false });
  });
});
