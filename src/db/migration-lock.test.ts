import pg from 'pg';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { reopenableDatabase, type ReopenableDatabase } from '../../test/support/databases.js';
import type { DatabaseHandle } from './database.js';
import { migrateToLatest } from './migrate.js';

// The lock is the PostgreSQL dialect's (PGlite is one connection). Through PgBouncer in transaction
// mode: test/reliability/pgbouncer.test.ts. Without TEST_DATABASE_URL the global setup reports the
// PostgreSQL tests as skipped (strict in CI).
describe.skipIf(!process.env.TEST_DATABASE_URL)('migration lock (postgres)', () => {
  let database: ReopenableDatabase | undefined;
  const handles: DatabaseHandle[] = [];
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((handle) => handle.close()));
    await database?.destroy();
  });

  const migrationCount = async (handle: DatabaseHandle) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM kysely_migration`.execute(handle.db)).rows[0]!.n;

  it("waits while another session holds Kysely's migration lock key, and goes on when it is released", async () => {
    database = await reopenableDatabase('postgres');
    const handle = await database.open();
    handles.push(handle);
    const holder = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await holder.connect();
    try {
      // What an older Paydesk (Kysely's own session lock) or another process's migration holds.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(3853314791062309107)');
      let done = false;
      const migrating = migrateToLatest(handle.db).then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(done).toBe(false);
      await holder.query('COMMIT');
      await migrating;
      expect(await migrationCount(handle)).toBeGreaterThan(0);
    } finally {
      await holder.end();
    }
  });

  it('lets two processes migrate one fresh schema at once: one applies, the other finds it done', async () => {
    database = await reopenableDatabase('postgres');
    const [first, second] = [await database.open(), await database.open()];
    handles.push(first, second);
    await Promise.all([migrateToLatest(first.db), migrateToLatest(second.db)]);
    const applied = await migrationCount(first);
    await migrateToLatest(second.db);
    expect(await migrationCount(second)).toBe(applied);
  });
});
