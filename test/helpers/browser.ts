/**
 * Headless Chromium for the browser tests: Debian's `chromium` (installed by `.ci/run`), driven by
 * playwright-core. Tests call {@link chromiumOrSkip} and skip with a printed one-line reason when it is
 * missing: a browser test never passes without a browser.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Where Debian installs Chromium; AMTS_CHROMIUM overrides it. */
export const CHROMIUM_PATH = process.env.AMTS_CHROMIUM ?? '/usr/bin/chromium';

/** `null` when Chromium can run here, else the reason the browser tests are skipped (printed once). */
export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set AMTS_CHROMIUM)`;
  console.warn(reason);
  return reason;
}

/**
 * A fresh headless Chromium with its own throw-away profile (`--user-data-dir` in a new temporary
 * folder) and everything that would reach the network at startup turned off. `close()` removes the profile.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'amts-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
