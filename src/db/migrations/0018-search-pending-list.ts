import { sql, type Kysely } from 'kysely';

/**
 * The search indexes' pending list bounded to 256 kB (from the 4 MB of gin_pending_list_limit).
 * A GIN index takes new rows into an unsorted pending list that every search reads whole, until
 * VACUUM or an insert past the limit merges it into the tree; without autovacuum (this machine;
 * any table right after a bulk load) it sits between empty and full. At 1M customers a full list
 * (406 pages) cost each search 1.3 ms, a term that matches nothing 1.4 → 0.12 ms; a 256 kB list
 * costs an insert about 20 µs more than a 4 MB one (individual inserts of 44 tokens: 107 → 129 µs),
 * where turning fastupdate off cost 100 µs. The lists already pending are merged now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of ['customers_search_tokens', 'site_users_search_tokens']) {
    await sql`ALTER INDEX ${sql.ref(index)} SET (gin_pending_list_limit = 256)`.execute(db);
    await sql`SELECT gin_clean_pending_list(${sql.lit(index)}::regclass)`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
