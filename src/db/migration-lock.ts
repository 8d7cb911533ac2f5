import { PostgresAdapter, PostgresDialect, sql, type DialectAdapter, type Kysely } from 'kysely';

/** Kysely's own migration lock key, so a process of an older Paydesk still excludes this one. */
const MIGRATION_LOCK_ID = '3853314791062309107';

/**
 * PostgreSQL through Kysely, with a migration lock that holds behind a transaction pooler.
 *
 * Kysely's lock is a session advisory lock taken before the migration transaction and released after
 * it: three statements that PgBouncer in transaction mode may hand to three server connections. The
 * unlock then misses, the lock stays on a pooled server connection, and the next start's migration
 * waits on it. Here the lock is transaction-level, taken in a transaction this adapter opens; the
 * migrator's own BEGIN, next on the same connection, only draws PostgreSQL's "there is already a
 * transaction in progress" warning (the transaction is unchanged), and its COMMIT or ROLLBACK ends
 * the transaction and the lock together, on the one server connection that held both.
 */
export class MigrationSafePostgresDialect extends PostgresDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionLockAdapter();
  }
}

class TransactionLockAdapter extends PostgresAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`BEGIN`.execute(db);
    try {
      await sql`SELECT pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_ID)}::bigint)`.execute(db);
    } catch (error) {
      await sql`ROLLBACK`.execute(db);
      throw error;
    }
  }

  override async releaseMigrationLock(): Promise<void> {
    // Released by the migration transaction's end (see above).
  }
}
