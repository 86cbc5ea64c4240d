import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/support/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temporary directory for the run, removed at its end (test/support/global-tmp.ts).
    globalSetup: ['test/support/global-tmp.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The emitted-project tests compile C and run daemons; two workers fit a 2-core machine.
    maxWorkers: 2,
    // it.concurrent runs two tests of a file at a time (the mutation suites: each mostly waits on a daemon).
    maxConcurrency: 2,
    // The longest files start first (test/support/sequencer.ts).
    sequence: { sequencer: LongestFirst },
  },
});
