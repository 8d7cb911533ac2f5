import { sql, type Kysely } from 'kysely';

/**
 * Staff accounts, their brand memberships and their sign-in sessions.
 *
 * A staff account is a person, not a brand's row: one login (email) can belong to several brands,
 * so `staff` and `staff_sessions` are global, like `brands` (on Citus they would be reference
 * tables). What a person may do in a brand lives in `staff_memberships`, which is brand-owned and
 * keyed by merchant_id first like every other brand table. The one index not led by merchant_id,
 * memberships by staff_id, serves sign-in ("which brands is this person in"), a question that is
 * cross-brand by nature and small.
 *
 * Sessions keep only the SHA-256 of the cookie's 256-bit random token; the CSRF token is derived
 * from the cookie token (session.tokens.ts), so nothing here lets a database reader act as anyone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE staff (
      id text PRIMARY KEY,
      email text NOT NULL CHECK (email = lower(email)),
      name text NOT NULL,
      password_hash text NOT NULL,
      password_changed_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX staff_email ON staff (email)`.execute(db);

  await sql`
    CREATE TABLE staff_memberships (
      merchant_id text NOT NULL REFERENCES brands (id),
      staff_id text NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
      role text NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, staff_id)
    )`.execute(db);
  await sql`CREATE INDEX staff_memberships_staff ON staff_memberships (staff_id)`.execute(db);

  await sql`
    CREATE TABLE staff_sessions (
      staff_id text NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
      id text NOT NULL,
      token_hash bytea NOT NULL,
      active_merchant_id text REFERENCES brands (id),
      ip inet,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (staff_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX staff_sessions_token_hash ON staff_sessions (token_hash)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
