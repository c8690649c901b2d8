/**
 * No file under lambdas/, local/, cli/ or infra/ is over 650 lines (issue 16): past that a module holds
 * more than one responsibility and a newcomer cannot read it in one sitting. A file not yet split is
 * listed with the reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, sourceFiles } from './import-graph';

const MAX_LINES = 650;

/** Files not yet held to MAX_LINES, and why. */
const NOT_YET_SPLIT: Record<string, string> = {
  'lambdas/core/sync/plan.ts': "issue 17's Plan fan-out splits planDocument into named steps",
};

const lineCount = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8').split('\n').length;

describe('file size', () => {
  const files = sourceFiles(['lambdas', 'local', 'cli', 'infra']);

  it('finds the source files it measures', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('lambdas/core/markdown/parse.ts');
  });

  it(`holds every source file to ${MAX_LINES} lines`, () => {
    const over = files
      .filter((f) => !(f in NOT_YET_SPLIT))
      .map((f) => [f, lineCount(f)] as const)
      .filter(([, lines]) => lines > MAX_LINES);
    expect(over).toEqual([]);
  });
});
