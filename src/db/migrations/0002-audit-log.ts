import { sql, type Kysely } from 'kysely';

/**
 * Who did what, when, to which object: reveals, deletions, exports, role changes, key rotations.
 *
 * merchant_id is NOT NULL and leads the primary key like every brand-owned table (DESIGN.md
 * "Scale-out"). Events that belong to no brand (a master key rotation) use the sentinel
 * merchant_id 'system' rather than NULL: a NULL cannot sit in a primary key, Citus refuses NULL in
 * a distribution column, and "WHERE merchant_id = $1" stays the one access path. A brand's own
 * view of such an event is written as its own row (master rotation writes one per brand).
 *
 * No foreign key to brands: the trail must outlive what it describes. Ids are UUIDv7-based, so
 * the primary key is also the brand's timeline (newest first = id DESC) for GET /api/v1/audit.
 * details holds identifiers and counts only, never personal data (audit.service.ts checks).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_events (
      merchant_id text NOT NULL,
      id text NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      actor_type text NOT NULL CHECK (actor_type IN ('api_key', 'staff', 'system', 'cli')),
      actor_id text NOT NULL,
      action text NOT NULL,
      target_type text,
      target_id text,
      ip inet,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      PRIMARY KEY (merchant_id, id)
    )`.execute(db);
  // "Everything that happened to this customer / key", e.g. who revealed a record.
  await sql`
    CREATE INDEX audit_events_target ON audit_events (merchant_id, target_type, target_id, id DESC)
    WHERE target_id IS NOT NULL`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
