import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as prepareBatch } from '../../lambdas/prepare-batch/handler';
import { assemble, committedState, freshEnvironment, pair, plan } from './helpers';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT'; // the handlers' logger is created at import
});

// Assemble And Score re-reads translated/ after the job: a human edit made while the job ran is kept.
const KEY = 'ch/rnn.md';
const TRANSLATED = `translated/zh/${KEY}`;
const LONG =
  'Recurrent networks keep a hidden state. The state carries information across time steps. ' +
  'Training unrolls the network over the sequence. Gradients flow back through every step. ' +
  'Long sequences make the gradients vanish or explode.';
const SOURCE = `# Recurrent Networks\n\nA recurrent network keeps a hidden state $h_t$.\n\n${LONG}\n\nIt is trained with backpropagation through time.\n`;
const noParallelData = { action: 'none', name: null, pairs: 0, csvKey: null, csvHash: null, updated: false };

/** A stand-in for Translate: every sent element comes back with `译` in front of its text. */
const fakeTranslate = (html: string) => html.replace(/(<(?:p|h[1-6]) id="u\d+(?:-s\d+)?">)/g, '$1译');

let objects: Map<string, string>;
beforeEach(() => {
  objects = freshEnvironment();
  objects.set(`source/en/${KEY}`, SOURCE);
});

let runs = 0;
/** Plan and Prepare Batch of a new execution, then Translate's output; returns the Assemble event. */
async function untilJobOutput(input: unknown = {}) {
  const execution = { name: `exec-${++runs}`, startTime: `2026-11-21T12:00:0${runs % 10}.000Z` };
  const planned = await plan({ input, pair, execution, attempt: 0 });
  if (planned.action !== 'continue') throw new Error(`nothing to do (${planned.action})`);
  const batch = await prepareBatch({ pair, plan: planned, parallelData: noParallelData });
  const output = `work/en-zh/${planned.runId}/output/123456789012-TranslateText-job-${runs}/`;
  const inputs = new Map<string, string>();
  for (const [key, body] of [...objects]) {
    const m = new RegExp(`^work/en-zh/${planned.runId}/input/\\d+/(.+)$`).exec(key); // one job: input/0/
    if (m) {
      inputs.set(m[1] as string, body);
      objects.set(`${output}zh.${m[1]}`, fakeTranslate(body));
    }
  }
  const job = {
    jobId: `job-${runs}`,
    status: 'COMPLETED',
    done: true,
    partial: false,
    attempt: 1,
    waitSeconds: 0,
    outputUri: `s3://book/${output}`,
  };
  return {
    event: { pair, execution, plan: planned, parallelData: noParallelData, batch, job },
    inputs: [...inputs.values()].join('\n'),
    charactersSent: batch.characters,
  };
}

function report(key: string) {
  const r = JSON.parse(objects.get(key) ?? '{}');
  return r.documents.find((d: { path: string }) => d.path === KEY);
}

function unitsOf(): { targetMarkdown: string; origin: string }[] {
  return committedState(objects).documents[KEY].units;
}

