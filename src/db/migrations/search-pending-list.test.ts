import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { reopenableDatabase, type ReopenableDatabase } from '../../../test/support/databases.js';
import type { DatabaseHandle } from '../database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

// The search indexes' pending list (each search reads it whole): migration 0018 bounds it on the
// indexes; 0019 moves the bound to the database's sessions, so a bulk import may raise it for its
// own transaction. One database walks through both.
describeBackends('the search indexes keep a small pending list (%s)', (backend) => {
  let store: ReopenableDatabase;
  let database: DatabaseHandle;
  const run = async (text: string) =>
    (await database.db.executeQuery(CompiledQuery.raw(text))).rows as Array<Record<string, unknown>>;
  const options = async (index: string) =>
    (
      await run(
        `SELECT reloptions FROM pg_class WHERE relname = '${index}' AND relkind = 'i' AND relnamespace = current_schema()::regnamespace`,
      )
    )[0]?.reloptions;
  const limit = async () => (await run('SHOW gin_pending_list_limit'))[0]?.gin_pending_list_limit;
  const indexes = ['customers_search_tokens', 'site_users_search_tokens'];

  beforeAll(async () => {
    store = await reopenableDatabase(backend);
    database = await store.open();
    await migrateTo(database.db, '0017-contact-reveals');
  });
  afterAll(async () => {
    await database?.close();
    await store?.destroy();
  });

  it('0018 sets gin_pending_list_limit to 256 kB on both GIN indexes of search tokens', async () => {
    expect(await options('customers_search_tokens')).toBeNull();
    await migrateTo(database.db, '0018-search-pending-list');
    for (const index of indexes) expect(await options(index)).toEqual(['gin_pending_list_limit=256']);
  });

  it('0019 resets both indexes, and every new session starts at 256 kB', async () => {
    await migrateToLatest(database.db);
    for (const index of indexes) expect(await options(index)).toBeNull();
    await database.close();
    database = await store.open();
    expect(await limit()).toBe('256kB');
  });

  it('lets one transaction raise it for itself', async () => {
    const inside = await database.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('gin_pending_list_limit', '4096', true)`.execute(trx);
      const { rows } = await sql<{ gin_pending_list_limit: string }>`SHOW gin_pending_list_limit`.execute(trx);
      return rows[0]?.gin_pending_list_limit;
    });
    expect(inside).toBe('4MB');
    expect(await limit()).toBe('256kB');
  });
});
