import { describe, expect, it } from 'vitest';
import {
  type BatchInput,
  batchFileName,
  batchInputs,
  batchSummary,
  overLimit,
  parseBatchManifest,
  translatableBytes,
} from '../../../lambdas/core/workflow/batch';
import type { PlanFile } from '../../../lambdas/core/workflow/plan-file';
import { planFile } from '../../helpers/plan-file';

describe('overLimit()', () => {
  it('leaves out a document Translate would refuse (over 20 MB or 1,000,000 characters), saying why', () => {
    expect(overLimit('<html></html>', 999_999)).toBeNull();
    expect(overLimit('<html></html>', 1_000_001)).toMatch(/1000001 characters.*fewer than 1000000/);
    expect(overLimit('x'.repeat(20 * 1024 * 1024 + 1), 10)).toMatch(/at most 20971520/);
  });

  it('counts the 1 MB of translatable text in UTF-8 bytes: a Chinese chapter reaches it three times sooner', () => {
    const html = (text: string) => `<html><body><p>${text}</p></body></html>`;
    // 999,000 ASCII characters: under both limits.
    expect(overLimit(html('a'.repeat(999_000)), 999_000)).toBeNull();
    // 340,000 CJK characters = 1,020,000 bytes: far under the character limit, over the byte limit.
    expect(overLimit(html('字'.repeat(340_000)), 340_000)).toMatch(
      /1020000 bytes of UTF-8 \(340000 characters\).*at most 1 MB/,
    );
    expect(overLimit(html('字'.repeat(333_000)), 333_000)).toBeNull(); // 999,000 bytes
  });
});

describe('translatableBytes()', () => {
  it('measures only the text Translate translates: tags out, entities as the characters they stand for', () => {
    expect(translatableBytes('<p class="x">a &amp; b</p><span translate="no">é</span>')).toBe(7);
    expect(translatableBytes('&#x5b57;&#23383;&lt;')).toBe(7);
  });
});

describe('batchFileName()', () => {
  it('names input files flat, unique and readable', () => {
    expect(batchFileName(0, 'chapter_rnn/rnn.md')).toBe('0001-chapter_rnn-rnn.html');
    expect(batchFileName(11, 'a b/ü.md')).toBe('0012-a-b-.html');
  });
});

describe('batchInputs() and batchSummary()', () => {
  const inputs = (file: PlanFile): BatchInput[] => [...batchInputs(file, 'en', 'work/en-zh/r1/plan.json')];

  it('renders one input file per document with units to translate, numbered in plan order', () => {
    const got = inputs(planFile({ 'b/two.md': '# Two\n\nSecond text.\n', 'a/one.md': 'First text.\n' }));
    expect(got.map((i) => (i.kind === 'input' ? [i.entry.path, i.entry.file, i.entry.units] : i))).toEqual([
      ['a/one.md', '0001-a-one.html', 1],
      ['b/two.md', '0002-b-two.html', 2],
    ]);
    for (const i of got) if (i.kind === 'input') expect(i.html).toContain('<html');
  });

  it('skips a document Translate would refuse, with the reason, and keeps numbering the others', () => {
    const file = planFile({ 'a.md': 'Counted as too long.\n', 'b.md': 'Fine.\n' });
    // What Plan counted decides (a real 1,000,000-character chapter would make this test slow).
    (file.plan.documents[0] as { charactersSent: number }).charactersSent = 1_000_000;
    const got = inputs(file);
    expect(got[0]).toMatchObject({
      kind: 'skipped',
      path: 'a.md',
      reason: expect.stringMatching(/fewer than 1000000/),
    });
    expect(got[1]).toMatchObject({ kind: 'input', entry: { path: 'b.md', file: '0001-b.html' } });
  });

  it('refuses a plan whose document has no snapshot', () => {
    const file = planFile({ 'a.md': 'Text.\n' });
    file.snapshots = {};
    expect(() => inputs(file)).toThrow(/no snapshot of a\.md/);
  });

  it('summarises the written inputs: manifest, characters, and a batch hash that changes with any input', () => {
    const entry = (file: string, characters: number) => ({ path: `${file}.md`, file, units: 1, characters });
    const a = batchSummary(
      'r1',
      [
        { entry: entry('x', 3), hash: 'h1' },
        { entry: entry('y', 4), hash: 'h2' },
      ],
      [],
    );
    expect(a.manifest).toEqual({ runId: 'r1', documents: [entry('x', 3), entry('y', 4)] });
    expect(a.characters).toBe(7);
    expect(a.batchHash).toMatch(/^[0-9a-f]{64}$/);
    const b = batchSummary(
      'r1',
      [
        { entry: entry('x', 3), hash: 'h1' },
        { entry: entry('y', 4), hash: 'h3' },
      ],
      [],
    );
    expect(b.batchHash).not.toBe(a.batchHash);
    const none = batchSummary('r1', [], [{ path: 'z.md', reason: 'too big' }]);
    expect(none).toEqual({
      manifest: { runId: 'r1', documents: [], skipped: [{ path: 'z.md', reason: 'too big' }] },
      characters: 0,
      batchHash: null,
      jobs: [],
    });
  });
});

describe('parseBatchManifest()', () => {
  const where = 's3://book/work/en-zh/r1/batch.json';
  const manifest = {
    runId: 'r1',
    documents: [{ path: 'a.md', file: '0001-a.html', units: 2, characters: 40 }],
  };

  it('returns a manifest of this run', () => {
    expect(parseBatchManifest(manifest, where, 'r1')).toEqual(manifest);
  });

  it.each([
    ['nothing (the object is missing)', null, /not an AMTS batch manifest/],
    [
      'a document without its file',
      { runId: 'r1', documents: [{ path: 'a.md', units: 1, characters: 1 }] },
      /at documents\.0\.file/,
    ],
    [
      'negative characters',
      { runId: 'r1', documents: [{ ...manifest.documents[0], characters: -1 }] },
      /at documents\.0\.characters/,
    ],
    ['another run’s manifest', { ...manifest, runId: 'r0' }, /batch manifest of run r0, expected r1/],
  ])('refuses %s with a named error', (_what, value, message) => {
    expect(() => parseBatchManifest(value, where, 'r1')).toThrow(message);
    expect(() => parseBatchManifest(value, where, 'r1')).toThrow(
      expect.objectContaining({ name: 'InvalidInputError' }),
    );
  });
});
