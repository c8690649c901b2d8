import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lambdas/core/errors';
import { extractSegments, readTranslatedUnits } from '../../../lambdas/core/markdown';
import {
  assembleDocument,
  batchHtml,
  commitRun,
  emptySyncState,
  planDocument,
  planRun,
  type SyncState,
} from '../../../lambdas/core/sync/api';
import { type Book, edit, fakeTranslate, syncRun } from './helpers';

const CHAPTER = `# Intro
:label:\`sec_intro\`

First paragraph about $x$ and \`code\`.

Second paragraph, plain.

\`\`\`python
# a comment
print(1)
\`\`\`

## Details

Third paragraph with :numref:\`sec_intro\`.

* item one
* item two
`;

const OTHER = `# Other chapter

Only one paragraph here.
`;

function book(source: Record<string, string>, translated: Record<string, string> = {}): Book {
  return { source: new Map(Object.entries(source)), translated: new Map(Object.entries(translated)) };
}

/** A book after its first full run. */
function synced(): { b: Book; state: SyncState } {
  const b = book({ 'a/ch.md': CHAPTER, 'b/other.md': OTHER });
  const { state } = syncRun(b, emptySyncState('en-zh'), 'r1');
  return { b, state };
}

function planOne(md: string, tr: string | null, previous?: SyncState['documents'][string]) {
  return planDocument({
    path: 'a/ch.md',
    sourceMarkdown: md,
    source: extractSegments(md),
    translatedMarkdown: tr,
    translated: tr === null ? null : extractSegments(tr),
    ...(previous ? { previous } : {}),
  });
}

describe('planDocument() with bad input', () => {
  it('rejects segments that belong to another version of the document', () => {
    expect(() =>
      planDocument({
        path: 'a.md',
        sourceMarkdown: OTHER,
        source: extractSegments(CHAPTER),
        translatedMarkdown: null,
        translated: null,
      }),
    ).toThrow(InvalidInputError);
  });

  it('rejects a translated Markdown without its segments', () => {
    expect(() =>
      planDocument({
        path: 'a.md',
        sourceMarkdown: OTHER,
        source: extractSegments(OTHER),
        translatedMarkdown: OTHER,
        translated: null,
      }),
    ).toThrow(/both be given or both be null/);
  });

  it('plans an empty document as unchanged-free work: nothing to send', () => {
    const plan = planOne('', null);
    expect(plan).toMatchObject({ charactersSent: 0, machineUnitIds: [], units: [] });
  });

  it('rejects a run listing the same document twice', () => {
    const doc = {
      path: 'a.md',
      sourceMarkdown: OTHER,
      source: extractSegments(OTHER),
      translatedMarkdown: null,
      translated: null,
    };
    expect(() => planRun({ pair: 'en-zh', state: emptySyncState('en-zh'), documents: [doc, doc] })).toThrow(
      /listed twice/,
    );
  });
});

describe('a first run', () => {
  it('sends every unit of every document and writes the translations into the English skeleton', () => {
    const b = book({ 'a/ch.md': CHAPTER });
    const run = syncRun(b, emptySyncState('en-zh'), 'r1');
    const units = extractSegments(CHAPTER);
    expect(run.plan.charactersSent).toBe(units.reduce((n, s) => n + [...s.text].length, 0));
    expect(run.plan.needsJob).toBe(true);
    const out = b.translated.get('a/ch.md') as string;
    expect(out).toContain('# 译Intro\n:label:`sec_intro`');
    expect(out).toContain('```python\n# a comment\nprint(1)\n```');
    expect(out).toContain('译First paragraph about $x$ and `code`.');
    expect(run.reports[0]).toMatchObject({
      status: 'translated',
      units: { total: units.length, machineTranslated: units.length, reused: 0 },
    });
    expect(
      run.state.documents['a/ch.md']?.units.every((u) => u.origin === 'machine' && u.jobId === 'job-r1'),
    ).toBe(true);
  });
});

