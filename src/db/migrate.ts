import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Database } from './database.js';
import * as foundation from './migrations/0001-foundation.js';
import * as auditLog from './migrations/0002-audit-log.js';
import * as retiredKeyGuard from './migrations/0003-retired-key-guard.js';
import * as staff from './migrations/0004-staff.js';
import * as payments from './migrations/0005-payments.js';
import * as customerFillfactor from './migrations/0006-customer-fillfactor.js';
import * as brandsUsersOrders from './migrations/0007-brands-users-orders.js';
import * as customerProfile from './migrations/0008-customer-profile.js';
import * as dataOperations from './migrations/0009-data-operations.js';
import * as customerList from './migrations/0010-customer-list.js';
import * as rankSearchTokens from './migrations/0011-rank-search-tokens.js';
import * as rankFilterColumns from './migrations/0012-rank-filter-columns.js';
import * as rateLimits from './migrations/0013-rate-limits.js';
import * as staffInvitations from './migrations/0014-staff-invitations.js';
import * as webhooks from './migrations/0015-webhooks.js';
import * as staffPasswordResets from './migrations/0016-staff-password-resets.js';
import * as contactReveals from './migrations/0017-contact-reveals.js';
import * as searchPendingList from './migrations/0018-search-pending-list.js';
import * as pendingListBySession from './migrations/0019-pending-list-by-session.js';
import * as siteUserWithEmail from './migrations/0020-site-user-with-email.js';
import * as countAddPlpgsql from './migrations/0021-count-add-plpgsql.js';

// Listed in code, not read from a folder, so the bundle and tsx agree on what exists.
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-audit-log': auditLog,
  '0003-retired-key-guard': retiredKeyGuard,
  '0004-staff': staff,
  '0005-payments': payments,
  '0006-customer-fillfactor': customerFillfactor,
  '0007-brands-users-orders': brandsUsersOrders,
  '0008-customer-profile': customerProfile,
  '0009-data-operations': dataOperations,
  '0010-customer-list': customerList,
  '0011-rank-search-tokens': rankSearchTokens,
  '0012-rank-filter-columns': rankFilterColumns,
  '0013-rate-limits': rateLimits,
  '0014-staff-invitations': staffInvitations,
  '0015-webhooks': webhooks,
  '0016-staff-password-resets': staffPasswordResets,
  '0017-contact-reveals': contactReveals,
  '0018-search-pending-list': searchPendingList,
  '0019-pending-list-by-session': pendingListBySession,
  '0020-site-user-with-email': siteUserWithEmail,
  '0021-count-add-plpgsql': countAddPlpgsql,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Migrates up to and including `target` (tests of a migration's backfill start from the one before). */
export async function migrateTo(db: Database, target: string): Promise<void> {
  await migrate(db, (migrator) => migrator.migrateTo(target));
}

export async function migrateToLatest(db: Database): Promise<void> {
  await migrate(db, (migrator) => migrator.migrateToLatest());
}

async function migrate(db: Database, step: (migrator: Migrator) => Promise<MigrationResultSet>): Promise<void> {
  // Kysely looks for its migration table in every schema it can see unless told which one: a
  // kysely_migration of another schema in the same database (another app, a parallel test file)
  // would make it skip creating ours. Ours lives in the schema the connection works in.
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  const migrationTableSchema = rows[0]?.schema ?? 'public';
  const migrator = new Migrator({ db, provider, migrationTableSchema });
  let { error, results } = await step(migrator);
  // Before migrating, Kysely looks for its table by listing the tables of every schema, with
  // pg_get_serial_sequence on each: a schema or table dropped meanwhile by someone else (a parallel
  // test file in the same database) fails that listing with 3F000 or 42P01, or with 42703 when the
  // function still finds the table but no longer its column (`column "is_locked" of relation
  // "kysely_migration_lock" does not exist`, in CI). Nothing has run yet then: look again.
  for (let retry = 0; retry < 3 && error && !results?.length && isSchemaGone(error); retry++) {
    ({ error, results } = await step(migrator));
  }
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const where = failed ? ` in migration ${failed.migrationName}` : '';
    throw new Error(`Database migration failed${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** SQLSTATEs of a schema, table or column that went away under the listing. */
const GONE_UNDER_LISTING = new Set(['3F000', '42P01', '42703']);

function isSchemaGone(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && GONE_UNDER_LISTING.has(code);
}
