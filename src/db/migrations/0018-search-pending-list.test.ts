import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { reopenableDatabase, type ReopenableDatabase } from '../../../test/support/databases.js';
import type { DatabaseHandle } from '../database.js';
import { migrateTo } from '../migrate.js';

// Migration 0018 bounds the pending lists of the search indexes (each search reads the whole list).
describeBackends('the search indexes keep a small pending list (%s)', (backend) => {
  let store: ReopenableDatabase;
  let database: DatabaseHandle;
  const run = async (text: string) =>
    (await database.db.executeQuery(CompiledQuery.raw(text))).rows as Array<Record<string, unknown>>;
  const options = async (index: string) =>
    (await run(`SELECT reloptions FROM pg_class WHERE relname = '${index}' AND relkind = 'i'`))[0]?.reloptions;

  beforeAll(async () => {
    store = await reopenableDatabase(backend);
    database = await store.open();
    await migrateTo(database.db, '0017-contact-reveals');
  });
  afterAll(async () => {
    await database?.close();
    await store?.destroy();
  });

  it('sets gin_pending_list_limit to 256 kB on both GIN indexes of search tokens', async () => {
    expect(await options('customers_search_tokens')).toBeNull();
    await migrateTo(database.db, '0018-search-pending-list');
    for (const index of ['customers_search_tokens', 'site_users_search_tokens']) {
      expect(await options(index)).toEqual(['gin_pending_list_limit=256']);
    }
  });
});