describe('a run with no change', () => {
  it('sends 0 characters, needs no job and writes nothing', () => {
    const { b, state } = synced();
    const before = new Map(b.translated);
    const run = syncRun(b, state, 'r2');
    expect(run.plan.charactersSent).toBe(0);
    expect(run.plan.needsJob).toBe(false);
    expect(run.plan.cost.act.usd).toBe(0);
    expect(run.batches.size).toBe(0);
    expect(run.written).toEqual([]);
    expect(b.translated).toEqual(before);
    expect(run.reports.map((r) => r.status)).toEqual(['unchanged', 'unchanged']);
    expect(run.state.documents).toEqual(state.documents);
  });
});

describe('English changes', () => {
  it('sends only an edited paragraph, and nothing of the other chapters', () => {
    const { b, state } = synced();
    b.source.set('a/ch.md', edit(CHAPTER, 'Second paragraph, plain.', 'Second paragraph, now edited.'));
    const run = syncRun(b, state, 'r2');
    expect(run.plan.charactersSent).toBe('Second paragraph, now edited.'.length);
    const [ch, other] = run.plan.documents;
    expect(ch?.machineUnitIds).toEqual([ch?.units.find((u) => u.sourceText.startsWith('Second'))?.unitId]);
    expect(other?.charactersSent).toBe(0);
    expect(run.batches.get('a/ch.md')).not.toContain('First paragraph');
    expect(b.translated.get('a/ch.md')).toContain('译Second paragraph, now edited.');
    expect(b.translated.get('a/ch.md')).toContain('译First paragraph');
  });

  it.each([
    [
      'an inserted paragraph',
      (md: string) => edit(md, 'Second paragraph, plain.\n', 'Second paragraph, plain.\n\nA new one.\n'),
      1,
    ],
    ['a deleted paragraph', (md: string) => edit(md, 'Second paragraph, plain.\n\n', ''), 0],
    ['a renamed heading', (md: string) => edit(md, '## Details', '## More details'), 1],
    ['a new list item', (md: string) => edit(md, '* item two\n', '* item two\n* item three\n'), 1],
    [
      'a paragraph moved to another section',
      (md: string) =>
        edit(
          edit(md, 'Second paragraph, plain.\n\n', ''),
          '* item two\n',
          '* item two\n\nSecond paragraph, plain.\n',
        ),
      0,
    ],
    [
      'a paragraph split in two',
      (md: string) => edit(md, 'Second paragraph, plain.', 'Second paragraph,\n\nplain.'),
      2,
    ],
    [
      'two paragraphs merged',
      (md: string) => edit(md, 'Second paragraph, plain.\n\n```', 'Second paragraph, plain.\n```'),
      0,
    ],
  ])('handles %s, sending only the new units', (_name, change, newUnits) => {
    const { b, state } = synced();
    const md = change(CHAPTER);
    b.source.set('a/ch.md', md);
    const run = syncRun(b, state, 'r2');
    const plan = run.plan.documents[0];
    expect(plan?.machineUnitIds).toHaveLength(newUnits);
    const out = b.translated.get('a/ch.md') as string;
    // The output has the new English structure, every unit translated.
    const outUnits = extractSegments(out);
    expect(outUnits).toHaveLength(extractSegments(md).length);
    expect(outUnits.every((u) => u.text.includes('译'))).toBe(true);
  });

  it('reuses both copies of a paragraph that appears twice, by multiset identity', () => {
    const twice = `${OTHER}\nOnly one paragraph here.\n`;
    const b = book({ 'o.md': twice });
    const { state } = syncRun(b, emptySyncState('en-zh'), 'r1');
    b.source.set('o.md', `${twice}\nOnly one paragraph here.\n`);
    const run = syncRun(b, state, 'r2');
    expect(run.plan.documents[0]?.machineUnitIds).toHaveLength(1);
    b.source.set('o.md', OTHER);
    expect(syncRun(b, run.state, 'r3').plan.charactersSent).toBe(0);
  });

  it('rewrites a document whose code changed but whose prose did not, sending nothing', () => {
    const { b, state } = synced();
    b.source.set('a/ch.md', edit(CHAPTER, 'print(1)', 'print(2)'));
    const run = syncRun(b, state, 'r2');
    expect(run.plan.charactersSent).toBe(0);
    expect(run.written).toEqual(['a/ch.md']);
    expect(b.translated.get('a/ch.md')).toContain('print(2)');
    expect(b.translated.get('a/ch.md')).toContain('译Second paragraph');
  });
});

