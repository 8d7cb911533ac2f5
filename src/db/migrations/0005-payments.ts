import { sql, type Kysely } from 'kysely';

/**
 * The payment side: exchange rates, payment links, checkout sessions, invoices and the transactions
 * ledger. Every table is brand-owned, keyed by merchant_id first (DESIGN.md, Citus).
 *
 * Public pages are addressed without a brand (`/pay/{slug}`, `/checkout/{token}`,
 * `/invoice/{token}`), so `public_paths` routes a slug or token to its brand and record. Like
 * `brands`, it is a small global lookup (a reference table on Citus); nothing personal is in it.
 *
 * Rows that are updated after insert (a session or invoice when paid, a transaction when it
 * succeeds) leave a fifth of each page free, so those updates can stay on the page (HOT) and touch
 * no index.
 *
 * Transactions reference customers with a composite foreign key (ON DELETE RESTRICT): besides the
 * service's 409, the database itself refuses to orphan a payment. No personal data lives here: the
 * payer's contact data is the customer's (encrypted); a card is kept as brand and last four digits.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE exchange_rates (
      merchant_id text NOT NULL REFERENCES brands (id),
      currency text NOT NULL,
      rate numeric(24, 12) NOT NULL CHECK (rate > 0),
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, currency)
    )`.execute(db);

  await sql`
    CREATE TABLE public_paths (
      kind text NOT NULL CHECK (kind IN ('pay', 'checkout', 'invoice')),
      key text NOT NULL,
      merchant_id text NOT NULL REFERENCES brands (id),
      target_id text NOT NULL,
      PRIMARY KEY (kind, key)
    )`.execute(db);

  await sql`
    CREATE TABLE brand_counters (
      merchant_id text NOT NULL REFERENCES brands (id),
      name text NOT NULL,
      value bigint NOT NULL,
      PRIMARY KEY (merchant_id, name)
    )`.execute(db);

  await sql`
    CREATE TABLE payment_links (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      slug text NOT NULL,
      title text NOT NULL,
      description text,
      currency text NOT NULL,
      amount_minor bigint CHECK (amount_minor > 0),
      min_amount_minor bigint CHECK (min_amount_minor > 0),
      max_amount_minor bigint CHECK (max_amount_minor > 0),
      active boolean NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX payment_links_slug ON payment_links (merchant_id, slug)`.execute(db);
  await sql`CREATE INDEX payment_links_newest ON payment_links (merchant_id, created_at DESC, id DESC)`.execute(db);

  await sql`
    CREATE TABLE checkout_sessions (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      token text NOT NULL,
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency text NOT NULL,
      description text,
      status text NOT NULL CHECK (status IN ('open', 'complete')),
      -- Set while a payment for it is with the gateway: the session is paid at most once.
      pending_transaction_id text,
      expires_at timestamptz NOT NULL,
      transaction_id text,
      customer_id text,
      created_at timestamptz NOT NULL,
      completed_at timestamptz,
      PRIMARY KEY (merchant_id, id)
    ) WITH (fillfactor = 80)`.execute(db);
  await sql`CREATE INDEX checkout_sessions_newest ON checkout_sessions (merchant_id, created_at DESC, id DESC)`.execute(
    db,
  );

  await sql`
    CREATE TABLE invoices (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      number bigint NOT NULL,
      status text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void')),
      customer_id text,
      currency text NOT NULL,
      line_items jsonb NOT NULL,
      total_minor bigint NOT NULL CHECK (total_minor > 0),
      memo text,
      due_date date,
      token text,
      pending_transaction_id text,
      transaction_id text,
      created_at timestamptz NOT NULL,
      finalized_at timestamptz,
      paid_at timestamptz,
      voided_at timestamptz,
      PRIMARY KEY (merchant_id, id),
      FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id) ON DELETE RESTRICT
    ) WITH (fillfactor = 80)`.execute(db);
  await sql`CREATE UNIQUE INDEX invoices_number ON invoices (merchant_id, number)`.execute(db);
  await sql`CREATE INDEX invoices_newest ON invoices (merchant_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX invoices_customer ON invoices (merchant_id, customer_id, created_at DESC, id DESC) WHERE customer_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE transactions (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      type text NOT NULL CHECK (type IN ('payment', 'refund')),
      status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded', 'partially_refunded')),
      source text NOT NULL CHECK (source IN ('checkout', 'payment_link', 'invoice')),
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency text NOT NULL,
      -- The amount in the brand's base currency at the rate in force when it succeeded.
      base_amount_minor bigint,
      base_currency text NOT NULL,
      exchange_rate numeric(24, 12),
      -- Payments: what refunds have taken back (pending refunds included, so two refunds can
      -- never take more than was paid), in the payment's currency and in the base currency.
      amount_refunded_minor bigint NOT NULL DEFAULT 0,
      base_amount_refunded_minor bigint NOT NULL DEFAULT 0,
      customer_id text,
      invoice_id text,
      payment_link_id text,
      checkout_session_id text,
      refunded_transaction_id text,
      gateway text NOT NULL,
      gateway_reference text,
      card_brand text,
      card_last4 text,
      failure_code text,
      failure_message text,
      created_at timestamptz NOT NULL,
      succeeded_at timestamptz,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, id),
      CHECK (amount_refunded_minor <= amount_minor),
      FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id) ON DELETE RESTRICT
    ) WITH (fillfactor = 80)`.execute(db);
  await sql`CREATE INDEX transactions_newest ON transactions (merchant_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX transactions_customer ON transactions (merchant_id, customer_id, created_at DESC, id DESC) WHERE customer_id IS NOT NULL`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
