import { afterAll, beforeAll, expect, it } from 'vitest';
import { deleteCustomer } from '../../src/modules/customers/customer.repository.js';
import { describeBackends } from '../support/backends.js';
import { newCustomer } from '../support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../support/harness.js';
import { createPaymentLink, pay, payer } from '../support/payments.js';

/*
 * The rules the services enforce also have a net underneath, in the database: these tests take the
 * service away (they write through the repository or raw SQL) and prove the net holds on its own.
 * The third net, the per-brand keys that stop a row read in the wrong brand from decrypting, is
 * proved in test/encryption-at-rest.test.ts ("a whole row moved to another brand …").
 */
describeBackends('database nets under the service rules (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
  });
  afterAll(() => pd.close());

  async function payingCustomer(): Promise<string> {
    const link = await createPaymentLink(pd, brand);
    const paid = await pay(pd, link.url, payer());
    expect(paid.statusCode, paid.body).toBe(200);
    return paid.json<{ customer_id: string }>().customer_id;
  }

  it('a customer with transactions cannot be deleted even without the service check (foreign key)', async () => {
    const customerId = await payingCustomer();
    const error = await deleteCustomer(pd.database.db, brand.id, customerId).then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    expect(error?.code).toBe('23503');
    const [row] = await pd.rawQuery('SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1 AND id = $2', [
      brand.id,
      customerId,
    ]);
    expect(row?.n).toBe(1);
    const [ledger] = await pd.rawQuery(
      'SELECT count(*)::int AS n FROM transactions WHERE merchant_id = $1 AND customer_id = $2',
      [brand.id, customerId],
    );
    expect(ledger?.n).toBe(1);
  });

  it('a second row with the same email index in a brand is refused by the unique index', async () => {
    const customer = await newCustomer(pd, brand);
    const error = await pd
      .rawQuery(
        `INSERT INTO customers
           SELECT (jsonb_populate_record(c, jsonb_build_object('id', 'cus_duplicate_by_sql'))).*
           FROM customers c WHERE c.merchant_id = $1 AND c.id = $2`,
        [brand.id, customer.id],
      )
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
    expect(error?.code).toBe('23505');
    const rows = await pd.rawQuery('SELECT id FROM customers WHERE merchant_id = $1 AND id = $2', [
      brand.id,
      'cus_duplicate_by_sql',
    ]);
    expect(rows).toEqual([]);
  });

  it('the same email in two brands gets two different index values (per-brand index keys)', async () => {
    const other = await pd.newBrand();
    const email = `shared.${Date.now()}@example.com`;
    const a = await newCustomer(pd, brand, { email });
    const b = await newCustomer(pd, other, { email });
    const rows = await pd.rawQuery('SELECT encode(email_bidx, $1) AS bidx FROM customers WHERE id IN ($2, $3)', [
      'hex',
      a.id,
      b.id,
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.bidx).not.toBe(rows[1]?.bidx);
  });
});
