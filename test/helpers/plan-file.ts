import { extractSegments } from '../../lambdas/core/markdown';
import { emptySyncState, planRun } from '../../lambdas/core/sync/api';
import { parseExecutionInput } from '../../lambdas/core/workflow/input';
import type { PlanFile } from '../../lambdas/core/workflow/plan-file';

/**
 * A plan file of English documents with no translation yet (every unit goes to the job): run `r1` of
 * en → zh, planned from state ETag `"e1"` for a console sync with default options, `failed` as given.
 */
export function planFile(documents: Record<string, string>, failed: PlanFile['failed'] = []): PlanFile {
  const pair = { source: 'en', target: 'zh' };
  const plan = planRun({
    pair: 'en-zh',
    state: emptySyncState('en-zh'),
    documents: Object.entries(documents).map(([path, md]) => ({
      path,
      sourceMarkdown: md,
      source: extractSegments(md),
      translatedMarkdown: null,
      translated: null,
    })),
  });
  return {
    version: 1,
    runId: 'r1',
    pair,
    startedAt: '2026-12-02T12:00:00.000Z',
    request: parseExecutionInput({}, pair),
    stateEtag: '"e1"',
    plan,
    snapshots: Object.fromEntries(
      Object.entries(documents).map(([path, md]) => [
        path,
        { source: md, translated: null, reference: null },
      ]),
    ),
    failed,
  };
}
