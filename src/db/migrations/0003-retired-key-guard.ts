import { sql, type Kysely } from 'kysely';

/**
 * A customer row may only be written under a brand key that still exists. Key rotation retires
 * (destroys) an old key once no row uses it, after waiting out every server's key cache; this
 * trigger closes the last gap, a writer that still held the old key when it was retired. Such a
 * write fails loudly instead of storing a row nobody can ever decrypt again.
 *
 * Per statement, over the rows it wrote (a transition table), so a bulk insert checks each
 * (brand, key) once rather than twice per row. FOR KEY SHARE is the lock a foreign-key check
 * takes: writers do not block one another, the retiring transaction's FOR UPDATE on the key row
 * waits for writers in flight (then sees their rows), and later writers wait for it (then, in the
 * next statement's fresh snapshot, see the key retired and fail).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION paydesk_customer_keys_live() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      dead record;
    BEGIN
      PERFORM 1 FROM brand_keys k
        WHERE (k.merchant_id, k.key_id) IN (
          SELECT merchant_id, data_key_id FROM written UNION SELECT merchant_id, index_key_id FROM written)
        FOR KEY SHARE;
      SELECT w.purpose, w.key_id, w.merchant_id INTO dead
        FROM (SELECT DISTINCT merchant_id, data_key_id AS key_id, 'data' AS purpose FROM written
              UNION SELECT DISTINCT merchant_id, index_key_id, 'index' FROM written) AS w
        WHERE NOT EXISTS (
          SELECT 1 FROM brand_keys k
          WHERE k.merchant_id = w.merchant_id AND k.key_id = w.key_id AND k.purpose = w.purpose AND k.state <> 'retired')
        LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION '% key % of brand % is retired or unknown', dead.purpose, dead.key_id, dead.merchant_id
          USING ERRCODE = 'PDK01';
      END IF;
      RETURN NULL;
    END
    $$`.execute(db);
  // Transition tables allow one event per trigger, hence two.
  await sql`
    CREATE TRIGGER customers_keys_live_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION paydesk_customer_keys_live()`.execute(db);
  await sql`
    CREATE TRIGGER customers_keys_live_update AFTER UPDATE ON customers
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION paydesk_customer_keys_live()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Paydesk migrations are forward-only');
}
