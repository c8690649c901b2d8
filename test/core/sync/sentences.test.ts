import { describe, expect, it } from 'vitest';
import { emptySyncState } from '../../../lambdas/core/sync/api';
import {
  splitSourceSentences,
  splitTargetSentences,
  validSourcePieces,
} from '../../../lambdas/core/sync/sentences';
import { type Book, edit, syncRun } from './helpers';

describe('splitSourceSentences()', () => {
  it.each([
    ['', ['']],
    ['No boundary here', ['No boundary here']],
    ['One. Two! Three? Four.', ['One. ', 'Two! ', 'Three? ', 'Four.']],
    ['Wrapped one.\nTwo here.', ['Wrapped one.\n', 'Two here.']],
    ['See e.g. Fig. 3 and more. Next.', ['See e.g. Fig. 3 and more. ', 'Next.']],
    ['Code `a. B` and $x. Y$ stay. Next.', ['Code `a. B` and $x. Y$ stay. ', 'Next.']],
    ['A [link. Text](http://a.b/c. D) end. Next.', ['A [link. Text](http://a.b/c. D) end. ', 'Next.']],
    ['He said "done." Then left.', ['He said "done." ', 'Then left.']],
    ['version 1.5 is lowercase. after', ['version 1.5 is lowercase. after']],
    ['Unclosed `code. Never', ['Unclosed `code. Never']],
  ])('splits %j', (md, pieces) => {
    expect(splitSourceSentences(md)).toEqual(pieces);
    expect(splitSourceSentences(md).join('')).toBe(md);
  });
});

describe('splitTargetSentences()', () => {
  it.each([
    ['', ['']],
    ['第一句。第二句！第三句？', ['第一句。', '第二句！', '第三句？']],
    ['他说：“好。”然后走了。', ['他说：“好。”', '然后走了。']],
    ['公式 $a。b$ 不拆。下一句', ['公式 $a。b$ 不拆。', '下一句']],
    ['Une phrase. Une autre.', ['Une phrase. ', 'Une autre.']],
  ])('splits %j', (md, pieces) => {
    expect(splitTargetSentences(md)).toEqual(pieces);
  });
});

describe('validSourcePieces()', () => {
  it('accepts pieces that are each one paragraph with the unit text', () => {
    expect(validSourcePieces(['One $x$. ', 'Two.'], 'One $x$. Two.')).toEqual(['One $x$.', 'Two.']);
  });

  it.each([
    ['a single piece', ['One.'], 'One.'],
    ['emphasis split across pieces', ['**One. ', 'Two.**'], 'One. Two.'],
    ['a piece that is a list on its own', ['One. ', '1. Two.'], 'One. 1. Two.'],
    ['a piece that is a heading on its own', ['One. ', '# Two.'], 'One. # Two.'],
    ['text that differs', ['One. ', 'Two.'], 'One. Three.'],
  ])('rejects %s', (_name, pieces, text) => {
    expect(validSourcePieces(pieces, text)).toBeNull();
  });
});

const DOC = `# Title

First sentence of the paragraph. Second sentence with $x$ math. Third sentence ends it.

Another paragraph. With two sentences.
`;

function book(md: string): Book {
  return { source: new Map([['d.md', md]]), translated: new Map() };
}

