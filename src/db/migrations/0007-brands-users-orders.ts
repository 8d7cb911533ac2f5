import { sql, type Kysely } from 'kysely';

/**
 * Several brands, site users, orders, and the first rows of the customer timeline.
 *
 * - `site_users`: the merchant's storefront accounts, mirrored by their backend. Personal fields
 *   are encrypted like a customer's; the email and the merchant's own id (external_id, which may be
 *   a username) are found through blind indexes. One email may have several accounts (the merchant's
 *   site decides that), so the email index is not unique; external_id is.
 * - `customers.user_id`: the link, at most one user per customer and one customer per user (the
 *   partial unique index). Deleting a user unlinks (ON DELETE SET NULL of that column only).
 * - `site_users.suggested_customer_id`: an unverified email that matches a customer is kept as a
 *   suggestion for staff, never linked on its own (README "Site users").
 * - `orders`: line items and a total; paid through a checkout session made for it or offline (cash,
 *   bank transfer, mobile money), either way with a transaction. `buyer_enc` holds the buyer's
 *   contact, encrypted, when no customer holds it (automatic creation off, unknown email).
 * - `customer_events`: the append-only timeline, written in the transaction of the change it
 *   describes; types, ids and actors only, nothing personal in clear.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE brands ADD COLUMN logo_url text`.execute(db);

  await sql`
    CREATE TABLE site_users (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      external_id_enc bytea NOT NULL,
      external_id_bidx bytea NOT NULL,
      email_enc bytea NOT NULL,
      email_bidx bytea NOT NULL,
      email_verified boolean NOT NULL,
      given_name_enc bytea NOT NULL,
      family_name_enc bytea NOT NULL,
      phone_enc bytea,
      search_tokens integer[] NOT NULL DEFAULT '{}',
      data_key_id integer NOT NULL,
      index_key_id integer NOT NULL,
      suggested_customer_id text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, id),
      FOREIGN KEY (merchant_id, suggested_customer_id) REFERENCES customers (merchant_id, id)
        ON DELETE SET NULL (suggested_customer_id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX site_users_external_id ON site_users (merchant_id, external_id_bidx)`.execute(db);
  await sql`CREATE INDEX site_users_email_bidx ON site_users (merchant_id, email_bidx)`.execute(db);
  await sql`CREATE INDEX site_users_newest ON site_users (merchant_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX site_users_suggested ON site_users (merchant_id, suggested_customer_id) WHERE suggested_customer_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX site_users_data_key ON site_users (merchant_id, data_key_id)`.execute(db);
  await sql`CREATE INDEX site_users_index_key ON site_users (merchant_id, index_key_id)`.execute(db);
  await sql`CREATE INDEX site_users_search_tokens ON site_users USING gin (search_tokens gin__int_ops)`.execute(db);

  // Written only under live keys, like customers (migration 0003's guard, same function).
  await sql`
    CREATE TRIGGER site_users_keys_live_insert AFTER INSERT ON site_users
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION paydesk_customer_keys_live()`.execute(db);
  await sql`
    CREATE TRIGGER site_users_keys_live_update AFTER UPDATE ON site_users
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION paydesk_customer_keys_live()`.execute(db);

  await sql`ALTER TABLE customers ADD COLUMN user_id text`.execute(db);
  await sql`
    ALTER TABLE customers ADD CONSTRAINT customers_user_fk FOREIGN KEY (merchant_id, user_id)
      REFERENCES site_users (merchant_id, id) ON DELETE SET NULL (user_id)`.execute(db);
  await sql`CREATE UNIQUE INDEX customers_user ON customers (merchant_id, user_id) WHERE user_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE orders (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      number bigint NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'paid', 'fulfilled', 'cancelled')),
      customer_id text,
      user_id text,
      currency text NOT NULL,
      line_items jsonb NOT NULL,
      total_minor bigint NOT NULL CHECK (total_minor > 0),
      buyer_enc bytea,
      data_key_id integer,
      checkout_session_id text,
      transaction_id text,
      payment_method text CHECK (payment_method IN ('card', 'cash', 'bank_transfer', 'mobile_money')),
      payment_reference text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      paid_at timestamptz,
      fulfilled_at timestamptz,
      cancelled_at timestamptz,
      PRIMARY KEY (merchant_id, id),
      CHECK ((buyer_enc IS NULL) = (data_key_id IS NULL)),
      FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id) ON DELETE RESTRICT,
      FOREIGN KEY (merchant_id, user_id) REFERENCES site_users (merchant_id, id) ON DELETE SET NULL (user_id)
    ) WITH (fillfactor = 80)`.execute(db);
  await sql`CREATE UNIQUE INDEX orders_number ON orders (merchant_id, number)`.execute(db);
  await sql`CREATE INDEX orders_newest ON orders (merchant_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX orders_status ON orders (merchant_id, status, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX orders_customer ON orders (merchant_id, customer_id, created_at DESC, id DESC) WHERE customer_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX orders_user ON orders (merchant_id, user_id) WHERE user_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX orders_data_key ON orders (merchant_id, data_key_id) WHERE data_key_id IS NOT NULL`.execute(
    db,
  );
  // An order's sealed buyer, like a customer row, only under a data key that is not retired.
  await sql`
    CREATE FUNCTION paydesk_order_keys_live() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      dead record;
    BEGIN
      PERFORM 1 FROM brand_keys k
        WHERE (k.merchant_id, k.key_id) IN (SELECT merchant_id, data_key_id FROM written WHERE data_key_id IS NOT NULL)
        FOR KEY SHARE;
      SELECT w.merchant_id, w.data_key_id AS key_id INTO dead FROM written w
        WHERE w.data_key_id IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM brand_keys k
          WHERE k.merchant_id = w.merchant_id AND k.key_id = w.data_key_id AND k.purpose = 'data' AND k.state <> 'retired')
        LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'data key % of brand % is retired or unknown', dead.key_id, dead.merchant_id
          USING ERRCODE = 'PDK01';
      END IF;
      RETURN NULL;
    END
    $$`.execute(db);
  await sql`
    CREATE TRIGGER orders_keys_live_insert AFTER INSERT ON orders
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION paydesk_order_keys_live()`.execute(db);
  await sql`
    CREATE TRIGGER orders_keys_live_update AFTER UPDATE ON orders
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION paydesk_order_keys_live()`.execute(db);

  // Orders are paid at the checkout made for them, or offline: a transaction knows its order, and
  // how it was paid (a card at the gateway, or cash, bank transfer, mobile money with a reference).
  await sql`ALTER TABLE checkout_sessions ADD COLUMN order_id text`.execute(db);
  await sql`ALTER TABLE transactions DROP CONSTRAINT transactions_source_check`.execute(db);
  await sql`
    ALTER TABLE transactions ADD CONSTRAINT transactions_source_check
      CHECK (source IN ('checkout', 'payment_link', 'invoice', 'order'))`.execute(db);
  await sql`ALTER TABLE transactions ADD COLUMN order_id text`.execute(db);
  await sql`
    ALTER TABLE transactions ADD COLUMN method text NOT NULL DEFAULT 'card'
      CHECK (method IN ('card', 'cash', 'bank_transfer', 'mobile_money'))`.execute(db);
  await sql`ALTER TABLE transactions ADD COLUMN reference text`.execute(db);
  await sql`CREATE INDEX transactions_order ON transactions (merchant_id, order_id) WHERE order_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE customer_events (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      customer_id text NOT NULL,
      type text NOT NULL,
      actor_type text NOT NULL,
      actor_id text NOT NULL,
      refs jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, id),
      FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX customer_events_customer ON customer_events (merchant_id, customer_id, created_at DESC, id DESC)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
