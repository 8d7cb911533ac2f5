import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { newOrder, orderCheckout, ordersApi, type OrderJson } from '../../../test/support/orders.js';
import { fetchJson, pay, payer } from '../../../test/support/payments.js';

// An order is paid at most once, whatever races its card payment: a cancel, or cash recorded by
// staff at the same moment. The gateway is slowed so the requests overlap.
describeBackends('order races (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;

  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '30' });
    brand = await pd.newBrand({ name: 'Racing Orders' });
  });
  afterAll(() => pd.close());

  const succeededPayments = (orderId: string) =>
    pd.rawQuery("SELECT id FROM transactions WHERE order_id = $1 AND type = 'payment' AND status = 'succeeded'", [
      orderId,
    ]);

  for (const rival of ['cancel', 'cash'] as const) {
    it(`a card payment and a ${rival} at once: exactly one wins`, async () => {
      for (let round = 0; round < 5; round++) {
        const order = await newOrder(pd, brand);
        const session = await orderCheckout(pd, brand, order.id);
        const api = ordersApi(pd, brand.token);
        const [card, other] = await Promise.all([
          pay(pd, session.url, payer()),
          rival === 'cancel' ? api.cancel(order.id) : api.recordPayment(order.id),
        ]);
        const final = await fetchJson<OrderJson>(pd, brand, `/orders/${order.id}`);
        expect(await succeededPayments(order.id)).toHaveLength(final.status === 'paid' ? 1 : 0);
        if (card.statusCode === 200) {
          expect(other.statusCode, other.body).toBe(409);
          expect(final).toMatchObject({ status: 'paid', payment_method: 'card' });
        } else {
          expect(card.statusCode, card.body).toBe(409);
          expect(other.statusCode, other.body).toBe(200);
          expect(final.status).toBe(rival === 'cancel' ? 'cancelled' : 'paid');
        }
        const customer = await fetchJson<CustomerJson>(pd, brand, `/customers/${order.customer}`);
        expect(customer.transactions_count).toBe(final.status === 'paid' ? 1 : 0);
      }
    });
  }
});