describe('sentence-level sync (planRun sentenceLevel: true)', () => {
  it('sends only the changed sentence of an edited paragraph and keeps the others as translated', () => {
    const b = book(DOC);
    const first = syncRun(b, emptySyncState('en-zh'), 'r1', { sentenceLevel: true });
    const translated = b.translated.get('d.md') as string;
    b.translated.set('d.md', edit(translated, '译First sentence of the paragraph.', '第一句（人工）。'));
    b.source.set(
      'd.md',
      edit(DOC, 'Second sentence with $x$ math.', 'Second sentence, edited, with $x$ math.'),
    );
    const run = syncRun(b, first.state, 'r2', { sentenceLevel: true });
    expect(run.plan.charactersSent).toBe('Second sentence, edited, with $x$ math.'.length);
    const html = run.batches.get('d.md') as string;
    expect(html).toContain(
      '<p id="u2-s2">Second sentence, edited, with <span translate="no" id="u2-s2.p1">$x$</span> math.</p>',
    );
    expect(html).not.toContain('Third sentence');
    const out = b.translated.get('d.md') as string;
    // The fake job marks each element it translated with 译; en-zh sentences are joined without a space.
    expect(out).toContain(
      '第一句（人工）。译Second sentence, edited, with $x$ math. Third sentence ends it.',
    );
    expect(run.reports[0]?.units.machineTranslated).toBe(1);
    // and the next run with no change sends nothing
    expect(syncRun(b, run.state, 'r3', { sentenceLevel: true }).plan.charactersSent).toBe(0);
  });

  it('joins Chinese sentences without spaces', () => {
    const b = book(DOC);
    const first = syncRun(b, emptySyncState('en-zh'), 'r1', { sentenceLevel: true });
    const zh = (b.translated.get('d.md') as string).replace(
      /译First sentence of the paragraph\. 译Second sentence with \$x\$ math\. 译Third sentence ends it\.|译First sentence of the paragraph\. Second sentence with \$x\$ math\. Third sentence ends it\./,
      '第一句。第二句 $x$ 数学。第三句。',
    );
    expect(zh).toContain('第一句。第二句 $x$ 数学。第三句。');
    b.translated.set('d.md', zh);
    b.source.set('d.md', edit(DOC, 'Third sentence ends it.', 'Third sentence now ends it.'));
    const run = syncRun(b, first.state, 'r2', { sentenceLevel: true });
    expect(run.plan.charactersSent).toBe('Third sentence now ends it.'.length);
    expect(b.translated.get('d.md')).toContain('第一句。第二句 $x$ 数学。译Third sentence now ends it.');
  });

  it('sends the whole paragraph when its translation does not split into as many sentences', () => {
    const b = book(DOC);
    const first = syncRun(b, emptySyncState('en-zh'), 'r1', { sentenceLevel: true });
    b.translated.set(
      'd.md',
      (b.translated.get('d.md') as string).replace(/译First sentence[^\n]*/, '整段只有一句'),
    );
    b.source.set('d.md', edit(DOC, 'Third sentence ends it.', 'Third sentence now ends it.'));
    const run = syncRun(b, first.state, 'r2', { sentenceLevel: true });
    const para =
      'First sentence of the paragraph. Second sentence with $x$ math. Third sentence now ends it.';
    expect(run.plan.charactersSent).toBe(para.length);
  });

  it('sends nothing when a sentence was only deleted, and drops its translation', () => {
    const b = book(DOC);
    const first = syncRun(b, emptySyncState('en-zh'), 'r1', { sentenceLevel: true });
    b.source.set('d.md', edit(DOC, ' Second sentence with $x$ math.', ''));
    const run = syncRun(b, first.state, 'r2', { sentenceLevel: true });
    expect(run.plan.charactersSent).toBe(0);
    expect(b.translated.get('d.md')).toContain(
      '\n译First sentence of the paragraph. Third sentence ends it.\n',
    );
  });

  it('sends a quoted paragraph whole (its Markdown carries > prefixes)', () => {
    const quote = '> One quoted sentence. Another quoted one.\n';
    const b = book(quote);
    const first = syncRun(b, emptySyncState('en-zh'), 'r1', { sentenceLevel: true });
    b.source.set('d.md', '> One quoted sentence. Another, edited.\n');
    const run = syncRun(b, first.state, 'r2', { sentenceLevel: true });
    expect(run.plan.charactersSent).toBe('One quoted sentence. Another, edited.'.length);
  });

  it('keeps the English of the unit when a sentence is missing from the job output', () => {
    const b = book(DOC);
    const first = syncRun(b, emptySyncState('en-zh'), 'r1', { sentenceLevel: true });
    const md = edit(DOC, 'Third sentence ends it.', 'Third sentence now ends it.');
    b.source.set('d.md', md);
    const run = syncRun(b, first.state, 'r2', {
      sentenceLevel: true,
      translate: () => '<html><body></body></html>',
    });
    expect(b.translated.get('d.md')).toContain(
      'First sentence of the paragraph. Second sentence with $x$ math. Third sentence now ends it.',
    );
    expect(run.reports[0]?.warnings.join()).toMatch(/sentence u2-s3 is missing from the job output/);
  });
});
