import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The browser tests' setup checks for chromium and builds web/dist when it is stale.
    globalSetup: ['test/support/global-setup.ts', 'test/browser/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A worker keeps its modules from one test file to the next: each file used to spend about two
    // seconds importing the whole server again. Test files share no module state (every test
    // builds its own server, database and keys), so nothing leaks from one file to the next.
    isolate: false,
    // Vitest's default is one worker per CPU but one, which on a 2-core machine runs the files one at a
    // time; most of a test's time is spent waiting on PostgreSQL, PGlite or Chromium, so two overlap well.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
