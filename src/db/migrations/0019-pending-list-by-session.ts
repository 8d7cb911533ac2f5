import { sql, type Kysely } from 'kysely';

/**
 * The search indexes' pending-list bound moves from the indexes to the database's sessions, so a
 * bulk import can raise it for its own transactions. An index's gin_pending_list_limit overrides
 * every session's; the database default (256 kB, as 0018 set on the indexes) covers every new
 * session, the server's, a pooler's and psql's alike. An import's inserts past a 256 kB list merged
 * it every ~250 rows, each merge touching most of the brand's ~32,000 token keys: 134 µs a row for
 * the customers insert, against 70 µs with a 4 MB list merged once at the end of each batch
 * (10,000 rows at 1M customers; 52 µs without the index at all).
 * A role that may not ALTER DATABASE keeps PostgreSQL's 4 MB default: searches then read a longer
 * list between merges, and nothing else changes. PGlite's single-user backend does not read the
 * database's settings; it gets the bound as a start parameter (database.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of ['customers_search_tokens', 'site_users_search_tokens']) {
    await sql`ALTER INDEX ${sql.ref(index)} RESET (gin_pending_list_limit)`.execute(db);
  }
  // Parallel migrations of other schemas in the same database (the tests) would otherwise update
  // the same pg_db_role_setting row at once ("tuple concurrently updated").
  await sql`
    DO $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('paydesk: gin_pending_list_limit'));
      IF NOT EXISTS (
        SELECT 1 FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
        WHERE d.datname = current_database() AND s.setrole = 0
          AND 'gin_pending_list_limit=256kB' = ANY (s.setconfig)
      ) THEN
        EXECUTE format('ALTER DATABASE %I SET gin_pending_list_limit = %L', current_database(), '256kB');
      END IF;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'gin_pending_list_limit stays at its default: this role may not ALTER DATABASE %', current_database();
    END $$`.execute(db);
  await sql`SET gin_pending_list_limit = '256kB'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
