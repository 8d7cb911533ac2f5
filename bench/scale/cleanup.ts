import type pg from 'pg';

/**
 * Takes out what a run's writes added to a brand (customers, their events, payments, checkout
 * sessions, webhook events), so every run reads the dataset the seed built. The seed's rows are all
 * older than `since`; a floor's replayed inserts carry the captured request's timestamps, which are
 * not. Their sealed fields were bound to another id and would not decrypt: they must not stay.
 */
export async function forgetWritesSince(pool: pg.Pool, merchantId: string, since: Date): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM transactions WHERE merchant_id = $1 AND created_at >= $2', [merchantId, since]);
    await client.query(
      `DELETE FROM public_paths p USING checkout_sessions s
       WHERE p.merchant_id = $1 AND p.kind = 'checkout' AND p.key = s.token
         AND s.merchant_id = $1 AND s.created_at >= $2`,
      [merchantId, since],
    );
    await client.query('DELETE FROM checkout_sessions WHERE merchant_id = $1 AND created_at >= $2', [
      merchantId,
      since,
    ]);
    // Events, ranks and tag links go with their customer (ON DELETE CASCADE); the counter by trigger.
    const customers = await client.query('DELETE FROM customers WHERE merchant_id = $1 AND created_at >= $2', [
      merchantId,
      since,
    ]);
    await client.query('DELETE FROM webhook_events WHERE merchant_id = $1 AND created_at >= $2', [merchantId, since]);
    await client.query('COMMIT');
    // Without autovacuum the deleted rows would stay in every index. The run's customers are the
    // brand's newest: three runs in, the next run's first list page walked past 54,000 dead rows
    // first (the list at 16 clients 250–280 req/s, 638 on the fresh seed), and 107,000 dead webhook
    // events sat in the dispatcher's every poll. VACUUM takes them out. It also refreshes the tables' row counts
    // (pg_class), but runs no ANALYZE: the planner still has no column statistics.
    await client.query(
      'VACUUM customers, customer_ranks, customer_events, customer_tag_links, transactions, checkout_sessions, public_paths, webhook_events',
    );
    return customers.rowCount ?? 0;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
