import { sql, type Kysely } from 'kysely';

/**
 * The customer profile: notes, an image, and the timeline filled in for customers who existed
 * before it.
 *
 * - `customer_notes`: the team's notes, bodies sealed like contact data (data key, bound to the row).
 * - `customer_images`: at most one image per customer, re-encoded on upload and sealed; kept out of
 *   the customers row so lists never read it. `customers.image_updated_at` tells lists there is one
 *   (and versions its URL).
 * - Backfill of `customer_events` from what already exists: each customer's creation, each
 *   succeeded payment and refund, each invoice issued, paid or voided. Event ids are derived from
 *   what they describe (md5 of kind and source id: 26 hex digits, within the id alphabet), so the
 *   backfill never doubles an event, and skips what the running code already wrote (migration 0007).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE customer_notes (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      customer_id text NOT NULL,
      author_type text NOT NULL,
      author_id text NOT NULL,
      body_enc bytea NOT NULL,
      data_key_id integer NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, id),
      FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX customer_notes_customer ON customer_notes (merchant_id, customer_id, created_at DESC, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX customer_notes_data_key ON customer_notes (merchant_id, data_key_id)`.execute(db);

  await sql`
    CREATE TABLE customer_images (
      merchant_id text NOT NULL REFERENCES brands (id),
      customer_id text NOT NULL,
      image_enc bytea NOT NULL,
      content_type text NOT NULL CHECK (content_type IN ('image/webp', 'image/png', 'image/jpeg')),
      width integer NOT NULL,
      height integer NOT NULL,
      data_key_id integer NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, customer_id),
      FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX customer_images_data_key ON customer_images (merchant_id, data_key_id)`.execute(db);
  await sql`ALTER TABLE customers ADD COLUMN image_updated_at timestamptz`.execute(db);

  // Sealed rows only under live data keys (the guard of 0003; the order's function checks data_key_id).
  for (const table of ['customer_notes', 'customer_images']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_keys_live_insert`)} AFTER INSERT ON ${sql.table(table)}
      REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION paydesk_order_keys_live()`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_keys_live_update`)} AFTER UPDATE ON ${sql.table(table)}
      REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION paydesk_order_keys_live()`.execute(db);
  }

  await sql`CREATE INDEX customer_events_kind ON customer_events (merchant_id, customer_id, type, created_at DESC, id DESC)`.execute(
    db,
  );

  const backfill = (select: ReturnType<typeof sql>) =>
    sql`INSERT INTO customer_events (merchant_id, id, customer_id, type, actor_type, actor_id, refs, created_at)
      SELECT * FROM (${select}) AS e ON CONFLICT (merchant_id, id) DO NOTHING`.execute(db);
  const eventId = (kind: string, column: string) => sql.raw(`'evt_' || substr(md5('${kind}:' || ${column}), 1, 26)`);

  await backfill(sql`
    SELECT c.merchant_id, ${eventId('created', 'c.id')}, c.id, 'customer.created', 'system', 'backfill',
      jsonb_build_object('source', c.source), c.created_at
    FROM customers c
    WHERE NOT EXISTS (SELECT 1 FROM customer_events e
      WHERE e.merchant_id = c.merchant_id AND e.customer_id = c.id AND e.type = 'customer.created')`);
  await backfill(sql`
    SELECT t.merchant_id, ${eventId('payment', 't.id')}, t.customer_id,
      CASE WHEN t.type = 'refund' THEN 'refund.created' ELSE 'payment.succeeded' END, 'system', 'backfill',
      jsonb_strip_nulls(jsonb_build_object('transaction', t.id, 'source', t.source, 'invoice', t.invoice_id,
        'order', t.order_id, 'payment', t.refunded_transaction_id, 'amount', t.amount_minor::text,
        'currency', t.currency)),
      COALESCE(t.succeeded_at, t.created_at)
    FROM transactions t
    WHERE t.customer_id IS NOT NULL AND t.status IN ('succeeded', 'refunded', 'partially_refunded')`);
  for (const [kind, column] of [
    ['issued', 'finalized_at'],
    ['paid', 'paid_at'],
    ['voided', 'voided_at'],
  ] as const) {
    await backfill(sql`
      SELECT i.merchant_id, ${eventId(`invoice.${kind}`, 'i.id')}, i.customer_id, ${`invoice.${kind}`}, 'system', 'backfill',
        jsonb_build_object('invoice', i.id), i.${sql.raw(column)}
      FROM invoices i WHERE i.customer_id IS NOT NULL AND i.${sql.raw(column)} IS NOT NULL`);
  }
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