describe('human post-edits in translated/', () => {
  it('keeps a post-edit when the English changes elsewhere in the same chapter, and on later runs', () => {
    const { b, state } = synced();
    b.translated.set(
      'a/ch.md',
      edit(b.translated.get('a/ch.md') as string, '译Second paragraph, plain.', '第二段（人工修订）。'),
    );
    b.source.set('a/ch.md', edit(CHAPTER, 'Third paragraph', 'The third paragraph'));
    const run = syncRun(b, state, 'r2');
    expect(run.plan.documents[0]?.machineUnitIds).toHaveLength(1);
    expect(b.translated.get('a/ch.md')).toContain('第二段（人工修订）。');
    expect(b.translated.get('a/ch.md')).toContain('译The third paragraph');
    expect(run.reports[0]?.units).toMatchObject({ postEditsKept: 1, machineTranslated: 1 });
    const unit = run.state.documents['a/ch.md']?.units.find((u) => u.sourceText.startsWith('Second'));
    expect(unit).toMatchObject({ origin: 'post-edit', targetMarkdown: '第二段（人工修订）。' });
    expect(unit?.jobId).toBeUndefined();

    b.source.set('a/ch.md', edit(CHAPTER, 'First paragraph', 'The first paragraph'));
    const third = syncRun(b, run.state, 'r3');
    expect(b.translated.get('a/ch.md')).toContain('第二段（人工修订）。');
    expect(third.reports[0]?.units.postEditsKept).toBe(1);
  });

  it('replaces a post-edit whose own English changed, and says so', () => {
    const { b, state } = synced();
    b.translated.set(
      'a/ch.md',
      edit(b.translated.get('a/ch.md') as string, '译Second paragraph, plain.', '第二段（人工）。'),
    );
    b.source.set('a/ch.md', edit(CHAPTER, 'Second paragraph, plain.', 'Second paragraph, rewritten.'));
    const run = syncRun(b, state, 'r2');
    expect(b.translated.get('a/ch.md')).toContain('译Second paragraph, rewritten.');
    expect(run.reports[0]?.warnings.join('\n')).toMatch(
      /human post-edit \(translated\/a\/ch.md:\d+\) was replaced.*第二段/,
    );
  });

  it('keeps a hand-translated code comment when the English changes elsewhere', () => {
    const { b, state } = synced();
    b.translated.set('a/ch.md', edit(b.translated.get('a/ch.md') as string, '# a comment', '# 一条注释'));
    b.source.set('a/ch.md', edit(CHAPTER, 'item two', 'item 2'));
    const run = syncRun(b, state, 'r2');
    expect(run.reports[0]?.status).toBe('translated');
    expect(b.translated.get('a/ch.md')).toContain('# 一条注释\nprint(1)');
    expect(b.translated.get('a/ch.md')).toContain('译item 2');
    // and on the next run too
    b.source.set('a/ch.md', edit(CHAPTER, 'item one', 'item 1'));
    syncRun(b, run.state, 'r3');
    expect(b.translated.get('a/ch.md')).toContain('# 一条注释');
  });

  it('does not overwrite a code block both the human and the English changed: conflict, file untouched', () => {
    const { b, state } = synced();
    const edited = edit(b.translated.get('a/ch.md') as string, '# a comment', '# 一条注释');
    b.translated.set('a/ch.md', edited);
    b.source.set('a/ch.md', edit(CHAPTER, 'print(1)', 'print(2)'));
    const run = syncRun(b, state, 'r2');
    expect(b.translated.get('a/ch.md')).toBe(edited);
    expect(run.reports[0]).toMatchObject({ status: 'failed', charactersSent: 0 });
    expect(run.reports[0]?.error).toMatch(/not rewritten, to keep human edits/);
    expect(run.state.documents['a/ch.md']).toEqual(state.documents['a/ch.md']);
  });

  it('leaves a restructured translated file alone when the English changed (conflict), and sends nothing for it', () => {
    const { b, state } = synced();
    const edited = edit(
      b.translated.get('a/ch.md') as string,
      '译Second paragraph, plain.',
      '第二段。\n\n人工加的一段。',
    );
    b.translated.set('a/ch.md', edited);
    b.source.set('a/ch.md', edit(CHAPTER, 'item two', 'item 2'));
    const run = syncRun(b, state, 'r2');
    expect(run.plan.charactersSent).toBe(0);
    expect(b.translated.get('a/ch.md')).toBe(edited);
    expect(run.reports[0]?.status).toBe('failed');
    expect(run.reports[0]?.error).toMatch(/人工加的一段.*matches no unit AMTS wrote/);
  });

  it('only warns about a restructured translated file when the English did not change', () => {
    const { b, state } = synced();
    const edited = edit(
      b.translated.get('a/ch.md') as string,
      '译Second paragraph, plain.',
      '第二段。\n\n人工加的一段。',
    );
    b.translated.set('a/ch.md', edited);
    const run = syncRun(b, state, 'r2');
    expect(run.reports[0]?.status).toBe('unchanged');
    expect(run.reports[0]?.warnings.join('\n')).toMatch(/kept: the document needs no rewrite/);
    expect(b.translated.get('a/ch.md')).toBe(edited);
  });

  it('keeps an edit made while the job ran (assembly re-plans against the current file)', () => {
    const { b, state } = synced();
    const md = edit(CHAPTER, 'item two', 'item 2');
    const trAtPlan = b.translated.get('a/ch.md') as string;
    const plan = planOne(md, trAtPlan, state.documents['a/ch.md']);
    const trNow = edit(trAtPlan, '译First paragraph about', '第一段，关于');
    const html = fakeTranslate(
      `<p id="${plan.machineUnitIds[0]}">${plan.units.find((u) => u.action === 'machine')?.sourceText}</p>`,
    );
    const result = assembleDocument({
      plan,
      sourceMarkdown: md,
      translatedMarkdown: trNow,
      ...(state.documents['a/ch.md'] ? { previous: state.documents['a/ch.md'] } : {}),
      machineUnits: readTranslatedUnits(md, `<html><body>${html}</body></html>`),
      runId: 'r2',
    });
    expect(result.markdown).toContain('第一段，关于');
    expect(result.markdown).toContain('译item 2');
    expect(result.report.warnings[0]).toMatch(/changed while the job ran/);
  });
});

