import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractSegments } from '../../../lambdas/core/markdown';
import { emptySyncState } from '../../../lambdas/core/sync/api';
import { type Book, syncRun } from './helpers';

/** A document as blocks: headings and paragraphs of plain words, some followed by a code cell. */
interface Block {
  heading: boolean;
  text: string;
  code: boolean;
}

const word = fc.constantFrom(
  'model',
  'data',
  'train',
  'loss',
  'layer',
  'graph',
  'token',
  'batch',
  'rate',
  'step',
);
const sentence = fc.array(word, { minLength: 2, maxLength: 8 }).map((w) => `${w.join(' ')}.`);
const block = fc.record({ heading: fc.boolean(), text: sentence, code: fc.boolean() });

function render(blocks: readonly Block[]): string {
  return blocks
    .map((b) => `${b.heading ? `## ${b.text}` : b.text}${b.code ? '\n\n```python\nx = 1\n```' : ''}`)
    .join('\n\n')
    .concat('\n');
}

type Op =
  | { op: 'insert'; at: number; block: Block }
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; text: string }
  | { op: 'move'; from: number; to: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), block }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), text: sentence }),
  fc.record({ op: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }),
);

/** Applies edits, never touching the block with text `keep` except to move it. */
function apply(blocks: readonly Block[], ops: readonly Op[], keep?: string): Block[] {
  const out = [...blocks];
  for (const o of ops) {
    if (o.op === 'insert') out.splice(o.at % (out.length + 1), 0, o.block);
    else if (out.length === 0) continue;
    else if (o.op === 'delete') {
      if (out[o.at % out.length]?.text !== keep) out.splice(o.at % out.length, 1);
    } else if (o.op === 'replace') {
      const b = out[o.at % out.length] as Block;
      if (b.text !== keep) out[o.at % out.length] = { ...b, text: o.text };
    } else {
      const [b] = out.splice(o.from % out.length, 1);
      if (b) out.splice(o.to % (out.length + 1), 0, b);
    }
  }
  return out;
}

function bookOf(md: string): Book {
  return { source: new Map([['d.md', md]]), translated: new Map() };
}

const runs = { numRuns: 150 };

describe('sync properties (fast-check)', () => {
  it.each([false, true])(
    'a run with no change sends 0 characters, needs no job and writes nothing (sentenceLevel %s)',
    (sentenceLevel) => {
      fc.assert(
        fc.property(fc.array(block, { maxLength: 12 }), (blocks) => {
          const b = bookOf(render(blocks));
          const first = syncRun(b, emptySyncState('en-zh'), 'r1', { sentenceLevel });
          const before = b.translated.get('d.md');
          const second = syncRun(b, first.state, 'r2', { sentenceLevel });
          expect(second.plan.charactersSent).toBe(0);
          expect(second.plan.needsJob).toBe(false);
          expect(second.written).toEqual([]);
          expect(b.translated.get('d.md')).toBe(before);
        }),
        runs,
      );
    },
  );

  it('sends exactly the units whose English is not among the previous units (multiset by hash)', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 12 }), fc.array(op, { maxLength: 4 }), (blocks, ops) => {
        const b = bookOf(render(blocks));
        const first = syncRun(b, emptySyncState('en-zh'), 'r1');
        const next = render(apply(blocks, ops));
        b.source.set('d.md', next);
        const old = new Map<string, number>();
        for (const s of extractSegments(render(blocks))) old.set(s.hash, (old.get(s.hash) ?? 0) + 1);
        let expected = 0;
        for (const s of extractSegments(next)) {
          const left = old.get(s.hash) ?? 0;
          if (left > 0) old.set(s.hash, left - 1);
          else expected++;
        }
        const second = syncRun(b, first.state, 'r2');
        expect(second.plan.documents[0]?.machineUnitIds).toHaveLength(expected);
        // The output has the new English structure and every unit is a translation.
        const out = extractSegments(b.translated.get('d.md') as string);
        expect(out).toHaveLength(extractSegments(next).length);
        expect(out.every((s) => s.text.startsWith('译'))).toBe(true);
      }),
      runs,
    );
  });

  it.each([false, true])(
    'keeps a human post-edit through any English edits that leave its paragraph unchanged (sentenceLevel %s)',
    (sentenceLevel) => {
      fc.assert(
        fc.property(
          fc.uniqueArray(block, { minLength: 1, maxLength: 10, selector: (b) => b.text }),
          fc.nat(),
          fc.array(op, { maxLength: 4 }),
          (blocks, pick, ops) => {
            const b = bookOf(render(blocks));
            const first = syncRun(b, emptySyncState('en-zh'), 'r1', { sentenceLevel });
            const target = blocks[pick % blocks.length] as Block;
            const tr = b.translated.get('d.md') as string;
            const postEdit = '人工修订的译文';
            const line = target.heading ? `## 译${target.text}` : `译${target.text}`;
            expect(tr).toContain(line);
            b.translated.set('d.md', tr.replace(`译${target.text}`, postEdit));
            // Other blocks may change, but never to the post-edited paragraph's English.
            const edited = apply(blocks, ops, target.text).map((x) =>
              x !== target && x.text === target.text ? { ...x, text: 'fresh text.' } : x,
            );
            b.source.set('d.md', render(edited));
            const second = syncRun(b, first.state, 'r2', { sentenceLevel });
            const out = b.translated.get('d.md') as string;
            expect(out).toContain(postEdit);
            expect(second.reports[0]?.units.postEditsKept).toBe(1);
          },
        ),
        runs,
      );
    },
  );
});

describe('sentence-level sync properties (fast-check)', () => {
  const sentenceArb = fc
    .tuple(
      fc.constantFrom('Model', 'Data', 'Loss', 'Graph', 'Token'),
      fc.array(word, { minLength: 1, maxLength: 6 }),
    )
    .map(([first, rest]) => `${first} ${rest.join(' ')}.`);
  const paragraph = fc.array(sentenceArb, { minLength: 1, maxLength: 5 });

  it('rebuilds every unit from kept and new sentences in order, sending at most the edited paragraphs', () => {
    fc.assert(
      fc.property(
        fc.array(paragraph, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), sentenceArb), { maxLength: 3 }),
        (paras, edits) => {
          const render = (ps: string[][]) => `${ps.map((p) => p.join(' ')).join('\n\n')}\n`;
          const b = bookOf(render(paras));
          const first = syncRun(b, emptySyncState('en-zh'), 'r1', { sentenceLevel: true });
          const next = paras.map((p) => [...p]);
          const touched = new Set<number>();
          for (const [pi, si, text] of edits) {
            const p = next[pi % next.length] as string[];
            p[si % p.length] = text;
            touched.add(pi % next.length);
          }
          const md = render(next);
          b.source.set('d.md', md);
          const run = syncRun(b, first.state, 'r2', { sentenceLevel: true });
          const editedChars = [...touched].reduce((n, k) => n + (next[k] as string[]).join(' ').length, 0);
          expect(run.plan.charactersSent).toBeLessThanOrEqual(editedChars);
          // Content and order: the output, without the fake translator's marks and spaces, is the English.
          const squash = (t: string) => t.replace(/译/g, '').replace(/\s+/g, '');
          const out = extractSegments(b.translated.get('d.md') as string).map((s) => squash(s.text));
          expect(out).toEqual(extractSegments(md).map((s) => squash(s.text)));
        },
      ),
      runs,
    );
  });
});
