// cfn-lint on the synthesised template (issue 13). cfn-lint is a Python tool (no npm or Debian package):
// present on machines whose image ships it (pip), skipped with a one-line reason elsewhere.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateOf } from './helpers';

const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const present = version.status === 0;

/**
 * W3005 (an explicit DependsOn that a GetAtt already implies) is how CDK writes every function and state
 * machine that depends on its role's default policy: harmless, and not ours to change.
 */
const IGNORED = ['W3005'];

describe.skipIf(!present)(`cfn-lint ${present ? version.stdout.trim() : ''}`, () => {
  it('finds no error and no warning (W3045 legacy AccessControl included) in the template', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amts-cfn-lint-'));
    const file = join(dir, 'Amts.template.json');
    writeFileSync(file, JSON.stringify(templateOf().toJSON(), null, 1));
    const run = spawnSync('cfn-lint', ['--format', 'parseable', '--ignore-checks', ...IGNORED, '--', file], {
      encoding: 'utf8',
    });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 300_000); // ≈ 6 s on an idle machine; minutes when the cores are shared
});

if (!present) {
  describe('cfn-lint', () => {
    it.skip('is not installed (a Python tool: `pip install cfn-lint`; no npm or Debian package exists)', () => {});
  });
}
