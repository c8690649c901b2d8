import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lambdas/core/errors';
import {
  emptySyncState,
  parseSyncState,
  type SyncState,
  serializeSyncState,
} from '../../../lambdas/core/sync/api';
import {
  sentenceHash,
  splitSourceSentences,
  splitSourceSentencesV1,
} from '../../../lambdas/core/sync/sentences';
import { type Book, edit, syncRun } from './helpers';

const unit = {
  sourceHash: 'h1',
  sourceText: 'Hello.',
  kind: 'paragraph',
  targetMarkdown: '你好。',
  origin: 'machine',
  jobId: 'j1',
};
const valid: SyncState = {
  version: 3,
  pair: 'en-zh',
  lastRunId: 'r1',
  documents: {
    'b.md': { units: [], runId: 'r1' },
    'a.md': { units: [unit as never], runId: 'r1', gapHashes: ['x', 'y'], sourceDocumentHash: 'abc' },
  },
};

describe('parseSyncState()', () => {
  it.each([
    ['not JSON', '{"version":1,', /not JSON/],
    ['an empty object', '', /not JSON/],
    ['JSON null', 'null', /corrupt sync state/],
    ['an array', '[]', /corrupt sync state/],
    [
      'an unknown version',
      '{"version":99,"pair":"en-zh","lastRunId":null,"documents":{}}',
      /unsupported sync state version 99/,
    ],
    [
      'a version that is not a number',
      '{"version":"1","pair":"en-zh","lastRunId":null,"documents":{}}',
      /unsupported sync state version "1"/,
    ],
    [
      'a bad pair',
      '{"version":1,"pair":"english","lastRunId":null,"documents":{}}',
      /pair: expected <src>-<tgt>/,
    ],
    [
      'an unknown origin',
      JSON.stringify({
        ...valid,
        documents: { 'a.md': { units: [{ ...unit, origin: 'magic' }], runId: 'r' } },
      }),
      /documents.a\.md.units.0.origin/,
    ],
    [
      'a unit without a hash',
      JSON.stringify({
        ...valid,
        documents: { 'a.md': { units: [{ ...unit, sourceHash: '' }], runId: 'r' } },
      }),
      /sourceHash/,
    ],
    [
      'gap hashes that do not fit the units',
      JSON.stringify({ ...valid, documents: { 'a.md': { units: [], runId: 'r', gapHashes: ['a', 'b'] } } }),
      /gapHashes must have one entry more/,
    ],
    ['an unknown field (typo)', JSON.stringify({ ...valid, lastRunID: 'x' }), /Unrecognized key/],
  ])('rejects %s with a clear error', (_name, text, message) => {
    expect(() => parseSyncState(text, 's3://b/state/en-zh/sync-state.json')).toThrow(InvalidInputError);
    expect(() => parseSyncState(text, 's3://b/state/en-zh/sync-state.json')).toThrow(message);
  });

  it('names the object in the message', () => {
    expect(() => parseSyncState('{', 's3://b/k.json')).toThrow(/^s3:\/\/b\/k.json: corrupt sync state/);
  });

  it('rejects a state of another pair when the pair is given', () => {
    expect(() => parseSyncState(valid, 'x', 'en-ja')).toThrow(/for pair en-zh, expected en-ja/);
  });

  it('round-trips a valid state through serializeSyncState()', () => {
    expect(parseSyncState(serializeSyncState(valid))).toEqual(valid);
  });

  it.each([1, 2])(
    'reads a version %i state (before review flags): a unit written from the reference remembers that reference',
    (version) => {
      const v1 = {
        version,
        pair: 'en-zh',
        lastRunId: 'r1',
        documents: {
          'a.md': {
            runId: 'r1',
            units: [
              { ...unit, origin: 'reference', targetMarkdown: '人类译文。' },
              unit,
              { ...unit, origin: 'post-edit', targetMarkdown: '译者改过。' },
            ],
          },
        },
      };
      const state = parseSyncState(JSON.stringify(v1));
      expect(state.version).toBe(3);
      const units = state.documents['a.md']?.units ?? [];
      expect(units[0]).toMatchObject({ origin: 'reference', reference: '人类译文。' });
      expect(units[1]?.reference).toBeUndefined();
      expect(units[2]?.reference).toBeUndefined();
      expect(parseSyncState(serializeSyncState(state))).toEqual(state);
    },
  );

  it('still validates a migrated version 1 state', () => {
    const bad = {
      version: 1,
      pair: 'en-zh',
      lastRunId: null,
      documents: { 'a.md': { units: [{ ...unit, origin: 'magic' }], runId: 'r' } },
    };
    expect(() => parseSyncState(bad)).toThrow(/documents.a\.md.units.0.origin/);
  });

  it('accepts the empty state', () => {
    expect(parseSyncState(JSON.stringify(emptySyncState('en-zh')))).toEqual(emptySyncState('en-zh'));
  });
});

