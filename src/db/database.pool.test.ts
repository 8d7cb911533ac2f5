import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDLE_CONNECTION_MS, openDatabase, type Database } from './database.js';

const backendPid = async (db: Database) =>
  (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)).rows[0]!.pid;

// The pool is node-postgres's; PGlite has none. Without TEST_DATABASE_URL the global setup reports
// the PostgreSQL tests as skipped (strict in CI).
describe.skipIf(!process.env.TEST_DATABASE_URL)('connection pool (postgres)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps an idle connection, and its warm backend, for ten minutes, and closes it after', async () => {
    // The pool's idle timer is a setTimeout: faked, ten minutes pass at once.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const database = await openDatabase({ url: process.env.TEST_DATABASE_URL!, poolSize: 1 });
    try {
      const first = await backendPid(database.db);
      vi.advanceTimersByTime(IDLE_CONNECTION_MS - 1_000); // pg-pool's own default closed it after 10 s
      expect(await backendPid(database.db)).toBe(first);
      vi.advanceTimersByTime(IDLE_CONNECTION_MS + 1_000);
      expect(await backendPid(database.db)).not.toBe(first);
    } finally {
      vi.useRealTimers();
      await database.close();
    }
  });
});
