import { describe } from 'vitest';

export type Backend = 'pglite' | 'postgres';

/** Why the PostgreSQL copies are skipped, or undefined when they run. */
export const POSTGRES_SKIP_REASON = process.env.TEST_DATABASE_URL
  ? undefined
  : 'TEST_DATABASE_URL is not set, so the PostgreSQL copy of each database test is skipped';

/**
 * A suite once per backend: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. Without it the
 * PostgreSQL copy is still declared, as skipped, so the run's closing line counts what did not run.
 */
export function describeBackends(name: string, suite: (backend: Backend) => void): void {
  describe.each(['pglite' as const])(name, suite);
  describe.skipIf(POSTGRES_SKIP_REASON !== undefined).each(['postgres' as const])(name, suite);
}
