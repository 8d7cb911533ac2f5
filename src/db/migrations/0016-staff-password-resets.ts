import { sql, type Kysely } from 'kysely';

/**
 * Password resets an owner or admin starts for a member (issue 18): a one-time link, valid 24 hours,
 * with which the person sets a new password. Like invitations, only the SHA-256 of the link's 256-bit
 * token is stored, behind the one index the public page can use (it knows the token and nothing else).
 *
 * Keyed by staff_id like sessions: a reset belongs to the person's account, which is global; the brand
 * it was started from is kept for the audit trail and as the brand the person lands on. At most one
 * pending reset per person: a newer one replaces the older (the partial unique index settles two at once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE staff_password_resets (
      staff_id text NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
      id text NOT NULL,
      merchant_id text NOT NULL REFERENCES brands (id),
      token_hash bytea NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'used', 'replaced')),
      started_by_type text NOT NULL,
      started_by_id text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      ended_at timestamptz,
      PRIMARY KEY (staff_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX staff_password_resets_token_hash ON staff_password_resets (token_hash)`.execute(db);
  await sql`
    CREATE UNIQUE INDEX staff_password_resets_pending ON staff_password_resets (staff_id)
    WHERE status = 'pending'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
