/** local/run/data-folder.ts: one runner at a time per data folder. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDataFolder } from '../../local/run/data-folder';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'amts-data-folder-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('lockDataFolder()', () => {
  it('takes over a lock left by a dead process', async () => {
    const data = mkdtempSync(join(dir, 'lock-'));
    writeFileSync(join(data, 'runner.lock'), '999999999\n');
    const release = await lockDataFolder(data, () => undefined);
    expect(readFileSync(join(data, 'runner.lock'), 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(existsSync(join(data, 'runner.lock'))).toBe(false);
  });

  it('waits while a live process holds the lock, and proceeds once it is released', async () => {
    const data = mkdtempSync(join(dir, 'lock-'));
    const first = await lockDataFolder(data, () => undefined);
    const lines: string[] = [];
    let second: (() => void) | undefined;
    const waiting = lockDataFolder(data, (l) => lines.push(l)).then((r) => {
      second = r;
    });
    // Wait for the behaviour (the waiting message), not for a fixed time.
    while (!lines.some((l) => /is using .*; waiting/.test(l))) await new Promise((r) => setTimeout(r, 20));
    expect(second).toBeUndefined();
    first();
    await waiting;
    expect(second).toBeTypeOf('function');
    second?.();
  });
});
