import { sql, type Kysely } from 'kysely';

/**
 * Staff invitations (issue 15): a brand no longer adds an account by email; it invites the email,
 * and the person accepts from a one-time link (setting a password, or giving the one of their
 * existing account). Until then the brand learns nothing about whether the email has an account.
 *
 * Keyed by merchant_id like every brand table. The link's token is 256 random bits; only its
 * SHA-256 is stored (like session tokens), behind the one index not led by merchant_id: the public
 * accept page knows the token and nothing else, as the sign-in cookie lookup knows only its token.
 * At most one pending invitation per brand and email: inviting again replaces it (the old row is
 * revoked in the same transaction, and the partial unique index settles two invitations at once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE staff_invitations (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      email text NOT NULL CHECK (email = lower(email)),
      role text NOT NULL,
      token_hash bytea NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'accepted', 'revoked')),
      invited_by_type text NOT NULL,
      invited_by_id text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      ended_at timestamptz,
      accepted_by text,
      PRIMARY KEY (merchant_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX staff_invitations_token_hash ON staff_invitations (token_hash)`.execute(db);
  await sql`
    CREATE UNIQUE INDEX staff_invitations_pending_email ON staff_invitations (merchant_id, email)
    WHERE status = 'pending'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