describe('line endings: the written translation follows its source throughout', () => {
  const crlf = (text: string) => text.replace(/\n/g, '\r\n');
  const endings = (text: string) => ({
    crlf: text.match(/\r\n/g)?.length ?? 0,
    lf: text.match(/(?<!\r)\n/g)?.length ?? 0,
  });

  // Units that span lines (a wrapped paragraph, a list, a table) carry line endings inside their text.
  const WRAPPED = `${CHAPTER}
A paragraph that wraps
onto a second line.

1. a list item
   that wraps
2. another

| a | b |
|---|---|
| c | d |
`;
  function syncedWrapped(): { b: Book; state: SyncState } {
    const b = book({ 'a/ch.md': WRAPPED, 'b/other.md': OTHER });
    return { b, state: syncRun(b, emptySyncState('en-zh'), 'r1').state };
  }

  it('a source converted to CRLF in place: kept LF text (a human line break) is written with CRLF, nothing sent', () => {
    const { b, state } = syncedWrapped();
    // A human post-edit that breaks a paragraph over two lines, saved with LF, like the whole book.
    b.translated.set(
      'a/ch.md',
      edit(b.translated.get('a/ch.md') as string, '译Second paragraph, plain.', '第二段，\n人工分行。'),
    );
    const edited = syncRun(b, state, 'r2');
    expect(edited.reports[0]?.units.postEditsKept).toBe(1);
    b.source.set('a/ch.md', crlf(WRAPPED));

    const run = syncRun(b, edited.state, 'r3');

    const out = b.translated.get('a/ch.md') as string;
    expect(run.plan.charactersSent).toBe(0);
    expect(run.written).toEqual(['a/ch.md']);
    expect(out).toContain('第二段，\r\n人工分行。');
    expect(endings(out).lf).toBe(0);
    expect(endings(out).crlf).toBeGreaterThan(20);
    // The next run finds what it wrote: nothing to send, nothing to write.
    const again = syncRun(b, run.state, 'r4');
    expect(again.plan.charactersSent).toBe(0);
    expect(again.written).toEqual([]);
    expect(again.reports.map((r) => r.status)).toEqual(['unchanged', 'unchanged']);
  });

  it.each([
    ['a CRLF source with a new paragraph (the machine text comes back LF)', crlf(WRAPPED), 'crlf'],
    ['an LF source whose translated file a human saved with CRLF', WRAPPED, 'lf'],
  ] as const)('%s: one convention in the output', (_, source, expected) => {
    const { b, state } = syncedWrapped();
    if (expected === 'lf') {
      b.translated.set(
        'a/ch.md',
        crlf(b.translated.get('a/ch.md') as string).replace(
          '译Second paragraph, plain.',
          '第二段，\r\n人工分行。',
        ),
      );
    }
    const nl = expected === 'crlf' ? '\r\n' : '\n';
    b.source.set('a/ch.md', edit(source, 'onto a second line.', `onto a second line.${nl}${nl}A new one.`));
    const run = syncRun(b, state, 'r2');
    expect(run.plan.charactersSent).toBeGreaterThan(0);
    const out = b.translated.get('a/ch.md') as string;
    if (expected === 'lf') expect(out).toContain('第二段，\n人工分行。'); // the human text, kept
    const counts = endings(out);
    expect(expected === 'crlf' ? counts.lf : counts.crlf).toBe(0);
    expect(expected === 'crlf' ? counts.crlf : counts.lf).toBeGreaterThan(10);
  });
});

