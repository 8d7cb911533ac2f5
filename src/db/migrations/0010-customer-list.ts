import { sql, type Kysely } from 'kysely';

/**
 * The customers list as a working tool (issue 14): sorts, filters, counts, tags, saved views, bulk
 * actions, suspend.
 *
 * - `customer_ranks`: one row per live customer with its sort keys (total spent, transactions count,
 *   last payment), indexed for keyset sorts. Kept apart from `customers` on purpose: an index on an
 *   aggregate there would make every payment's update non-HOT, writing a new entry into every index
 *   of the row, the search GIN included. Triggers keep it in step with `customers` whatever writes
 *   the aggregates (payments, refunds, reconcile, merge, import); a merged customer has no rank row.
 *   `last_payment_key` is last_payment_at with "never" as -infinity, so keyset pages need no NULL case.
 * - `customer_counts`: the KPI's maintained count of live customers, spread over 16 slots per brand
 *   (slot = backend pid mod 16) so concurrent registrations do not queue on one row; the count is
 *   the sum of a brand's slots. Statement triggers with transition tables count a bulk insert once.
 * - `customers.suspended_at` / `suspension_reason`: a suspended customer's email pays nowhere. The
 *   reason is a closed code, not staff's free text (that goes into an encrypted note).
 * - `customer_tags` / `customer_tag_links`: a brand's tags (not personal data) and who has them.
 * - `customer_views`: saved filter + sort + search, per staff member or shared with the brand; the
 *   search text may be personal, so it is sealed under the brand's data key (`q_enc`).
 * - `customer_bulk_jobs`: bulk actions on a selection or a view, with progress and refusals.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE customers ADD COLUMN suspended_at timestamptz`.execute(db);
  await sql`ALTER TABLE customers ADD COLUMN suspension_reason text`.execute(db);
  await sql`ALTER TABLE customers ADD CONSTRAINT customers_suspension CHECK (
    (suspended_at IS NULL AND suspension_reason IS NULL) OR
    (suspended_at IS NOT NULL AND suspension_reason IN ('fraudulent', 'chargebacks', 'abuse', 'requested_by_customer', 'other')))`.execute(
    db,
  );
  await sql`CREATE INDEX customers_suspended ON customers (merchant_id, suspended_at) WHERE suspended_at IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX customers_source ON customers (merchant_id, source, created_at DESC, id DESC)`.execute(db);

  await sql`
    CREATE TABLE customer_ranks (
      merchant_id text NOT NULL,
      customer_id text NOT NULL,
      total_spent_minor bigint NOT NULL,
      transactions_count integer NOT NULL,
      last_payment_key timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, customer_id),
      FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX customer_ranks_total_spent ON customer_ranks (merchant_id, total_spent_minor, customer_id)`.execute(
    db,
  );
  await sql`CREATE INDEX customer_ranks_transactions ON customer_ranks (merchant_id, transactions_count, customer_id)`.execute(
    db,
  );
  await sql`CREATE INDEX customer_ranks_last_payment ON customer_ranks (merchant_id, last_payment_key, customer_id)`.execute(
    db,
  );
  await sql`
    INSERT INTO customer_ranks (merchant_id, customer_id, total_spent_minor, transactions_count, last_payment_key)
    SELECT merchant_id, id, total_spent_minor, transactions_count, COALESCE(last_payment_at, '-infinity')
    FROM customers WHERE merged_into IS NULL`.execute(db);

  await sql`
    CREATE TABLE customer_counts (
      merchant_id text NOT NULL REFERENCES brands (id),
      slot smallint NOT NULL,
      customers bigint NOT NULL,
      PRIMARY KEY (merchant_id, slot)
    )`.execute(db);
  await sql`
    INSERT INTO customer_counts (merchant_id, slot, customers)
    SELECT merchant_id, 0, count(*) FROM customers WHERE merged_into IS NULL GROUP BY merchant_id`.execute(db);

  await sql`
    CREATE FUNCTION customer_count_add(brand text, delta bigint) RETURNS void LANGUAGE sql AS $$
      INSERT INTO customer_counts (merchant_id, slot, customers) VALUES (brand, pg_backend_pid() % 16, delta)
      ON CONFLICT (merchant_id, slot) DO UPDATE SET customers = customer_counts.customers + EXCLUDED.customers
    $$`.execute(db);
  await sql`
    CREATE FUNCTION customers_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO customer_ranks (merchant_id, customer_id, total_spent_minor, transactions_count, last_payment_key)
      SELECT merchant_id, id, total_spent_minor, transactions_count, COALESCE(last_payment_at, '-infinity')
      FROM inserted_rows WHERE merged_into IS NULL;
      PERFORM customer_count_add(merchant_id, n)
      FROM (SELECT merchant_id, count(*) AS n FROM inserted_rows WHERE merged_into IS NULL GROUP BY merchant_id) c;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER customers_inserted AFTER INSERT ON customers
    REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION customers_inserted()`.execute(db);
  await sql`
    CREATE FUNCTION customers_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM customer_count_add(merchant_id, -n)
      FROM (SELECT merchant_id, count(*) AS n FROM deleted_rows WHERE merged_into IS NULL GROUP BY merchant_id) c;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER customers_deleted AFTER DELETE ON customers
    REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION customers_deleted()`.execute(db);
  // Row triggers with a WHEN clause: a payment's update that leaves these columns alone costs nothing.
  await sql`
    CREATE FUNCTION customer_aggregates_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE customer_ranks SET total_spent_minor = NEW.total_spent_minor, transactions_count = NEW.transactions_count,
        last_payment_key = COALESCE(NEW.last_payment_at, '-infinity')
      WHERE merchant_id = NEW.merchant_id AND customer_id = NEW.id;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER customer_aggregates_changed AFTER UPDATE OF total_spent_minor, transactions_count, last_payment_at
    ON customers FOR EACH ROW
    WHEN (OLD.total_spent_minor IS DISTINCT FROM NEW.total_spent_minor
      OR OLD.transactions_count IS DISTINCT FROM NEW.transactions_count
      OR OLD.last_payment_at IS DISTINCT FROM NEW.last_payment_at)
    EXECUTE FUNCTION customer_aggregates_changed()`.execute(db);
  await sql`
    CREATE FUNCTION customer_merged_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.merged_into IS NOT NULL THEN
        DELETE FROM customer_ranks WHERE merchant_id = NEW.merchant_id AND customer_id = NEW.id;
        PERFORM customer_count_add(NEW.merchant_id, -1);
      ELSE
        INSERT INTO customer_ranks (merchant_id, customer_id, total_spent_minor, transactions_count, last_payment_key)
        VALUES (NEW.merchant_id, NEW.id, NEW.total_spent_minor, NEW.transactions_count, COALESCE(NEW.last_payment_at, '-infinity'))
        ON CONFLICT DO NOTHING;
        PERFORM customer_count_add(NEW.merchant_id, 1);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER customer_merged_changed AFTER UPDATE OF merged_into ON customers FOR EACH ROW
    WHEN (OLD.merged_into IS DISTINCT FROM NEW.merged_into)
    EXECUTE FUNCTION customer_merged_changed()`.execute(db);

  await sql`
    CREATE TABLE customer_tags (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      name text NOT NULL,
      -- Lower-cased, trimmed, spaces collapsed: "VIP" and " vip " are one tag.
      name_key text NOT NULL,
      color text NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, id),
      UNIQUE (merchant_id, name_key)
    )`.execute(db);
  await sql`
    CREATE TABLE customer_tag_links (
      merchant_id text NOT NULL,
      tag_id text NOT NULL,
      customer_id text NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, tag_id, customer_id),
      FOREIGN KEY (merchant_id, tag_id) REFERENCES customer_tags (merchant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX customer_tag_links_customer ON customer_tag_links (merchant_id, customer_id)`.execute(db);

  await sql`
    CREATE TABLE customer_views (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      name text NOT NULL,
      -- The staff member it belongs to; null when shared with the brand.
      owner_staff_id text,
      -- The list query without its search text: sort and filters, as the list's query parameters.
      query jsonb NOT NULL,
      -- The search text, sealed (field cipher, brand data key); null without one.
      q_enc bytea,
      data_key_id integer,
      created_by_type text NOT NULL,
      created_by_id text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, id),
      CHECK ((q_enc IS NULL) = (data_key_id IS NULL))
    )`.execute(db);
  await sql`CREATE INDEX customer_views_by_name ON customer_views (merchant_id, name, id)`.execute(db);

  await sql`
    CREATE TABLE customer_bulk_jobs (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      action text NOT NULL CHECK (action IN ('tag', 'untag', 'delete', 'suspend', 'resume', 'export')),
      -- {tag} for tag/untag, {reason} for suspend; ids of the selection or the view's list query.
      params jsonb NOT NULL,
      selection jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
      total integer,
      done integer NOT NULL DEFAULT 0,
      succeeded integer NOT NULL DEFAULT 0,
      -- Customers the action refused, with the reason: [{customer, code, reason}]
      refusals jsonb NOT NULL DEFAULT '[]'::jsonb,
      refused integer NOT NULL DEFAULT 0,
      error text,
      actor_type text NOT NULL,
      actor_id text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      finished_at timestamptz,
      PRIMARY KEY (merchant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX customer_bulk_jobs_newest ON customer_bulk_jobs (merchant_id, created_at DESC, id DESC)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('0010-customer-list cannot be reverted');
}
