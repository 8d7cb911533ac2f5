import { sql, type Kysely } from 'kysely';

// Every brand-owned table is keyed by merchant_id first (DESIGN.md "Scale-out"): primary keys,
// unique keys and hot indexes all lead with it so the schema can be distributed by brand.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS intarray`.execute(db);

  await sql`
    CREATE TABLE keyring_state (
      id smallint PRIMARY KEY CHECK (id = 1),
      master_fingerprint text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE brands (
      id text PRIMARY KEY,
      name text NOT NULL,
      country char(2) NOT NULL,
      base_currency char(3) NOT NULL,
      settings jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // Per-brand keys wrapped by the master key. purpose 'data' encrypts fields; 'index' derives the
  // blind index and search tokens, so data-key rotation never touches uniqueness.
  await sql`
    CREATE TABLE brand_keys (
      merchant_id text NOT NULL REFERENCES brands (id),
      key_id integer NOT NULL,
      purpose text NOT NULL CHECK (purpose IN ('data', 'index')),
      state text NOT NULL CHECK (state IN ('active', 'decrypt_only', 'retired')),
      wrapped_key bytea,
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz,
      PRIMARY KEY (merchant_id, key_id)
    )`.execute(db);
  await sql`
    CREATE UNIQUE INDEX brand_keys_one_active ON brand_keys (merchant_id, purpose) WHERE state = 'active'
  `.execute(db);

  // Looked up by token hash before the brand is known, so this one unique key is global.
  await sql`
    CREATE TABLE api_keys (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      name text NOT NULL,
      role text NOT NULL,
      token_hash bytea NOT NULL,
      token_hint text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      last_used_at timestamptz,
      PRIMARY KEY (merchant_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX api_keys_token_hash ON api_keys (token_hash)`.execute(db);

  await sql`
    CREATE TABLE customers (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      name_enc bytea NOT NULL,
      email_enc bytea NOT NULL,
      phone_enc bytea,
      email_bidx bytea NOT NULL,
      phone_bidx bytea,
      search_tokens integer[] NOT NULL DEFAULT '{}',
      data_key_id integer NOT NULL,
      index_key_id integer NOT NULL,
      metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
      source text NOT NULL,
      transactions_count integer NOT NULL DEFAULT 0,
      total_spent_minor bigint NOT NULL DEFAULT 0,
      last_payment_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (merchant_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX customers_email_bidx ON customers (merchant_id, email_bidx)`.execute(db);
  await sql`CREATE INDEX customers_phone_bidx ON customers (merchant_id, phone_bidx) WHERE phone_bidx IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX customers_newest ON customers (merchant_id, created_at DESC, id DESC)`.execute(db);
  // Rotation and index rebuilds find the rows still under an old key through these.
  await sql`CREATE INDEX customers_data_key ON customers (merchant_id, data_key_id)`.execute(db);
  await sql`CREATE INDEX customers_index_key ON customers (merchant_id, index_key_id)`.execute(db);
  // gin__int_ops: intarray's operator class, because installing intarray rebinds @> on int4[].
  await sql`CREATE INDEX customers_search_tokens ON customers USING gin (search_tokens gin__int_ops)`.execute(db);

  // An Idempotency-Key is claimed in the same transaction as the work it guards; a concurrent
  // retry waits on the primary key and then replays. Only the outcome is kept, no personal data.
  await sql`
    CREATE TABLE idempotency_keys (
      merchant_id text NOT NULL REFERENCES brands (id),
      key text NOT NULL,
      request_hash bytea NOT NULL,
      status_code integer,
      resource_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (merchant_id, key)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