describe('Assemble And Score: human edits made while the job runs', () => {
  beforeEach(async () => {
    const first = await untilJobOutput();
    await assemble(first.event);
    expect(objects.get(TRANSLATED)).toContain('译A recurrent network keeps a hidden state $h_t$.');
  });

  it('keeps a post-edit of a unit whose English is unchanged, made between Plan and Assemble', async () => {
    objects.set(`source/en/${KEY}`, SOURCE.replace('through time.', 'through time (BPTT).'));
    const second = await untilJobOutput();
    // A translator post-edits another paragraph while the job runs.
    const human = '循环网络保留隐状态 $h_t$。';
    objects.set(
      TRANSLATED,
      (objects.get(TRANSLATED) ?? '').replace('译A recurrent network keeps a hidden state $h_t$.', human),
    );

    const out = await assemble(second.event);

    expect(out.status).toBe('SUCCEEDED');
    const written = objects.get(TRANSLATED) ?? '';
    expect(written).toContain(human);
    expect(written).toContain('译It is trained with backpropagation through time (BPTT).');
    expect(report(out.reportKey)).toMatchObject({ status: 'translated', units: { postEditsKept: 1 } });
    expect(report(out.reportKey).warnings.join('\n')).toMatch(/changed while the job ran/);
    // The next run sees the edit as a post-edit (not as AMTS output) and keeps it.
    expect(unitsOf().find((u) => u.targetMarkdown === human)?.origin).toBe('post-edit');
  });

  it('keeps a post-edit made during the job in the kept sentences of a paragraph sent sentence by sentence', async () => {
    objects.set(
      `source/en/${KEY}`,
      SOURCE.replace('make the gradients vanish', 'often make the gradients vanish'),
    );
    const second = await untilJobOutput();
    expect(second.inputs).toMatch(/<p id="u3-s5">Long sequences often make/);
    const human = '循环网络保存一个隐状态。';
    objects.set(
      TRANSLATED,
      (objects.get(TRANSLATED) ?? '').replace('译Recurrent networks keep a hidden state.', human),
    );

    const out = await assemble(second.event);

    const written = objects.get(TRANSLATED) ?? '';
    expect(written).toContain(`${human}The state carries`);
    expect(written).toContain('译Long sequences often make the gradients vanish or explode.');
    expect(report(out.reportKey).units).toMatchObject({ machineTranslated: 1 });
  });

  it('reads a paragraph as it was sent when an edit during the job changes how its translation splits', async () => {
    objects.set(
      `source/en/${KEY}`,
      SOURCE.replace('make the gradients vanish', 'often make the gradients vanish'),
    );
    const second = await untilJobOutput();
    // The translator merges two sentences of the very paragraph being translated (no longer 5 sentences).
    objects.set(
      TRANSLATED,
      (objects.get(TRANSLATED) ?? '').replace('hidden state. The state', 'hidden state; the state'),
    );

    const out = await assemble(second.event);

    const written = objects.get(TRANSLATED) ?? '';
    // Built from the planned sentences (never the English as a fallback), and the lost edit is reported.
    expect(written).toContain('译Recurrent networks keep a hidden state. The state carries');
    expect(written).toContain('译Long sequences often make the gradients vanish or explode.');
    expect(report(out.reportKey).units).toMatchObject({ machineTranslated: 1 });
    expect(report(out.reportKey).warnings.join('\n')).toMatch(/a human post-edit .*was replaced/);
  });

  it('a retried Assemble finds its own output in translated/ and reports the same as the first attempt', async () => {
    objects.set(`source/en/${KEY}`, SOURCE.replace('through time.', 'through time (BPTT).'));
    const second = await untilJobOutput();
    const out = await assemble(second.event);
    const written = objects.get(TRANSLATED);
    const firstReport = report(out.reportKey);

    const again = await assemble(second.event);

    expect(objects.get(TRANSLATED)).toBe(written);
    expect(report(again.reportKey)).toEqual(firstReport);
    expect(firstReport.warnings.join('\n')).not.toMatch(/changed while the job ran/);
  });
});

describe('Plan / Prepare Batch / Assemble: sentence-level sync (default)', () => {
  beforeEach(async () => {
    await assemble((await untilJobOutput()).event);
  });

  it('a one-sentence edit sends only that sentence and keeps the translation of the others', async () => {
    objects.set(`source/en/${KEY}`, SOURCE.replace('across time steps', 'across all time steps'));

    const second = await untilJobOutput();
    const out = await assemble(second.event);

    expect(second.inputs).toContain('<p id="u3-s2">The state carries information across all time steps.</p>');
    expect(second.inputs).not.toContain('Training unrolls');
    expect(second.charactersSent).toBeLessThan(LONG.length / 3);
    const written = objects.get(TRANSLATED) ?? '';
    expect(written).toContain(
      // The fake translator's sentences end in a Latin full stop: joined with a space (a Chinese 。 would not be).
      '译Recurrent networks keep a hidden state. 译The state carries information across all time steps. Training',
    );
    expect(report(out.reportKey)).toMatchObject({
      status: 'translated',
      charactersSent: second.charactersSent,
    });
  });

  it('"sentenceLevel": false sends the edited paragraph whole', async () => {
    objects.set(`source/en/${KEY}`, SOURCE.replace('across time steps', 'across all time steps'));

    const second = await untilJobOutput({ sentenceLevel: false });
    await assemble(second.event);

    expect(second.inputs).toMatch(/<p id="u3">Recurrent networks keep a hidden state\. The state carries/);
    expect(second.charactersSent).toBeGreaterThanOrEqual(LONG.length - 10);
    expect(objects.get(TRANSLATED)).toContain('译Recurrent networks keep a hidden state. The state carries');
  });
});
