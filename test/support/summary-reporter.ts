import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Adds one plain closing line ("N passed, N failed, N skipped") after vitest's own summary, and,
 * when anything was skipped, what and why: the PostgreSQL copies of the database tests (no
 * TEST_DATABASE_URL), the browser tests (no Chromium), or a test skipped on its own.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const skipped = new Map<string, number>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped.set(skipGroup(test), (skipped.get(skipGroup(test)) ?? 0) + 1);
      }
    }
    const skippedTotal = [...skipped.values()].reduce((a, b) => a + b, 0);
    const lines = [`${passed} passed, ${failed} failed, ${skippedTotal} skipped`];
    for (const [group, count] of skipped) lines.push(`  skipped: ${count} ${group}`);
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}

function skipGroup(test: TestCase): string {
  for (let suite = test.parent; suite.type === 'suite'; suite = suite.parent) {
    if (/\(postgres\)/.test(suite.name)) return 'PostgreSQL copies of database tests (TEST_DATABASE_URL is not set)';
  }
  if (test.module.moduleId.includes('/test/browser/')) return 'browser tests (Chromium is not installed)';
  return `skipped by ${test.module.relativeModuleId} itself`;
}
