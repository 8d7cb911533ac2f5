import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectInvalidFields, expectProblem, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  CARDS,
  createCheckout,
  customerCount,
  fetchJson,
  ledgerRows,
  paid,
  pay,
  payer,
  type CheckoutSessionJson,
  type TransactionJson,
} from '../../../test/support/payments.js';

// The public checkout flow end to end: /checkout/{token} is paid once, declines leave it payable,
// and an expired session takes no money and writes no transaction.
describeBackends('checkout flow (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand({ name: 'Checkout Brand' });
  });
  afterAll(() => pd.close());

  const session = (id: string) => fetchJson<CheckoutSessionJson>(pd, brand, `/checkout-sessions/${id}`);
  const transaction = (id: string) => fetchJson<TransactionJson>(pd, brand, `/transactions/${id}`);
  const publicView = (token: string) => pd.request(undefined, { method: 'GET', url: `/api/public/checkout/${token}` });

  it('shows the session publicly, takes one payment and registers the payer as a checkout customer', async () => {
    const created = await createCheckout(pd, brand, { amount: 75000, description: 'Order #17' });
    expect(created).toMatchObject({
      object: 'checkout_session',
      status: 'open',
      amount: { amount: 75000, currency: 'BDT' },
      transaction_id: null,
    });
    expect(created.url).toBe(`/checkout/${created.token}`);
    expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(60 * 60_000);

    const page = await publicView(created.token);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toEqual({
      brand_name: 'Checkout Brand',
      description: 'Order #17',
      amount: { amount: 75000, currency: 'BDT' },
      status: 'open',
      expires_at: created.expires_at,
    });

    const body = payer({ phone: '01712345678' });
    const result = paid(await pay(pd, created.url, body));
    expect(result.amount).toEqual({ amount: 75000, currency: 'BDT' });
    expect(result.customer_id).toMatch(/^cus_/);
    expect(result.transaction_id).toMatch(/^txn_/);

    const after = await session(created.id);
    expect(after).toMatchObject({
      status: 'complete',
      transaction_id: result.transaction_id,
      customer_id: result.customer_id,
    });
    expect(after.completed_at).not.toBeNull();
    expect((await publicView(created.token)).json()).toMatchObject({ status: 'complete' });

    const customer = await fetchJson<CustomerJson>(pd, brand, `/customers/${result.customer_id}`);
    expect(customer).toMatchObject({
      name: body.name,
      email: body.email,
      phone: '+8801712345678',
      source: 'checkout',
      transactions_count: 1,
      total_spent: { amount: 75000, currency: 'BDT' },
    });
    expect(customer.last_payment_at).not.toBeNull();

    expect(await transaction(result.transaction_id)).toMatchObject({
      type: 'payment',
      status: 'succeeded',
      source: 'checkout',
      amount: { amount: 75000, currency: 'BDT' },
      base_amount: { amount: 75000, currency: 'BDT' },
      exchange_rate: null,
      amount_refunded: { amount: 0, currency: 'BDT' },
      customer_id: result.customer_id,
      customer_name: body.name,
      checkout_session_id: created.id,
      payment_link_id: null,
      invoice_id: null,
      gateway: 'test',
      gateway_reference: expect.stringMatching(/\S/),
      card: { brand: 'visa', last4: '4242' },
      failure_code: null,
    });

    const again = await pay(pd, created.url, payer());
    const problem = expectProblem(again, 409, 'checkout_completed');
    expect(problem.transaction_id).toBeUndefined();
    expect(await ledgerRows(pd, brand, 'checkout_session_id = $2', [created.id])).toHaveLength(1);
  });

  it('answers a declined card with 402 and a failed transaction, and leaves the session payable', async () => {
    const created = await createCheckout(pd, brand);
    const customersBefore = await customerCount(pd, brand);

    const declined = await pay(pd, created.url, payer({ card: CARDS.declined }));
    const problem = expectProblem(declined, 402, 'card_declined');
    expect(problem.transaction_id).toMatch(/^txn_/);
    expect(problem.decline_code).toBe('card_declined');
    expect(await transaction(problem.transaction_id as string)).toMatchObject({
      type: 'payment',
      status: 'failed',
      failure_code: 'card_declined',
      customer_id: null,
      checkout_session_id: created.id,
      card: { brand: 'visa', last4: '0002' },
      succeeded_at: null,
      base_amount: null,
    });
    expect(await session(created.id)).toMatchObject({ status: 'open', transaction_id: null, customer_id: null });
    expect(await customerCount(pd, brand)).toBe(customersBefore);

    const broke = expectProblem(
      await pay(pd, created.url, payer({ card: CARDS.insufficientFunds })),
      402,
      'card_declined',
    );
    expect(broke.decline_code).toBe('insufficient_funds');

    const result = paid(await pay(pd, created.url, payer()));
    expect(await session(created.id)).toMatchObject({ status: 'complete', transaction_id: result.transaction_id });
    const rows = await ledgerRows(pd, brand, 'checkout_session_id = $2', [created.id]);
    expect(rows.map((r) => r.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(await customerCount(pd, brand)).toBe(customersBefore + 1);
  });

  it('answers a gateway failure after a delay with 402 payment_failed and releases the session', async () => {
    const created = await createCheckout(pd, brand);
    const failed = await pay(pd, created.url, payer({ card: CARDS.slowFailure }));
    const problem = expectProblem(failed, 402, 'payment_failed');
    expect(problem.decline_code).toBe('processing_error');
    expect(await transaction(problem.transaction_id as string)).toMatchObject({
      status: 'failed',
      failure_code: 'processing_error',
      gateway_reference: null,
      customer_id: null,
    });
    const [row] = await pd.rawQuery('SELECT pending_transaction_id FROM checkout_sessions WHERE id = $1', [created.id]);
    expect(row?.pending_transaction_id).toBeNull();
    paid(await pay(pd, created.url, payer()));
  });

  it('expires: shows expired, refuses payment with 410 and writes no transaction', async () => {
    const created = await createCheckout(pd, brand, { expires_in_minutes: 5 });
    expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(5 * 60_000);
    // ctx.clock is frozen into the context: move the session's expiry into the past instead.
    await pd.rawQuery(`UPDATE checkout_sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      created.id,
    ]);
    const customersBefore = await customerCount(pd, brand);

    expect(await session(created.id)).toMatchObject({ status: 'expired', transaction_id: null });
    const page = await publicView(created.token);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({ status: 'expired' });

    expectProblem(await pay(pd, created.url, payer()), 410, 'checkout_expired');
    expectProblem(await pay(pd, created.url, payer({ card: CARDS.declined })), 410, 'checkout_expired');
    expect(await ledgerRows(pd, brand, 'checkout_session_id = $2', [created.id])).toHaveLength(0);
    expect(await customerCount(pd, brand)).toBe(customersBefore);
  });

  it('refuses a second payment while one is with the gateway (409 payment_in_progress)', async () => {
    const created = await createCheckout(pd, brand);
    await pd.rawQuery('UPDATE checkout_sessions SET pending_transaction_id = $2 WHERE id = $1', [
      created.id,
      'txn_inflight',
    ]);
    expectProblem(await pay(pd, created.url, payer()), 409, 'payment_in_progress');
    expect(await ledgerRows(pd, brand, 'checkout_session_id = $2', [created.id])).toHaveLength(0);
  });

  it('refuses an amount other than the session amount, and unknown tokens', async () => {
    const created = await createCheckout(pd, brand, { amount: 50000 });
    expectInvalidFields(await pay(pd, created.url, payer({ amount: 1 })), ['amount']);
    paid(await pay(pd, created.url, payer({ amount: 50000 })));

    expectProblem(await publicView('no-such-token'), 404, 'checkout_not_found');
    expectProblem(await pay(pd, '/checkout/no-such-token', payer()), 404, 'checkout_not_found');
  });
});
