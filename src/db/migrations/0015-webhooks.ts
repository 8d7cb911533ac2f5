import { sql, type Kysely } from 'kysely';

/**
 * Webhooks (issue 16): a transactional outbox and its delivery queue.
 *
 * - `webhook_events`: what happened, one row per change that leaves the system. Rows are written by
 *   the triggers below, inside the statement (and so the transaction) that makes the change: a change
 *   that rolls back announces nothing, and no code path can change a customer or a payment without
 *   its event. Customer changes come from the timeline (`customer_events`, already written by every
 *   customer change, payments' single statement included); payments, refunds, invoices and orders
 *   come from their own tables, because they may have no customer; a deletion from `customers`.
 *   An event holds ids and closed facts only: its object is rendered when it is sent or read, so
 *   the outbox holds no personal data and an erased customer's events carry nothing personal.
 * - `webhook_endpoints`: a brand's receivers. The signing secret (and the previous one, during a
 *   rotation's overlap) is sealed under the brand's data key like any other secret value.
 * - `webhook_deliveries`: one row per event and endpoint, fanned out by a trigger on the events, so
 *   it is also written in the change's transaction. It is the queue: a dispatcher claims due rows with
 *   FOR UPDATE SKIP LOCKED and pushes `next_attempt_at` past its lease, so several servers share it
 *   and a claim is worked once; a process that dies mid-send leaves the row due again after the lease.
 *   The due index is not led by merchant_id: the dispatcher serves every brand, as the session lookup does.
 * - `webhook_attempts`: each attempt's outcome (status code, duration, short error), for the dashboard.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Ids made inside triggers: the same shape as src/ids.ts (prefix, 48-bit milliseconds, random bits,
  // 26 Crockford base-32 characters), so they sort by time and pass isId().
  await sql`
    CREATE FUNCTION paydesk_new_id(prefix text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
      alphabet constant text := '0123456789abcdefghjkmnpqrstvwxyz';
      ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
      bits bit(130) := B'00' || ms::bit(48) || ('x' || replace(gen_random_uuid()::text, '-', ''))::bit(80);
      out text := '';
    BEGIN
      FOR i IN 0..25 LOOP
        out := out || substr(alphabet, substring(bits FROM i * 5 + 1 FOR 5)::int + 1, 1);
      END LOOP;
      RETURN prefix || '_' || out;
    END $$`.execute(db);

  await sql`
    CREATE TABLE webhook_endpoints (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      url text NOT NULL,
      description text,
      events text[] NOT NULL,
      contact_data text NOT NULL CHECK (contact_data IN ('masked', 'full')),
      enabled boolean NOT NULL,
      disabled_reason text CHECK (disabled_reason IN ('manual', 'failing')),
      disabled_at timestamptz,
      secret_enc bytea NOT NULL,
      previous_secret_enc bytea,
      previous_secret_expires_at timestamptz,
      data_key_id integer NOT NULL,
      failing_since timestamptz,
      consecutive_failures integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX webhook_endpoints_data_key ON webhook_endpoints (merchant_id, data_key_id)`.execute(db);
  // Sealed rows only under live data keys (the guard of 0003; the order's function checks data_key_id).
  for (const event of ['INSERT', 'UPDATE']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`webhook_endpoints_keys_live_${event.toLowerCase()}`)} AFTER ${sql.raw(event)} ON webhook_endpoints
      REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION paydesk_order_keys_live()`.execute(db);
  }

  await sql`
    CREATE TABLE webhook_events (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      type text NOT NULL,
      object_type text NOT NULL,
      object_id text NOT NULL,
      refs jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX webhook_events_newest ON webhook_events (merchant_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX webhook_events_type ON webhook_events (merchant_id, type, created_at DESC, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX webhook_events_object ON webhook_events (merchant_id, object_id, created_at DESC, id DESC)`.execute(
    db,
  );

  await sql`
    CREATE TABLE webhook_deliveries (
      merchant_id text NOT NULL,
      id text NOT NULL,
      endpoint_id text NOT NULL,
      event_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      last_attempt_at timestamptz,
      last_status_code integer,
      last_duration_ms integer,
      last_error text,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, id),
      FOREIGN KEY (merchant_id, endpoint_id) REFERENCES webhook_endpoints (merchant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (merchant_id, event_id) REFERENCES webhook_events (merchant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`.execute(
    db,
  );
  await sql`
    CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (merchant_id, endpoint_id, created_at DESC, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX webhook_deliveries_event ON webhook_deliveries (merchant_id, event_id)`.execute(db);

  await sql`
    CREATE TABLE webhook_attempts (
      merchant_id text NOT NULL,
      delivery_id text NOT NULL,
      attempt integer NOT NULL,
      attempted_at timestamptz NOT NULL,
      status_code integer,
      duration_ms integer NOT NULL,
      error text,
      PRIMARY KEY (merchant_id, delivery_id, attempt),
      FOREIGN KEY (merchant_id, delivery_id) REFERENCES webhook_deliveries (merchant_id, id) ON DELETE CASCADE
    )`.execute(db);

  // Fan-out: every enabled endpoint of the brand that asked for the type (or for '*'). Test events
  // are addressed to one endpoint and get their delivery from the code that makes them.
  await sql`
    CREATE FUNCTION webhook_events_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO webhook_deliveries (merchant_id, id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
      SELECT e.merchant_id, paydesk_new_id('whd'), w.id, e.id, 'pending', 0, e.created_at, e.created_at
      FROM new_events e
      JOIN webhook_endpoints w ON w.merchant_id = e.merchant_id AND w.enabled
        AND (e.type = ANY (w.events) OR '*' = ANY (w.events))
      WHERE e.type <> 'webhook_endpoint.test';
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER webhook_events_fan_out AFTER INSERT ON webhook_events
    REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION webhook_events_fan_out()`.execute(db);

  // Customer changes, from the timeline. Several timeline kinds are one public "customer.updated".
  await sql`
    CREATE FUNCTION customer_events_announce() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO webhook_events (merchant_id, id, type, object_type, object_id, refs, created_at)
      SELECT n.merchant_id, paydesk_new_id('evt'), m.public_type, 'customer', n.customer_id,
        CASE WHEN n.type = 'customer.merged' THEN jsonb_build_object('merged_customer', n.refs ->> 'customer')
             WHEN n.type = 'customer.user_linked' THEN jsonb_build_object('user', n.refs ->> 'user')
             ELSE '{}'::jsonb END,
        n.created_at
      FROM new_rows n
      JOIN (VALUES
        ('customer.created', 'customer.created'),
        ('customer.updated', 'customer.updated'),
        ('customer.name_synced', 'customer.updated'),
        ('customer.suspended', 'customer.updated'),
        ('customer.resumed', 'customer.updated'),
        ('customer.tagged', 'customer.updated'),
        ('customer.untagged', 'customer.updated'),
        ('customer.user_unlinked', 'customer.updated'),
        ('image.updated', 'customer.updated'),
        ('image.removed', 'customer.updated'),
        ('customer.user_linked', 'customer.user_linked'),
        ('customer.merged', 'customer.merged'),
        ('customer.erased', 'customer.erased')
      ) AS m (timeline_type, public_type) ON m.timeline_type = n.type;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER customer_events_announce AFTER INSERT ON customer_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_events_announce()`.execute(db);

  await sql`
    CREATE FUNCTION customers_deleted_announce() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO webhook_events (merchant_id, id, type, object_type, object_id, created_at)
      VALUES (OLD.merchant_id, paydesk_new_id('evt'), 'customer.deleted', 'customer', OLD.id, now());
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER customers_deleted_announce AFTER DELETE ON customers
    FOR EACH ROW EXECUTE FUNCTION customers_deleted_announce()`.execute(db);

  // The ledger: a payment announces its outcome (pending → succeeded or failed; an offline payment is
  // recorded succeeded); a refund is announced once the gateway has made it (a refused one changed nothing).
  await sql`
    CREATE FUNCTION transactions_announce() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      kind text;
    BEGIN
      IF NEW.status = 'succeeded' AND (TG_OP = 'INSERT' OR OLD.status = 'pending') THEN
        kind := CASE WHEN NEW.type = 'refund' THEN 'refund.created' ELSE 'payment.succeeded' END;
      ELSIF NEW.status = 'failed' AND NEW.type = 'payment' AND (TG_OP = 'INSERT' OR OLD.status = 'pending') THEN
        kind := 'payment.failed';
      END IF;
      IF kind IS NOT NULL THEN
        INSERT INTO webhook_events (merchant_id, id, type, object_type, object_id, created_at)
        VALUES (NEW.merchant_id, paydesk_new_id('evt'), kind, 'transaction', NEW.id, now());
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER transactions_announce_insert AFTER INSERT ON transactions
    FOR EACH ROW EXECUTE FUNCTION transactions_announce()`.execute(db);
  await sql`
    CREATE TRIGGER transactions_announce_update AFTER UPDATE OF status ON transactions
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION transactions_announce()`.execute(db);

  // Invoices and orders: created, and paid.
  await sql`
    CREATE FUNCTION invoices_orders_announce() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      object text := CASE WHEN TG_TABLE_NAME = 'invoices' THEN 'invoice' ELSE 'order' END;
      kind text;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        kind := object || '.created';
      ELSIF NEW.status = 'paid' THEN
        kind := object || '.paid';
      END IF;
      IF kind IS NOT NULL THEN
        INSERT INTO webhook_events (merchant_id, id, type, object_type, object_id, created_at)
        VALUES (NEW.merchant_id, paydesk_new_id('evt'), kind, object, NEW.id, now());
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  for (const table of ['invoices', 'orders']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_announce_insert`)} AFTER INSERT ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION invoices_orders_announce()`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_announce_update`)} AFTER UPDATE OF status ON ${sql.table(table)}
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION invoices_orders_announce()`.execute(
      db,
    );
  }
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
