/**
 * The state → handler folder → core module table of docs/architecture.md ("The state machine") held to
 * the code, and the thin-handler rule (parse → read → core → write, at most 100 lines).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './import-graph';

const HANDLER_FOLDERS = readdirSync(join(REPO_ROOT, 'lambdas'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'core' && e.name !== 'aws')
  .map((e) => e.name)
  .sort();

/** Rows of the table: state, handler folder, the core modules named in the third column. */
function architectureTable(): { state: string; folder: string; modules: string[] }[] {
  const doc = readFileSync(join(REPO_ROOT, 'docs/architecture.md'), 'utf8');
  return doc
    .split('\n')
    .filter((line) => /^\| .* \| `lambdas\/[^`]+` \|/.test(line))
    .map((line) => {
      const [state, folder, modules] = line
        .split('|')
        .slice(1, 4)
        .map((c) => c.trim()) as [string, string, string];
      return {
        state,
        folder: folder.replace(/`lambdas\/([^`]+)`/, '$1'),
        modules: [...modules.matchAll(/`(core\/[^`]+)`/g)].map((m) => m[1] as string),
      };
    });
}

describe('docs/architecture.md: state → handler folder → core module', () => {
  const table = architectureTable();

  it('has a row for every handler folder under lambdas/', () => {
    expect(table.map((r) => r.folder).sort()).toEqual(HANDLER_FOLDERS);
  });

  it('names only core modules that exist', () => {
    const missing = table.flatMap((r) =>
      r.modules
        .filter(
          (m) =>
            !existsSync(join(REPO_ROOT, 'lambdas', `${m}.ts`)) && !existsSync(join(REPO_ROOT, 'lambdas', m)),
        )
        .map((m) => `${r.state}: ${m}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('thin handlers', () => {
  it.each(HANDLER_FOLDERS)('lambdas/%s/handler.ts is at most 100 lines', (folder) => {
    const lines = readFileSync(join(REPO_ROOT, 'lambdas', folder, 'handler.ts'), 'utf8').split('\n').length;
    expect(lines).toBeLessThanOrEqual(100);
  });
});