describe('force', () => {
  it('re-translates everything and rewrites the file, saying that human edits are replaced', () => {
    const { b, state } = synced();
    b.translated.set(
      'a/ch.md',
      edit(b.translated.get('a/ch.md') as string, '译Second paragraph, plain.', '第二段（人工）。'),
    );
    const run = syncRun(b, state, 'r2', { force: true });
    expect(run.plan.documents[0]?.machineUnitIds).toHaveLength(extractSegments(CHAPTER).length);
    expect(b.translated.get('a/ch.md')).toContain('译Second paragraph, plain.');
    expect(run.reports[0]?.warnings.join()).toMatch(/force: .*human edits in it are replaced/);
  });
});

describe('missing or unknown translated files', () => {
  it('rebuilds a deleted translated file from the sync state without sending anything', () => {
    const { b, state } = synced();
    const before = b.translated.get('a/ch.md');
    b.translated.delete('a/ch.md');
    const run = syncRun(b, state, 'r2');
    expect(run.plan.charactersSent).toBe(0);
    expect(b.translated.get('a/ch.md')).toBe(before);
    expect(run.reports.find((r) => r.path === 'a/ch.md')?.warnings[0]).toMatch(
      /missing: rebuilt from the sync state/,
    );
  });

  it('adopts a translated file that has no state but the same structure, byte for byte', () => {
    const human = CHAPTER.replace('First paragraph about', '人工：关于').replace('# a comment', '# 注释');
    const b = book({ 'a/ch.md': CHAPTER }, { 'a/ch.md': human });
    const run = syncRun(b, emptySyncState('en-zh'), 'r1');
    expect(run.plan.charactersSent).toBe(0);
    expect(b.translated.get('a/ch.md')).toBe(human);
    expect(run.state.documents['a/ch.md']?.units.every((u) => u.origin === 'post-edit')).toBe(true);
  });

  it('adopts a translated file without units (code only) instead of overwriting its edits', () => {
    const en = '```python\n# a comment\n```\n';
    const zh = '```python\n# 注释\n```\n';
    const b = book({ 'c.md': en }, { 'c.md': zh });
    const first = syncRun(b, emptySyncState('en-zh'), 'r1');
    expect(b.translated.get('c.md')).toBe(zh);
    syncRun(b, first.state, 'r2');
    expect(b.translated.get('c.md')).toBe(zh);
  });

  it('never overwrites a translated file that has no state and another structure', () => {
    const human = '# 只有标题\n';
    const b = book({ 'a/ch.md': CHAPTER }, { 'a/ch.md': human });
    const run = syncRun(b, emptySyncState('en-zh'), 'r1');
    expect(b.translated.get('a/ch.md')).toBe(human);
    expect(run.reports[0]?.status).toBe('failed');
    expect(run.plan.charactersSent).toBe(0);
  });

  it('reports a document whose English was deleted or renamed as orphaned, keeping translation and state', () => {
    const { b, state } = synced();
    b.source.delete('b/other.md');
    const run = syncRun(b, state, 'r2');
    expect(run.plan.orphaned).toEqual([{ path: 'b/other.md', foundIn: ['state', 'translated'] }]);
    expect(run.plan.report.find((r) => r.path === 'b/other.md')).toMatchObject({
      status: 'orphaned',
      charactersSent: 0,
    });
    expect(b.translated.has('b/other.md')).toBe(true);
    expect(run.state.documents['b/other.md']).toEqual(state.documents['b/other.md']);
  });
});

