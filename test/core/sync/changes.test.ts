import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../lambdas/core/hash';
import {
  changedDocuments,
  type DocumentListing,
  documentListing,
  type SettledDocument,
  sameListing,
  settledChanges,
  withSettled,
} from '../../../lambdas/core/sync/changes';
import { planRun } from '../../../lambdas/core/sync/plan';
import { emptySyncState } from '../../../lambdas/core/sync/state';
import {
  applyIndexChange,
  emptyStateIndex,
  parseShard,
  parseStateObject,
  serializeShard,
  shardName,
} from '../../../lambdas/core/sync/state-index';

const stamp = (etag: string, size = 10) => ({ etag, size });
const listing: DocumentListing = {
  source: stamp('s'),
  translated: stamp('t'),
  reference: null,
  origin: null,
};
const report = {
  path: 'a.md',
  status: 'unchanged' as const,
  charactersSent: 0,
  units: {
    total: 2,
    reused: 2,
    fromReference: 0,
    postEditsKept: 0,
    machineTranslated: 0,
    stale: 0,
    fuzzy: 0,
    conflicts: 0,
  },
  scores: null,
  warnings: [],
  error: null,
  review: [],
};
const settled: SettledDocument = { listing, report, staleUnits: [] };

describe('sameListing()', () => {
  it.each([
    ['the same objects', listing, true],
    ['another ETag of the English', { ...listing, source: stamp('s2') }, false],
    ['another size of the translated file', { ...listing, translated: stamp('t', 11) }, false],
    ['a reference that appeared', { ...listing, reference: stamp('r') }, false],
    ['a translated file that disappeared', { ...listing, translated: null }, false],
    ['an origin file that appeared', { ...listing, origin: stamp('o') }, false],
  ])('%s → %s', (_name, other, same) => {
    expect(sameListing(listing, other)).toBe(same);
  });
});

describe('documentListing()', () => {
  const pair = {
    source: new Map([
      ['a.md', stamp('s')],
      ['b.md', null],
    ]),
    translated: new Map([['a.md', stamp('t')]]),
    reference: new Map([['a_origin.md', stamp('o')]]),
  };
  it('collects the four objects of a document (absent ones as null)', () => {
    expect(documentListing('a.md', pair, 'a_origin.md')).toEqual({
      source: stamp('s'),
      translated: stamp('t'),
      reference: null,
      origin: stamp('o'),
    });
  });
  it('is unknown (null: the document is read) when the English is not listed or was listed without ETag', () => {
    expect(documentListing('c.md', pair, null)).toBeNull();
    expect(documentListing('b.md', pair, null)).toBeNull();
  });
});

describe('changedDocuments()', () => {
  const base = {
    selected: ['a.md', 'b.md'],
    listings: new Map([
      ['a.md', listing],
      ['b.md', listing],
    ]),
    settled: new Map([['a.md', settled]]),
    mustRead: new Set<string>(),
    readAll: false,
  };
  it.each([
    ['a settled document with the same listing is not read', base, ['b.md']],
    [
      'a changed listing is read',
      {
        ...base,
        listings: new Map([
          ['a.md', { ...listing, source: stamp('x') }],
          ['b.md', listing],
        ]),
      },
      ['a.md', 'b.md'],
    ],
    ['a document the input names is read', { ...base, mustRead: new Set(['a.md']) }, ['a.md', 'b.md']],
    ['force reads everything', { ...base, readAll: true }, ['a.md', 'b.md']],
    [
      'a document without a listing is read',
      { ...base, listings: new Map([['b.md', listing]]) },
      ['a.md', 'b.md'],
    ],
  ])('%s', (_name, input, read) => {
    expect(changedDocuments(input).read).toEqual(read);
  });
});

