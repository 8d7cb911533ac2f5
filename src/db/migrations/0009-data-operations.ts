import { sql, type Kysely } from 'kysely';

/**
 * Customer data operations (issue 13): imports, duplicates and merge, erase.
 *
 * - `customers.name_bidx`: keyed PRF of the normalised name (its own index subkey), so duplicate
 *   candidates by equal name are found by grouping, without decrypting the brand. Null on rows sealed
 *   before this migration until the duplicates scan fills them in.
 * - `customers.merged_into` / `merged_at`: a merged customer stays as a pointer to its survivor; its
 *   contact data is wiped and its email index replaced by a random value, so the email and phone
 *   stop blocking new customers.
 * - `customers.erased_at`: an erased customer keeps its ledger and totals; its contact columns hold
 *   no ciphertext (empty), its email index is random, its search tokens empty.
 * - `customer_imports`: CSV import jobs and their report (problem rows only; no contact values).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE customers ADD COLUMN name_bidx bytea`.execute(db);
  await sql`ALTER TABLE customers ADD COLUMN merged_into text`.execute(db);
  await sql`ALTER TABLE customers ADD COLUMN merged_at timestamptz`.execute(db);
  await sql`ALTER TABLE customers ADD COLUMN erased_at timestamptz`.execute(db);
  await sql`ALTER TABLE customers ADD CONSTRAINT customers_merged_into_fk
    FOREIGN KEY (merchant_id, merged_into) REFERENCES customers (merchant_id, id)`.execute(db);
  await sql`ALTER TABLE customers ADD CONSTRAINT customers_merged_not_self CHECK (merged_into IS NULL OR merged_into <> id)`.execute(
    db,
  );
  await sql`CREATE INDEX customers_name_bidx ON customers (merchant_id, name_bidx) WHERE name_bidx IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX customers_merged_into ON customers (merchant_id, merged_into) WHERE merged_into IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE customer_imports (
      merchant_id text NOT NULL REFERENCES brands (id),
      id text NOT NULL,
      status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
      mode text NOT NULL CHECK (mode IN ('all_or_nothing', 'skip_invalid')),
      update_existing boolean NOT NULL,
      dry_run boolean NOT NULL,
      filename text,
      actor_type text NOT NULL,
      actor_id text NOT NULL,
      rows_total integer,
      rows_done integer NOT NULL DEFAULT 0,
      imported integer NOT NULL DEFAULT 0,
      updated integer NOT NULL DEFAULT 0,
      skipped integer NOT NULL DEFAULT 0,
      failed integer NOT NULL DEFAULT 0,
      -- Column mapping used, unknown columns, and the problem rows: [{line, field, reason, status}]
      report jsonb NOT NULL DEFAULT '{}'::jsonb,
      error text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      finished_at timestamptz,
      PRIMARY KEY (merchant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX customer_imports_newest ON customer_imports (merchant_id, created_at DESC, id DESC)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('0009-data-operations cannot be reverted');
}