describe('the human reference', () => {
  it('uses an exact English match from the reference alignment instead of machine translation', () => {
    const refs = new Map([['Second paragraph, plain.', '第二段，平实。']]);
    const b = book({ 'a/ch.md': CHAPTER });
    const run = syncRun(b, emptySyncState('en-zh'), 'r1', { referencePairs: refs });
    expect(run.batches.get('a/ch.md')).not.toContain('Second paragraph');
    expect(b.translated.get('a/ch.md')).toContain('\n第二段，平实。\n');
    expect(run.reports[0]?.units.fromReference).toBe(1);
    expect(run.state.documents['a/ch.md']?.units.find((u) => u.origin === 'reference')?.targetMarkdown).toBe(
      '第二段，平实。',
    );
  });

  it('does not use a reference that lost protected content (math, code), and warns', () => {
    const refs = new Map([['First paragraph about $x$ and `code`.', '第一段，关于 x 和代码。']]);
    const b = book({ 'a/ch.md': CHAPTER });
    const run = syncRun(b, emptySyncState('en-zh'), 'r1', { referencePairs: refs });
    expect(run.reports[0]?.units.fromReference).toBe(0);
    expect(run.reports[0]?.warnings.join()).toMatch(/lacks protected content/);
  });

  it('does not use a reference that links elsewhere than the English (its own forum topic)', () => {
    const md = 'See [Discussions](https://discuss.d2l.ai/t/79) here.\n';
    const refs = new Map([['See Discussions here.', '见[讨论](https://discuss.d2l.ai/t/1868)。']]);
    const b = book({ 'l.md': md });
    const run = syncRun(b, emptySyncState('en-zh'), 'r1', { referencePairs: refs });
    expect(run.reports[0]?.units.fromReference).toBe(0);
    expect(b.translated.get('l.md')).toContain('(https://discuss.d2l.ai/t/79)');
    const same = new Map([['See Discussions here.', '见[讨论](https://discuss.d2l.ai/t/79)。']]);
    const b2 = book({ 'l.md': md });
    expect(
      syncRun(b2, emptySyncState('en-zh'), 'r1', { referencePairs: same }).reports[0]?.units.fromReference,
    ).toBe(1);
  });

  it('a new human reference replaces the machine text of a unit whose English did not change', () => {
    const { b, state } = synced();
    const refs = new Map([['Second paragraph, plain.', '第二段，平实。']]);
    const run = syncRun(b, state, 'r2', { referencePairs: refs });
    expect(run.plan.charactersSent).toBe(0);
    expect(run.reports[0]).toMatchObject({ status: 'translated', units: { fromReference: 1 } });
    expect(b.translated.get('a/ch.md')).toContain('第二段，平实。');
    expect(b.translated.get('a/ch.md')).not.toContain('译Second paragraph, plain.');
    // known from now on: the next run changes nothing
    const again = syncRun(b, run.state, 'r3', { referencePairs: refs });
    expect(again.written).toEqual([]);
  });
});

