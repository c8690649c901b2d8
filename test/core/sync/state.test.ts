import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lambdas/core/errors';
import {
  emptySyncState,
  parseSyncState,
  type SyncState,
  serializeSyncState,
} from '../../../lambdas/core/sync/api';

const unit = {
  sourceHash: 'h1',
  sourceText: 'Hello.',
  kind: 'paragraph',
  targetMarkdown: '你好。',
  origin: 'machine',
  jobId: 'j1',
};
const valid: SyncState = {
  version: 1,
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
      'another version',
      '{"version":2,"pair":"en-zh","lastRunId":null,"documents":{}}',
      /unsupported sync state version 2/,
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
