import { sql, type Kysely } from 'kysely';

/**
 * customer_count_add becomes PL/pgSQL, with the same statement. A SQL-language function that writes
 * cannot be inlined, so PostgreSQL parsed and planned its INSERT … ON CONFLICT on every call: once
 * for every create, through the customers_inserted trigger, and again on delete and merge. PL/pgSQL
 * keeps the plan for the session. `npm run bench -- create-sql` (the create's own statement in a
 * loop inside the database): a median of 465 µs of PostgreSQL's time a create before, 425 after.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION customer_count_add(brand text, delta bigint) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO customer_counts (merchant_id, slot, customers) VALUES (brand, pg_backend_pid() % 16, delta)
      ON CONFLICT (merchant_id, slot) DO UPDATE SET customers = customer_counts.customers + EXCLUDED.customers;
    END $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