describe('machine output problems', () => {
  it('keeps the English for a unit whose translation damaged protected content, and re-sends only it', () => {
    const b = book({ 'a/ch.md': CHAPTER });
    const damage = (html: string) =>
      fakeTranslate(html).replace(/<span translate="no"[^>]*>\$x\$<\/span>/, 'x');
    const run = syncRun(b, emptySyncState('en-zh'), 'r1', { translate: damage });
    expect(b.translated.get('a/ch.md')).toContain('\nFirst paragraph about $x$ and `code`.\n');
    expect(run.reports[0]?.warnings.join()).toMatch(/damaged protected content/);
    const unit = run.state.documents['a/ch.md']?.units.find((u) => u.sourceText.startsWith('First'));
    expect(unit?.origin).toBe('source-fallback');
    const again = syncRun(b, run.state, 'r2');
    expect(again.plan.charactersSent).toBe('First paragraph about $x$ and `code`.'.length);
    expect(b.translated.get('a/ch.md')).toContain('译First paragraph');
  });

  it('keeps the English for a unit missing from the job output', () => {
    const b = book({ 'a/ch.md': OTHER });
    const run = syncRun(b, emptySyncState('en-zh'), 'r1', { translate: () => '<html><body></body></html>' });
    expect(b.translated.get('a/ch.md')).toBe(OTHER);
    expect(run.reports[0]?.warnings.join()).toMatch(/missing from the job output/);
    expect(run.reports[0]?.units.machineTranslated).toBe(0);
  });
});

describe('assembleDocument() and commitRun()', () => {
  it('refuses to assemble a plan with another English document', () => {
    const plan = planOne(CHAPTER, null);
    expect(() =>
      assembleDocument({
        plan,
        sourceMarkdown: OTHER,
        translatedMarkdown: null,
        machineUnits: new Map(),
        runId: 'r',
      }),
    ).toThrow(/differs from the one the plan was made from/);
  });

  it('keeps a byte-order mark of the English source', () => {
    const b = book({ 'o.md': `\uFEFF${OTHER}` });
    syncRun(b, emptySyncState('en-zh'), 'r1');
    expect(b.translated.get('o.md')?.startsWith('\uFEFF# 译Other')).toBe(true);
  });

  it('never mutates the previous state and keeps documents it did not assemble', () => {
    const { state } = synced();
    const frozen = JSON.stringify(state);
    const next = commitRun(state, new Map([['a/ch.md', null]]), 'r9');
    expect(JSON.stringify(state)).toBe(frozen);
    expect(next.documents).toEqual(state.documents);
    expect(next.lastRunId).toBe('r9');
  });

  it('loses nothing when two runs race (the lock failed): the later writer keeps the earlier output', () => {
    const { b, state } = synced();
    const md = edit(CHAPTER, 'item two', 'item 2');
    b.source.set('a/ch.md', md);
    const atPlan = b.translated.get('a/ch.md') as string;
    const previous = state.documents['a/ch.md'];
    // Both runs plan from the same state and file.
    const planA = planOne(md, atPlan, previous);
    const planB = planOne(md, atPlan, previous);
    const job = (plan: typeof planA, mark: string) =>
      readTranslatedUnits(md, fakeTranslate(batchHtml(plan, md) as string).replaceAll('译', mark));
    const runB = assembleDocument({
      plan: planB,
      sourceMarkdown: md,
      translatedMarkdown: atPlan,
      ...(previous ? { previous } : {}),
      machineUnits: job(planB, 'B:'),
      runId: 'rB',
    });
    const afterB = runB.markdown as string;
    // A human edits B's output, then A assembles against the file as it is now.
    const edited = edit(afterB, '译First paragraph about', '人工：关于');
    const runA = assembleDocument({
      plan: planA,
      sourceMarkdown: md,
      translatedMarkdown: edited,
      ...(previous ? { previous } : {}),
      machineUnits: job(planA, 'A:'),
      runId: 'rA',
    });
    expect(runA.markdown).toContain('人工：关于');
    expect(runA.markdown).toContain('A:item 2');
  });

  it('leaves the old state intact when a run fails before its commit', () => {
    const { b, state } = synced();
    const frozen = JSON.stringify(state);
    b.source.set('a/ch.md', edit(CHAPTER, 'item two', 'item 2'));
    expect(() =>
      syncRun(b, state, 'r2', {
        translate: () => {
          throw new Error('job failed');
        },
      }),
    ).toThrow('job failed');
    expect(JSON.stringify(state)).toBe(frozen);
  });
});
