import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { reopenableDatabase, type ReopenableDatabase } from '../../../test/support/databases.js';
import type { DatabaseHandle } from '../database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

// Migration 0019 moves the pending-list bound of the search indexes from the indexes to the
// database's sessions, so that a bulk import may raise it for its own transaction.
describeBackends('the pending-list bound is the sessions’, not the indexes’ (%s)', (backend) => {
  let store: ReopenableDatabase;
  let database: DatabaseHandle;
  const run = async (text: string) =>
    (await database.db.executeQuery(CompiledQuery.raw(text))).rows as Array<Record<string, unknown>>;
  const options = async (index: string) =>
    (await run(`SELECT reloptions FROM pg_class WHERE relname = '${index}' AND relkind = 'i'`))[0]?.reloptions;
  const limit = async () => (await run('SHOW gin_pending_list_limit'))[0]?.gin_pending_list_limit;

  beforeAll(async () => {
    store = await reopenableDatabase(backend);
    database = await store.open();
    await migrateTo(database.db, '0018-search-pending-list');
  });
  afterAll(async () => {
    await database?.close();
    await store?.destroy();
  });

  it('resets both indexes, and every new session starts at 256 kB', async () => {
    expect(await options('customers_search_tokens')).toEqual(['gin_pending_list_limit=256']);
    await migrateToLatest(database.db);
    for (const index of ['customers_search_tokens', 'site_users_search_tokens']) {
      expect(await options(index)).toBeNull();
    }
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
