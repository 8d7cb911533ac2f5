import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './database.js';
import { executePrepared, PREPARED } from './prepared-client.js';

// PGlite has no connection pool to prepare on; this is about the PostgreSQL driver. Without
// TEST_DATABASE_URL the global setup reports the PostgreSQL tests as skipped (strict in CI).
describe.skipIf(!process.env.TEST_DATABASE_URL)('prepared statements (postgres)', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openDatabase({ url: process.env.TEST_DATABASE_URL!, poolSize: 1 });
  });
  afterAll(() => database.close());

  const preparedNames = async () =>
    (
      await sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements`.execute(
        database.db,
      )
    ).rows;

  it('prepares statements marked PREPARED once per connection, and leaves the others alone', async () => {
    for (let i = 0; i < 3; i++) {
      const { rows } = await sql<{ n: number }>`${sql.raw(PREPARED)}SELECT ${i}::int + 1 AS n`.execute(database.db);
      expect(rows[0]!.n).toBe(i + 1);
    }
    await sql`SELECT ${5}::int AS unmarked`.execute(database.db);
    const prepared = await preparedNames();
    expect(prepared.filter((p) => p.statement.includes('AS n'))).toHaveLength(1);
    expect(prepared[0]!.name).toMatch(/^pd_[0-9a-f]{24}$/);
    expect(prepared.some((p) => p.statement.includes('unmarked'))).toBe(false);
  });

  it("executePrepared runs a built query as one prepared statement, with each call's parameters", async () => {
    const namespace = (name: string) =>
      database.db
        .withTables<{ pg_namespace: { nspname: string } }>()
        .selectFrom('pg_namespace')
        .select('nspname')
        .where('nspname', '=', name);
    expect(await executePrepared(database.db, namespace('no_such_schema'))).toEqual([]);
    expect(await executePrepared(database.db, namespace('pg_catalog'))).toEqual([{ nspname: 'pg_catalog' }]);
    const prepared = (await preparedNames()).filter((p) => p.statement.includes('pg_namespace'));
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.statement.startsWith(PREPARED)).toBe(true);
  });

  it('prepares nothing with preparedStatements off (DATABASE_PREPARED_STATEMENTS=0, for a transaction pooler)', async () => {
    const unprepared = await openDatabase({
      url: process.env.TEST_DATABASE_URL!,
      poolSize: 1,
      preparedStatements: false,
    });
    try {
      const { rows } = await sql<{ n: number }>`${sql.raw(PREPARED)}SELECT ${41}::int + 1 AS n`.execute(unprepared.db);
      expect(rows[0]!.n).toBe(42);
      const { rows: prepared } = await sql<{ name: string }>`SELECT name FROM pg_prepared_statements`.execute(
        unprepared.db,
      );
      expect(prepared).toEqual([]);
    } finally {
      await unprepared.close();
    }
  });
});
