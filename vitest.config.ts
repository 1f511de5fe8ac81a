import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // two test files at a time on two cores: most of a test's time is spent in the CLI it drives
    maxWorkers: Math.max(2, availableParallelism()),
    isolate: false,
    // hang guards only, far above any test's time on a busy machine: no test may pass or fail by speed
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
