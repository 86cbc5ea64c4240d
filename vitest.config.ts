import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temporary directory for the run, removed at its end (test/support/global-tmp.ts).
    globalSetup: ['test/support/global-tmp.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The emitted-project tests compile C and run daemons; two workers fit a 2-core machine.
    maxWorkers: 2,
  },
});
