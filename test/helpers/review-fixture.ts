import type { DocumentReport, ReviewItem, RunReport } from '../../lambdas/core/report';

const units = { total: 10, reused: 5, fromReference: 2, postEditsKept: 0, machineTranslated: 3 };

/** A sync run report with one unit of each review kind, and hostile text in places a page must escape. */
export function reviewFixture(over: Partial<RunReport> = {}): RunReport {
  const machine = (unitId: string, line: number, source: string, translation: string): ReviewItem => ({
    unitId,
    kind: 'machine',
    reason: 'machine-translated in this run (job job-1); no human has read it yet',
    line,
    source,
    translation,
  });
  const rnn: DocumentReport = {
    path: 'chapter_rnn/rnn.md',
    status: 'translated',
    charactersSent: 321,
    units: { ...units, stale: 1, conflicts: 1 },
    scores: {
      bleu: 100.00000000000004,
      chrf: 88.123456,
      pairedUnits: 8,
      signature: 'nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0',
    },
    warnings: ['unit u9: kept in English <b>(source fallback)</b>'],
    error: null,
    review: [
      {
        unitId: 'u2',
        kind: 'stale',
        reason: 'the English changed since the reference was written',
        line: 7,
        source: 'Recurrent neural networks process sequences. They keep a hidden state.',
        translation: '循环神经网络处理序列。它们保持隐状态。',
        previousSource: 'Recurrent neural networks process sequences.',
        previousHuman: '循环神经网络用于处理序列数据。',
      },
      machine('u4', 15, 'A <script>alert("x")</script> unit & more', '一个 <script>alert("x")</script> 单元'),
      {
        unitId: 'u6',
        kind: 'conflict',
        reason: 'the reference changed and a translator post-edited the same unit',
        line: 21,
        source: 'Gradients can vanish.',
        translation: '梯度可能会消失。',
        reference: '梯度可能消失。',
        postEdit: '梯度可能会消失（译者修改）。',
      },
    ],
  };
  const cnn: DocumentReport = {
    path: 'chapter_cnn/conv layer.md',
    status: 'translated',
    charactersSent: 100,
    units,
    scores: null,
    warnings: [],
    error: null,
    review: [
      machine('u1', 1, '# Convolutions', '# Convolutions'),
      machine('u3', 5, 'Kernels slide.', 'Kernels slide.'),
      machine('u5', 9, 'Padding keeps size.', 'Padding keeps size.'),
      machine('u7', 12, 'Stride skips.', 'Stride skips.'),
      {
        unitId: 'u8',
        kind: 'fuzzy',
        reason: 'an article was added to the English; the human text is kept',
        line: 14,
        source: 'The pooling reduces the size.',
        translation: '汇聚层降低尺寸。',
        previousSource: 'Pooling reduces the size.',
        previousHuman: '汇聚层降低尺寸。',
      },
    ],
  };
  const unchanged: DocumentReport = {
    path: 'chapter_intro/index.md',
    status: 'unchanged',
    charactersSent: 0,
    units,
    scores: null,
    warnings: [],
    error: null,
  };
  return {
    runId: '20261202T120000Z-abc',
    pair: 'en-zh',
    status: 'SUCCEEDED',
    startedAt: '2026-12-02T12:00:00.000Z',
    finishedAt: '2026-12-02T12:01:00.000Z',
    parallelData: { name: 'amts-en-zh', pairs: 120, updated: true },
    job: { jobId: 'job-1', status: 'COMPLETED' },
    charactersSent: 421,
    estimatedCostUsd: 0.03,
    documents: [unchanged, rnn, cnn],
    ...over,
  };
}
