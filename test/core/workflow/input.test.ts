import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lambdas/core/errors';
import { documentForKey, parseExecutionInput } from '../../../lambdas/core/workflow/input';

const pair = { source: 'en', target: 'zh' };
const s3Event = (key: string) => ({
  version: '0',
  source: 'aws.s3',
  'detail-type': 'Object Created',
  detail: { bucket: { name: 'book' }, object: { key, size: 10 } },
});
const sqs = (body: unknown, i = 0) => ({
  messageId: `m${i}`,
  receiptHandle: 'rh',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: {},
  eventSource: 'aws:sqs',
});

function rejects(input: unknown): string {
  try {
    parseExecutionInput(input, pair);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('expected InvalidInputError');
}

describe('parseExecutionInput()', () => {
  it.each([
    ['null', null, /expected a JSON object/],
    ['a string', 'sync', /got string/],
    ['a number', 42, /got number/],
    ['an empty array', [], /empty array/],
  ])('rejects %s', (_name, input, message) => {
    expect(rejects(input)).toMatch(message);
  });

  it('rejects unknown fields, naming them and listing the accepted ones', () => {
    const msg = rejects({ documents: ['a.md'], documnets: ['b.md'] });
    expect(msg).toMatch(/documnets/);
    expect(msg).toMatch(/accepted fields: documents/);
  });

  it.each([
    [{ mode: 'fast' }, /input\.mode/],
    [{ force: 'yes' }, /input\.force: Expected boolean, received string/],
    [{ dryRun: 1 }, /input\.dryRun/],
    [{ documents: 'a.md' }, /input\.documents: Expected array/],
    [{ documents: [] }, /input\.documents/],
    [{ documents: ['notes.txt'] }, /input\.documents\[0\]: must end with "\.md" \(got "notes\.txt"\)/],
    [
      { documents: ['../secrets.md'] },
      /input\.documents\[0\]: must not contain empty, "\." or "\.\." segments/,
    ],
    [{ documents: ['/abs/a.md'] }, /relative path/],
    [{ documents: ['a\\b.md'] }, /relative path/],
    [{ documents: ['a/\u0000.md'] }, /control characters/],
    [{ compareWithoutParallelData: true }, /only allowed with "mode": "evaluate"/],
  ])('rejects %j with a clear message', (input, message) => {
    expect(rejects(input)).toMatch(message);
  });

  it('rejects a huge document list (> 5000 entries)', () => {
    const documents = Array.from({ length: 5001 }, (_, i) => `c/${i}.md`);
    expect(rejects({ documents })).toMatch(/input\.documents/);
  });

  it('names every problem at once', () => {
    const msg = rejects({ mode: 'fast', force: 'yes' });
    expect(msg).toMatch(/input\.mode/);
    expect(msg).toMatch(/input\.force/);
  });

  it('accepts {} from the console or the schedule and fills the defaults', () => {
    expect(parseExecutionInput({}, pair)).toEqual({
      trigger: 'console',
      options: {
        documents: null,
        mode: 'sync',
        force: false,
        dryRun: false,
        compareWithoutParallelData: false,
        sentenceLevel: true,
        retranslateFuzzy: false,
      },
      changedDocuments: [],
      ignoredEvents: 0,
    });
  });

  it('sentenceLevel: on by default, false turns it off, a non-boolean is refused', () => {
    expect(parseExecutionInput({ sentenceLevel: false }, pair).options.sentenceLevel).toBe(false);
    expect(parseExecutionInput({ sentenceLevel: true }, pair).options.sentenceLevel).toBe(true);
    expect(rejects({ sentenceLevel: 'no' })).toMatch(/input\.sentenceLevel/);
  });

  it('accepts the documented console input and removes duplicate documents', () => {
    const r = parseExecutionInput(
      { documents: ['chapter_rnn/rnn.md', 'chapter_rnn/rnn.md'], mode: 'sync', force: true, dryRun: true },
      pair,
    );
    expect(r.options).toMatchObject({ documents: ['chapter_rnn/rnn.md'], force: true, dryRun: true });
  });

  it('accepts a Pipe batch of SQS messages carrying S3 events; keeps this pair’s documents only', () => {
    const batch = [
      sqs(s3Event('source/en/chapter_rnn/rnn.md'), 0),
      sqs(s3Event('reference/zh/chapter_rnn/rnn.md'), 1),
      sqs(s3Event('reference/zh/chapter_cnn/lenet.md'), 2),
      sqs(s3Event('reference/es/chapter_cnn/lenet.md'), 3),
      sqs(s3Event('source/en/img/figure.svg'), 4),
    ];
    const r = parseExecutionInput(batch, pair);
    expect(r.trigger).toBe('s3-events');
    expect(r.changedDocuments).toEqual(['chapter_cnn/lenet.md', 'chapter_rnn/rnn.md']);
    expect(r.ignoredEvents).toBe(2);
    expect(r.options.documents).toBeNull(); // an upload syncs every changed document
  });

  it('decodes URL-encoded keys of real S3 notifications (+ for space)', () => {
    const r = parseExecutionInput([sqs(s3Event('source/en/chapter+one/%C3%A9t%C3%A9.md'))], pair);
    expect(r.changedDocuments).toEqual(['chapter one/été.md']);
  });

  it('accepts a single EventBridge event (rule → state machine directly)', () => {
    expect(parseExecutionInput(s3Event('source/en/a.md'), pair).changedDocuments).toEqual(['a.md']);
  });

  it('rejects a batch message whose body is not JSON, or not an S3 Object Created event', () => {
    expect(rejects([sqs('{not json')])).toMatch(/input\[0\]\.body: not JSON/);
    expect(rejects([sqs({ source: 'aws.ec2', 'detail-type': 'Object Created', detail: {} })])).toMatch(
      /input\[\]\.body\[0\]/,
    );
    expect(rejects([{ body: '{}' }])).toMatch(/input\[0\]\.messageId/);
  });
});

describe('documentForKey()', () => {
  it.each([
    ['source/en/a/b.md', 'a/b.md'],
    ['reference/zh/a/b.md', 'a/b.md'],
    ['reference/zh-TW/a.md', null],
    ['translated/zh/a.md', null],
    ['source/en/a.txt', null],
    ['source/en/../x.md', null],
    ['source/en/', null],
  ])('%s → %s', (key, doc) => {
    expect(documentForKey(key, pair)).toBe(doc);
  });
});
