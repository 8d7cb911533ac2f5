import { sql, type Kysely } from 'kysely';

/**
 * Contact reveals that last (issue 18): a member whose role sees contact data masked reveals one
 * customer's email and phone with a reason, audited once, and then sees them raw on that customer for
 * a stated time (GET answers them unmasked until `expires_at`), instead of for one page view. One row
 * per brand, customer and actor; a new reveal moves its end. No personal data: ids and times only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE customer_contact_reveals (
      merchant_id text NOT NULL,
      customer_id text NOT NULL,
      actor_type text NOT NULL,
      actor_id text NOT NULL,
      revealed_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, customer_id, actor_type, actor_id),
      FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id) ON DELETE CASCADE
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
