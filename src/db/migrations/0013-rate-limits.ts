import { sql, type Kysely } from 'kysely';

/**
 * Rate counters shared by every server process on one database (issue 15): failed sign-ins,
 * declined payments and request counts, so N servers allow the limit once, not N times.
 *
 * Global, like `staff` (a sign-in or a client address belongs to no brand). A row is one key's
 * current window: the key is an HMAC of what is counted (an email and an address, an API key id),
 * never the thing itself, so no personal data lands here. The window restarts on the next
 * increment after `expires_at`, in the same upsert; rows past it are deleted by the index below.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE rate_counters (
      key_hash bytea PRIMARY KEY,
      window_start timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      count integer NOT NULL CHECK (count >= 0)
    )`.execute(db);
  await sql`CREATE INDEX rate_counters_expires_at ON rate_counters (expires_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