describe('serializeSyncState()', () => {
  it('sorts documents by path so equal states serialise identically', () => {
    const text = serializeSyncState(valid);
    expect(text.indexOf('"a.md"')).toBeLessThan(text.indexOf('"b.md"'));
    const reordered = {
      ...valid,
      documents: { 'a.md': valid.documents['a.md'], 'b.md': valid.documents['b.md'] },
    } as SyncState;
    expect(serializeSyncState(reordered)).toBe(text);
  });
});

/** A version-1 state as the old splitter wrote it: hashes of `splitSourceSentencesV1` pieces. */
function v1State(texts: readonly string[]): Record<string, unknown> {
  return {
    version: 1,
    pair: 'en-zh',
    lastRunId: 'r1',
    documents: {
      'a.md': {
        runId: 'r1',
        units: texts.map((text, k) => ({
          sourceHash: `h${k}`,
          sourceText: text,
          kind: 'paragraph',
          targetMarkdown: '译',
          origin: 'machine',
          sentenceHashes: splitSourceSentencesV1(text).map(sentenceHash),
        })),
      },
    },
  };
}

describe('migrating a version-1 state (sentence hashes of the old sync splitter)', () => {
  it.each([
    ['cuts the same under both splitters', 'One sentence. Another one with $x$. A third.', true],
    ['has an abbreviation both lists know', 'See e.g. Fig. 3 here. Next one.', true],
    ['has an initial the old splitter cut after', 'A. Smola wrote it. Next one.', false],
    [
      'has "etc." ending a sentence (only the old list had it)',
      'CNNs, RNNs, etc. Then we train. Done.',
      false,
    ],
    ['has "Eqn." the old list lacked', 'As in Eqn. 3 we see. Next one.', false],
  ])('a unit whose text %s keeps its hashes: %s', (_name, text, kept) => {
    expect(splitSourceSentencesV1(text).length).toBeGreaterThan(1);
    const migrated = parseSyncState(JSON.stringify(v1State([text])));
    expect(migrated.version).toBe(3);
    const unit = migrated.documents['a.md']?.units[0];
    if (kept) expect(unit?.sentenceHashes).toEqual(splitSourceSentencesV1(text).map(sentenceHash));
    else expect(unit?.sentenceHashes).toBeUndefined();
    // everything else is carried over
    expect(unit).toMatchObject({
      sourceHash: 'h0',
      sourceText: text,
      targetMarkdown: '译',
      origin: 'machine',
    });
  });

  it('leaves a unit both splitters cut alike, and the rest of the state, unchanged', () => {
    const old = v1State(['No boundary here']);
    const migrated = parseSyncState(old);
    expect(migrated).toEqual({ ...old, version: 3 });
  });

  it('still rejects a corrupt version-1 state after migrating it', () => {
    expect(() => parseSyncState({ ...v1State([]), pair: 'english' })).toThrow(/pair: expected <src>-<tgt>/);
  });

  it('keeps hashes kept by the migration valid: the first edit after the upgrade sends only the changed sentence', () => {
    const doc = '# T\n\nFirst sentence here. Second sentence with $x$ math. Third one ends it.\n';
    const b: Book = { source: new Map([['d.md', doc]]), translated: new Map() };
    const first = syncRun(b, emptySyncState('en-zh'), 'r1', { sentenceLevel: true });
    // the same state as the old splitter would have written it
    const old = JSON.parse(serializeSyncState(first.state)) as Record<string, unknown> & SyncState;
    const unit = old.documents['d.md']?.units.find((u) => u.sentenceHashes) as { sentenceHashes?: string[] };
    const md = 'First sentence here. Second sentence with $x$ math. Third one ends it.';
    expect(splitSourceSentencesV1(md)).toEqual(splitSourceSentences(md));
    unit.sentenceHashes = splitSourceSentencesV1(md).map(sentenceHash);
    const migrated = parseSyncState(JSON.stringify({ ...old, version: 1 }));
    b.source.set('d.md', edit(doc, 'Third one ends it.', 'Third one now ends it.'));
    const run = syncRun(b, migrated, 'r2', { sentenceLevel: true });
    expect(run.plan.charactersSent).toBe('Third one now ends it.'.length);
  });
});
