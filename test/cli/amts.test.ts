import { describe, expect, it } from 'vitest';
import { runCli } from './helpers';

describe('amts (dispatcher)', () => {
  it('prints usage and exits 2 without a command', async () => {
    const r = await runCli();
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/usage: amts <command>/);
  });

  it('rejects an unknown command with exit 2 and names the known ones', async () => {
    const r = await runCli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it.each(['../etc/passwd', 'HTML', 'html;rm'])(
    'refuses a command name that is not a plain word: %s',
    async (name) => {
      const r = await runCli(name);
      expect(r.code).toBe(2);
    },
  );
});
