import { describe, expect, it } from 'vitest';
import {
  type AssemblyLog,
  parseAssemblyLog,
  planRecovery,
} from '../../../lambdas/core/workflow/assembly-log';

const log: AssemblyLog = {
  version: 1,
  runId: 'run-1',
  stateEtag: '"e1"',
  documents: [
    { path: 'written.md', before: 'h0', after: 'h1', markdown: '# A', state: null },
    { path: 'pending.md', before: null, after: 'h2', markdown: '# B', state: null },
    { path: 'human.md', before: 'h3', after: 'h4', markdown: '# C', state: null },
  ],
};
const current = new Map<string, string | null>([
  ['written.md', 'h1'],
  ['pending.md', null],
  ['human.md', 'h5'],
]);

describe('planRecovery: finishing an assembly that crashed after writing its log', () => {
  it('adopts what it wrote, writes what it did not, keeps what a human changed since', () => {
    const r = planRecovery(log, { lastRunId: 'run-0' }, '"e1"', current);
    expect(r.action).toBe('redo');
    if (r.action !== 'redo') return;
    expect(r.write.map((w) => w.path)).toEqual(['pending.md']);
    expect([...r.adopt.keys()].sort()).toEqual(['pending.md', 'written.md']);
    expect(r.keptHuman).toEqual(['human.md']);
  });

  it.each([
    ['the run committed (lastRunId)', { lastRunId: 'run-1' }, '"e9"', /committed its state/],
    ['another run committed since (ETag changed)', { lastRunId: 'run-2' }, '"e2"', /another run committed/],
  ])('discards the log when %s', (_why, state, etag, reason) => {
    expect(planRecovery(log, state, etag, current)).toEqual({
      action: 'discard',
      reason: expect.stringMatching(reason),
    });
  });

  it('rejects something that is not a log', () => {
    expect(parseAssemblyLog(log, 'x')).toBe(log);
    expect(() => parseAssemblyLog({ version: 2 }, 's3://b/state/en-zh/assembly-log.json')).toThrow(
      /s3:\/\/b\/state\/en-zh\/assembly-log\.json: not an AMTS assembly log/,
    );
    expect(() => parseAssemblyLog({ ...log, documents: [{ path: 1 }] }, 'x')).toThrow(
      /not an AMTS assembly log/,
    );
  });
});
