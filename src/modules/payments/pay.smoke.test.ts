import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { createCheckout, createPaymentLink, pay, payer } from '../../../test/support/payments.js';

describeBackends('payment smoke (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand();
  });
  afterAll(() => pd.close());

  it('pays a payment link and registers the customer', async () => {
    const link = await createPaymentLink(pd, brand);
    const body = payer();
    const paid = await pay(pd, link.url, body);
    expect(paid.statusCode, paid.body).toBe(200);
    const { customer_id } = paid.json<{ customer_id: string }>();
    const customer = await pd.request(brand.token, { method: 'GET', url: `/api/v1/customers/${customer_id}` });
    expect(customer.json()).toMatchObject({
      email: body.email,
      transactions_count: 1,
      total_spent: { amount: 150000 },
      source: 'payment_link',
    });
    const again = await pay(pd, link.url, { ...body, name: 'Other name', phone: '01711111111' });
    expect(again.json().customer_id).toBe(customer_id);
    const after = await pd.request(brand.token, { method: 'GET', url: `/api/v1/customers/${customer_id}` });
    expect(after.json()).toMatchObject({
      name: body.name,
      phone: '+8801711111111',
      transactions_count: 2,
      total_spent: { amount: 300000 },
    });
  });

  it('completes a checkout once', async () => {
    const session = await createCheckout(pd, brand);
    const first = await pay(pd, session.url, payer());
    expect(first.statusCode, first.body).toBe(200);
    const second = await pay(pd, session.url, payer());
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('checkout_completed');
  });
});
