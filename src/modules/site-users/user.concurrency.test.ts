import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  createCheckout,
  createPaymentLink,
  customerCount,
  pay,
  payer,
  v1,
  type PayResultJson,
} from '../../../test/support/payments.js';
import { orderBody, type OrderJson } from '../../../test/support/orders.js';
import { registerUser, registration, type SiteUserJson } from '../../../test/support/users.js';

// Every source goes through the brand's one unique email index: registrations racing payments for
// one new email still make one customer. On PostgreSQL the pool really interleaves them.
describeBackends('registrations racing payments (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '5' });
    brand = await pd.newBrand();
  });
  afterAll(() => pd.close());

  it('50 concurrent registrations, checkouts, payment-link payments and orders for one new email make one customer', async () => {
    const email = `race.${Date.now()}@example.com`;
    const link = await createPaymentLink(pd, brand, { amount: 1000 });
    const checkouts = await Promise.all(Array.from({ length: 10 }, () => createCheckout(pd, brand, { amount: 2000 })));
    const requests = Array.from({ length: 50 }, (_, i) => {
      if (i % 5 === 0) return pay(pd, `/checkout/${checkouts[i / 5]!.token}`, payer({ email }));
      if (i % 5 === 1) return pay(pd, link.url, payer({ email: email.toUpperCase() }));
      if (i % 5 === 2)
        return v1(pd, brand.token).post('/orders', orderBody({ customer_details: { email, name: 'Racer' } }));
      // Different accounts with one email (the merchant's site allows it) and repeats of one account.
      return registerUser(pd, brand.token, registration({ email, external_id: `race-${i % 4}` }));
    });
    const responses = await Promise.all(requests);
    for (const response of responses) expect([200, 201], response.body).toContain(response.statusCode);
    const kinds = responses.map((r) => r.json<{ object?: string }>().object ?? 'payment');
    const ofKind = (kind: string) => responses.filter((_, i) => kinds[i] === kind);

    expect(await customerCount(pd, brand)).toBe(1);
    const [row] = await pd.rawQuery('SELECT id, user_id, transactions_count FROM customers WHERE merchant_id = $1', [
      brand.id,
    ]);
    const paidTo = new Set(ofKind('payment').map((r) => r.json<PayResultJson>().customer_id));
    expect([...paidTo]).toEqual([row!.id]);
    expect(row!.transactions_count).toBe(20);
    const orderedBy = ofKind('order').map((r) => r.json<OrderJson>().customer);
    expect(orderedBy).toEqual(Array(10).fill(row!.id));

    // Four accounts registered; exactly one of them holds the customer.
    const users = ofKind('user').map((r) => r.json<SiteUserJson>());
    expect(new Set(users.map((u) => u.id)).size).toBe(4);
    const linked = await pd.rawQuery(
      'SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1 AND user_id IS NOT NULL',
      [brand.id],
    );
    expect(linked[0]!.n).toBe(1);
    const accounts = await pd.rawQuery('SELECT count(*)::int AS n FROM site_users WHERE merchant_id = $1', [brand.id]);
    expect(accounts[0]!.n).toBe(4);
  });
});