describe('withSettled() and settledChanges()', () => {
  // An empty document already written: planned `unchanged`.
  const doc = (path: string, _md: string) => ({
    path,
    sourceMarkdown: '',
    source: [],
    translatedMarkdown: '',
    translated: [],
  });
  const written = (...paths: string[]) => ({
    ...emptySyncState('en-zh'),
    documents: Object.fromEntries(
      paths.map((p) => [
        p,
        { units: [], runId: 'r0', sourceDocumentHash: sha256(''), gapHashes: [sha256('')] },
      ]),
    ),
  });
  it('puts the settled documents in path order before the orphans, sending nothing more', () => {
    const plan = planRun({
      pair: 'en-zh',
      state: written('c.md'),
      documents: [doc('c.md', '')],
      sourcePaths: ['a.md', 'c.md'],
      statePaths: ['gone.md'],
    });
    const all = withSettled(plan, new Map([['a.md', settled]]));
    expect(all.documents.map((d) => [d.path, d.status])).toEqual([
      ['a.md', 'unchanged'],
      ['c.md', 'unchanged'],
    ]);
    expect(all.report.map((r) => [r.path, r.status])).toEqual([
      ['a.md', 'unchanged'],
      ['c.md', 'unchanged'],
      ['gone.md', 'orphaned'],
    ]);
    expect(all.charactersSent).toBe(plan.charactersSent);
  });

  it('records a document read and found unchanged, forgets one that changed, and reports only changes', () => {
    const plan = planRun({
      pair: 'en-zh',
      state: written('a.md', 'b.md'),
      documents: [doc('a.md', ''), doc('b.md', '')],
    });
    const listings = new Map([
      ['a.md', listing],
      ['b.md', listing],
    ]);
    const first = settledChanges({
      plan,
      read: ['a.md', 'b.md'],
      listings,
      known: new Map(),
      staleUnits: {},
    });
    expect([...first.keys()]).toEqual(['a.md', 'b.md']);
    const again = settledChanges({
      plan,
      read: ['a.md', 'b.md'],
      listings,
      known: first as Map<string, SettledDocument>,
      staleUnits: {},
    });
    expect(again.size).toBe(0);
    const forced = { ...plan, documents: plan.documents.map((d) => ({ ...d, forced: true })) };
    const dropped = settledChanges({
      plan: forced,
      read: ['a.md'],
      listings,
      known: first as Map<string, SettledDocument>,
      staleUnits: {},
    });
    expect(dropped.get('a.md')).toBeNull();
  });
});

describe('the sharded state (index and shards)', () => {
  it('reads an index, or a whole older state it migrates', () => {
    expect(parseStateObject(JSON.stringify(emptyStateIndex('en-zh')), 'x', 'en-zh').index).toEqual(
      emptyStateIndex('en-zh'),
    );
    const whole = parseStateObject(
      '{"version":1,"pair":"en-zh","lastRunId":null,"documents":{}}',
      'x',
      'en-zh',
    );
    expect(whole.whole?.version).toBe(3);
    expect(() => parseStateObject(JSON.stringify(emptyStateIndex('en-ja')), 'x', 'en-zh')).toThrow(
      /pair en-ja/,
    );
    expect(() =>
      parseStateObject('{"version":4,"pair":"en-zh","documents":{"a.md":{}}}', 'x', 'en-zh'),
    ).toThrow(/corrupt sync state index/);
  });

  it('refuses a shard of another document, and names one flat file per path', () => {
    const text = serializeShard('en-zh', 'a.md', { units: [], runId: 'r1' });
    expect(parseShard(text, 'x', 'en-zh', 'a.md')).toEqual({ units: [], runId: 'r1' });
    expect(() => parseShard(text, 'x', 'en-zh', 'b.md')).toThrow(/not the sync state shard of "b.md"/);
    expect(shardName('a/b/../c.md')).toMatch(/^[0-9a-f]{32}\.json$/);
  });

  it('a commit records the documents written (dropping their settled record) and keeps the others', () => {
    const index = applyIndexChange(emptyStateIndex('en-zh'), {
      written: new Map([['a.md', { units: [], runId: 'r1' }]]),
      lastRunId: 'r1',
    });
    const settledIndex = applyIndexChange(index, {
      written: new Map(),
      settled: new Map([
        ['a.md', settled],
        ['nope.md', settled],
      ]),
    });
    expect(settledIndex.documents).toEqual({ 'a.md': { runId: 'r1', settled } });
    expect(settledIndex.lastRunId).toBe('r1');
    const rewritten = applyIndexChange(settledIndex, {
      written: new Map([['a.md', { units: [], runId: 'r2' }]]),
      lastRunId: 'r2',
    });
    expect(rewritten).toMatchObject({ lastRunId: 'r2', documents: { 'a.md': { runId: 'r2' } } });
    expect(rewritten.documents['a.md']).not.toHaveProperty('settled');
  });
});
