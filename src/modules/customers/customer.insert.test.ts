import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { newId } from '../../ids.js';
import { customerEventFor } from '../timeline/index.js';
import { insertNewCustomer } from './customer.repository.js';
import { sealContact } from './customer.seal.js';
import type { NewCustomerRow } from './customer.table.js';

// A create without an Idempotency-Key is one statement: the customer and its event commit together.
describeBackends('a new customer in one statement (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
  });
  afterAll(() => pd?.close());

  async function newRow(email: string): Promise<NewCustomerRow> {
    const keys = await pd.ctx.keyring.forBrand(pd.ctx.db, brand.id);
    const id = newId('cus');
    const now = new Date();
    return {
      merchant_id: brand.id,
      id,
      ...sealContact(keys, brand.id, id, { name: 'Nadia Islam', email, phone: null }),
      metadata: '{}',
      source: 'api',
      created_at: now,
      updated_at: now,
    };
  }

  const createdEvent = (row: NewCustomerRow) => (inserted: RawBuilder<unknown>) =>
    customerEventFor({
      customer: inserted,
      event: {
        merchantId: row.merchant_id,
        type: 'customer.created',
        actor: { type: 'api_key', id: 'key_test' },
        refs: { source: 'api' },
        at: row.created_at,
      },
    });

  async function stored(id: string) {
    const [row] = await pd.rawQuery(
      `SELECT (SELECT count(*)::int FROM customers WHERE merchant_id = $1 AND id = $2) AS customers,
        (SELECT count(*)::int FROM customer_events WHERE merchant_id = $1 AND customer_id = $2) AS events`,
      [brand.id, id],
    );
    return row;
  }

  it('writes the customer and its event', async () => {
    const row = await newRow('nadia.one@example.com');
    expect(await insertNewCustomer(pd.ctx.db, row, createdEvent(row))).toBe(true);
    expect(await stored(row.id)).toEqual({ customers: 1, events: 1 });
  });

  it('writes nothing, not even the event, when the brand has the email', async () => {
    const first = await newRow('nadia.two@example.com');
    await insertNewCustomer(pd.ctx.db, first, createdEvent(first));
    const second = await newRow('nadia.two@example.com');
    expect(await insertNewCustomer(pd.ctx.db, second, createdEvent(second))).toBe(false);
    expect(await stored(second.id)).toEqual({ customers: 0, events: 0 });
  });

  it('leaves no customer behind when a write beside it fails', async () => {
    const row = await newRow('nadia.three@example.com');
    // An event without an id: the statement fails on its NOT NULL constraint, after the insert.
    const failing = (inserted: RawBuilder<unknown>) =>
      sql`INSERT INTO customer_events (merchant_id, id, customer_id, type, actor_type, actor_id, refs, created_at)
        SELECT ${brand.id}, NULL, c.id, 'customer.created', 'system', 'test', '{}'::jsonb, now() FROM (${inserted}) AS c
        RETURNING id`;
    await expect(insertNewCustomer(pd.ctx.db, row, failing)).rejects.toThrow(/null value|not-null/i);
    expect(await stored(row.id)).toEqual({ customers: 0, events: 0 });
  });
});
