import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Vitest's default leaves one core idle (availableParallelism - 1 = 1 worker on a 2-core machine):
    // two workers take the suite from ~275 s to ~190 s there, at ~510 MB peak per worker.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
