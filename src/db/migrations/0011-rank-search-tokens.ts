import { sql, type Kysely } from 'kysely';

/**
 * Search in a ranked sort (issue 14): `customer_ranks` carries a copy of each customer's search
 * tokens and index key, so a walk of a sort's index tests the tokens on the rank row it already
 * reads, and looks up only the matches in `customers`. Before, each walked row cost a primary-key
 * lookup of `customers` (≈ 25 µs: text keys compared under the database's collation), and a common
 * term, sparse along the sort, took 1,000–4,000 of them a page (36–57 ms at 1M customers).
 * Triggers keep the copy, like the sort keys: on insert, on un-merge, and when a write re-seals
 * the tokens (an edit, an erase, a merge, an index key rotation).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE customer_ranks ADD COLUMN search_tokens integer[] NOT NULL DEFAULT '{}'`.execute(db);
  await sql`ALTER TABLE customer_ranks ADD COLUMN index_key_id integer`.execute(db);
  await sql`
    UPDATE customer_ranks r SET search_tokens = c.search_tokens, index_key_id = c.index_key_id
    FROM customers c WHERE c.merchant_id = r.merchant_id AND c.id = r.customer_id`.execute(db);

  await sql`
    CREATE OR REPLACE FUNCTION customers_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO customer_ranks (merchant_id, customer_id, total_spent_minor, transactions_count, last_payment_key,
        search_tokens, index_key_id)
      SELECT merchant_id, id, total_spent_minor, transactions_count, COALESCE(last_payment_at, '-infinity'),
        search_tokens, index_key_id
      FROM inserted_rows WHERE merged_into IS NULL;
      PERFORM customer_count_add(merchant_id, n)
      FROM (SELECT merchant_id, count(*) AS n FROM inserted_rows WHERE merged_into IS NULL GROUP BY merchant_id) c;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION customer_merged_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.merged_into IS NOT NULL THEN
        DELETE FROM customer_ranks WHERE merchant_id = NEW.merchant_id AND customer_id = NEW.id;
        PERFORM customer_count_add(NEW.merchant_id, -1);
      ELSE
        INSERT INTO customer_ranks (merchant_id, customer_id, total_spent_minor, transactions_count, last_payment_key,
          search_tokens, index_key_id)
        VALUES (NEW.merchant_id, NEW.id, NEW.total_spent_minor, NEW.transactions_count,
          COALESCE(NEW.last_payment_at, '-infinity'), NEW.search_tokens, NEW.index_key_id)
        ON CONFLICT DO NOTHING;
        PERFORM customer_count_add(NEW.merchant_id, 1);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION customer_tokens_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE customer_ranks SET search_tokens = NEW.search_tokens, index_key_id = NEW.index_key_id
      WHERE merchant_id = NEW.merchant_id AND customer_id = NEW.id;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER customer_tokens_changed AFTER UPDATE OF search_tokens, index_key_id ON customers FOR EACH ROW
    WHEN (OLD.search_tokens IS DISTINCT FROM NEW.search_tokens OR OLD.index_key_id IS DISTINCT FROM NEW.index_key_id)
    EXECUTE FUNCTION customer_tokens_changed()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0011-rank-search-tokens cannot be reverted');
}
