import { PostgresIntrospector, sql } from 'kysely';
import { afterEach, expect, it, vi } from 'vitest';
import { describeBackends } from '../../test/support/backends.js';
import { reopenableDatabase, type ReopenableDatabase } from '../../test/support/databases.js';
import type { DatabaseHandle } from './database.js';
import { migrateTo, migrateToLatest } from './migrate.js';

// Kysely lists the tables of every schema before it migrates; a parallel test file dropping its
// schema at that moment fails the listing with 3F000 (it did so in CI). Here the listing fails once.
describeBackends('migrating when another schema is dropped mid-listing (%s)', (backend) => {
  let store: ReopenableDatabase | undefined;
  let handle: DatabaseHandle | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await handle?.close();
    await store?.destroy();
  });

  const failFirstListing = (
    failure = Object.assign(new Error('schema "t_gone" does not exist'), { code: '3F000' }),
  ) => {
    const listing = vi.spyOn(PostgresIntrospector.prototype, 'getTables');
    listing.mockRejectedValueOnce(failure);
    return listing;
  };
  const applied = async () =>
    (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(handle!.db)).rows.map(
      (row) => row.name,
    );

  it('migrateTo looks again and applies up to its target', async () => {
    store = await reopenableDatabase(backend);
    handle = await store.open();
    const listing = failFirstListing();
    await migrateTo(handle.db, '0002-audit-log');
    expect(listing.mock.calls.length).toBeGreaterThan(1);
    expect(await applied()).toEqual(['0001-foundation', '0002-audit-log']);
  });

  it('looks again when the listing finds a table whose column has just gone', async () => {
    store = await reopenableDatabase(backend);
    handle = await store.open();
    const listing = failFirstListing(
      Object.assign(new Error('column "is_locked" of relation "kysely_migration_lock" does not exist'), {
        code: '42703',
      }),
    );
    await migrateTo(handle.db, '0002-audit-log');
    expect(listing.mock.calls.length).toBeGreaterThan(1);
    expect(await applied()).toEqual(['0001-foundation', '0002-audit-log']);
  });

  it('migrateToLatest looks again and applies every migration', async () => {
    store = await reopenableDatabase(backend);
    handle = await store.open();
    const listing = failFirstListing();
    await migrateToLatest(handle.db);
    expect(listing.mock.calls.length).toBeGreaterThan(1);
    expect((await applied()).at(-1)).toBe('0021-count-add-plpgsql');
  });
});
