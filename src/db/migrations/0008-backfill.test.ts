import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { reopenableDatabase, type ReopenableDatabase } from '../../../test/support/databases.js';
import type { DatabaseHandle } from '../database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

// Customers from before the timeline do not start with an empty one: migration 0008 writes their
// creation, payments, refunds and invoices from the rows that exist, once.
describeBackends('migration 0008 backfills the timeline (%s)', (backend) => {
  let store: ReopenableDatabase;
  let database: DatabaseHandle;
  const run = async (text: string, params: unknown[] = []) =>
    (await database.db.executeQuery(CompiledQuery.raw(text, params))).rows as Record<string, unknown>[];

  beforeAll(async () => {
    store = await reopenableDatabase(backend);
    database = await store.open();
    await migrateTo(database.db, '0007-brands-users-orders');
    const b = 'brd_0000000000000000000000000b';
    const c = 'cus_000000000000000000000000c1';
    await run(`INSERT INTO brands (id, name, country, base_currency) VALUES ($1, 'Old Brand', 'BD', 'BDT')`, [b]);
    await run(
      `INSERT INTO brand_keys (merchant_id, key_id, purpose, state, wrapped_key)
       VALUES ($1, 1, 'data', 'active', '\\x00'), ($1, 2, 'index', 'active', '\\x00')`,
      [b],
    );
    await run(
      `INSERT INTO customers (merchant_id, id, name_enc, email_enc, email_bidx, data_key_id, index_key_id, source,
         transactions_count, total_spent_minor, created_at, updated_at)
       VALUES ($1, $2, '\\x01', '\\x02', '\\x03', 1, 2, 'payment_link', 1, 9000, '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z')`,
      [b, c],
    );
    await run(
      `INSERT INTO transactions (merchant_id, id, type, status, source, amount_minor, currency, base_amount_minor,
         base_currency, customer_id, gateway, created_at, succeeded_at, updated_at, refunded_transaction_id)
       VALUES ($1, 'txn_0000000000000000000000000p', 'payment', 'partially_refunded', 'payment_link', 10000, 'BDT', 10000,
         'BDT', $2, 'test', '2026-01-02T10:00:00Z', '2026-01-02T10:00:00Z', '2026-01-02T10:00:00Z', NULL),
              ($1, 'txn_0000000000000000000000000r', 'refund', 'succeeded', 'payment_link', 1000, 'BDT', 1000,
         'BDT', $2, 'test', '2026-01-03T10:00:00Z', '2026-01-03T10:00:00Z', '2026-01-03T10:00:00Z', 'txn_0000000000000000000000000p'),
              ($1, 'txn_0000000000000000000000000f', 'payment', 'failed', 'payment_link', 10000, 'BDT', NULL,
         'BDT', $2, 'test', '2026-01-04T10:00:00Z', NULL, '2026-01-04T10:00:00Z', NULL)`,
      [b, c],
    );
    await run(
      `INSERT INTO invoices (merchant_id, id, number, status, customer_id, currency, line_items, total_minor, created_at,
         finalized_at, voided_at)
       VALUES ($1, 'inv_00000000000000000000000001', 1, 'void', $2, 'BDT', '[]', 500, '2026-01-05T10:00:00Z',
         '2026-01-05T11:00:00Z', '2026-01-06T10:00:00Z')`,
      [b, c],
    );
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.close();
    await store?.destroy();
  });

  it('writes the creation, the succeeded payment and refund, and the invoice issued and voided, in time order', async () => {
    const events = await run(
      `SELECT type, refs, created_at FROM customer_events WHERE customer_id = 'cus_000000000000000000000000c1'
       ORDER BY created_at, id`,
    );
    expect(events.map((e) => e.type)).toEqual([
      'customer.created',
      'payment.succeeded',
      'refund.created',
      'invoice.issued',
      'invoice.voided',
    ]);
    expect(events[0]!.refs).toEqual({ source: 'payment_link' });
    expect(events[1]!.refs).toMatchObject({ amount: '10000', currency: 'BDT', source: 'payment_link' });
    expect(events[2]!.refs).toMatchObject({
      transaction: 'txn_0000000000000000000000000r',
      payment: 'txn_0000000000000000000000000p',
    });
    const ids = await run(`SELECT id FROM customer_events`);
    for (const { id } of ids) expect(id).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{26}$/);
  });
});
