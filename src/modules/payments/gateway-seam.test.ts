import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectProblem, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  createCheckout,
  createPaymentLink,
  fetchJson,
  ledgerRows,
  paid,
  pay,
  payer,
  refund,
  type CheckoutSessionJson,
  type TransactionJson,
} from '../../../test/support/payments.js';
import type { RefundRequest } from '../../gateways/gateway.js';

// The payment flow only talks to the PaymentGateway interface: these tests stand in for a real
// provider at that seam (what it is asked, and a provider that throws or refuses a refund).
describeBackends('payment gateway seam (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let link: { url: string };
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand();
    link = await createPaymentLink(pd, brand, { amount: 100000 });
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => pd.close());

  const transaction = (id: string) => fetchJson<TransactionJson>(pd, brand, `/transactions/${id}`);
  const customer = (id: string) => fetchJson<CustomerJson>(pd, brand, `/customers/${id}`);

  it('asks the provider with the transaction id as idempotency key, the amount and the card digits', async () => {
    const charge = vi.spyOn(pd.ctx.gateway, 'charge');
    const refundCall = vi.spyOn(pd.ctx.gateway, 'refund');
    const session = await createCheckout(pd, brand, { amount: 4321, description: 'Order 9' });
    const result = paid(
      await pay(
        pd,
        session.url,
        payer({ card: { number: '4242 4242 4242 4242', exp_month: 3, exp_year: 41, cvc: '987' } }),
      ),
    );

    expect(charge).toHaveBeenCalledTimes(1);
    expect(charge.mock.calls[0]![0]).toMatchObject({
      idempotencyKey: result.transaction_id,
      amount: { amount: 4321, currency: 'BDT' },
      card: { number: '4242424242424242', expMonth: 3, expYear: 2041, cvc: '987' },
      description: 'Order 9',
    });
    const outcome = await charge.mock.results[0]!.value;
    const payment = await transaction(result.transaction_id);
    expect(payment.gateway_reference).toBe(outcome.reference);

    const refunded = await refund(pd, brand.token, result.transaction_id, 1000);
    expect(refunded.statusCode, refunded.body).toBe(201);
    expect(refundCall.mock.calls[0]![0]).toEqual({
      idempotencyKey: refunded.json<TransactionJson>().id,
      chargeReference: payment.gateway_reference,
      amount: { amount: 1000, currency: 'BDT' },
    });
  });

  it('records a provider that throws as a failed payment (402) and releases the checkout', async () => {
    vi.spyOn(pd.ctx.gateway, 'charge').mockRejectedValueOnce(new Error('socket hang up'));
    const session = await createCheckout(pd, brand);
    const problem = expectProblem(await pay(pd, session.url, payer()), 402, 'payment_failed');
    expect(problem.decline_code).toBe('gateway_error');
    expect(problem.detail).not.toContain('socket');
    expect(await transaction(problem.transaction_id as string)).toMatchObject({
      status: 'failed',
      failure_code: 'gateway_error',
      customer_id: null,
    });
    expect(await fetchJson<CheckoutSessionJson>(pd, brand, `/checkout-sessions/${session.id}`)).toMatchObject({
      status: 'open',
    });
    paid(await pay(pd, session.url, payer()));
  });

  it('a refund the provider refuses or fails leaves a failed refund and the payment as it was', async () => {
    const { transaction_id, customer_id } = paid(await pay(pd, link.url, payer()));
    vi.spyOn(pd.ctx.gateway, 'refund')
      .mockResolvedValueOnce({ outcome: 'failed', code: 'refund_refused', message: 'The provider refused the refund' })
      .mockRejectedValueOnce(new Error('timeout'));

    for (const code of ['refund_refused', 'gateway_error']) {
      const problem = expectProblem(await refund(pd, brand.token, transaction_id, 40000), 402, 'payment_failed');
      expect(problem.decline_code).toBe(code);
      expect(await transaction(problem.transaction_id as string)).toMatchObject({
        type: 'refund',
        status: 'failed',
        failure_code: code,
      });
    }
    expect(await transaction(transaction_id)).toMatchObject({ status: 'succeeded', amount_refunded: { amount: 0 } });
    expect(await customer(customer_id!)).toMatchObject({ total_spent: { amount: 100000 } });

    expect((await refund(pd, brand.token, transaction_id)).statusCode).toBe(201);
    expect(await transaction(transaction_id)).toMatchObject({
      status: 'refunded',
      amount_refunded: { amount: 100000 },
    });
    expect(await customer(customer_id!)).toMatchObject({ total_spent: { amount: 0 } });
  });

  it('a failed refund that raced a successful one leaves the payment partially refunded, and refundable', async () => {
    const { transaction_id, customer_id } = paid(await pay(pd, link.url, payer()));
    const testGateway = pd.ctx.gateway;
    const realRefund = testGateway.refund.bind(testGateway);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let refused = false;
    vi.spyOn(testGateway, 'refund').mockImplementation(async (request: RefundRequest) => {
      if (request.amount.amount !== 70000 || refused) return realRefund(request);
      refused = true;
      await held;
      return { outcome: 'failed', code: 'refund_refused', message: 'The provider refused the refund' };
    });

    // The 70 000 refund is reserved and with the provider while the 30 000 one completes.
    const slow = refund(pd, brand.token, transaction_id, 70000);
    await vi.waitFor(async () => {
      expect(
        await ledgerRows(pd, brand, "refunded_transaction_id = $2 AND status = 'pending'", [transaction_id]),
      ).toHaveLength(1);
    });
    expect((await refund(pd, brand.token, transaction_id, 30000)).statusCode).toBe(201);
    release();
    expectProblem(await slow, 402, 'payment_failed');

    expect(await customer(customer_id!)).toMatchObject({ total_spent: { amount: 70000 } });
    expect(await transaction(transaction_id)).toMatchObject({
      status: 'partially_refunded',
      amount_refunded: { amount: 30000 },
    });
    const rest = await refund(pd, brand.token, transaction_id);
    expect(rest.statusCode, rest.body).toBe(201);
    expect(rest.json()).toMatchObject({ amount: { amount: 70000 } });
  });

  it('refunds a charge it could not record (the database failed), and leaves the checkout payable', async () => {
    // The success write fails: a trigger refuses transactions turning succeeded, for this test only.
    await pd.rawQuery(`CREATE FUNCTION refuse_success() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$`);
    await pd.rawQuery(`CREATE TRIGGER refuse_success BEFORE UPDATE ON transactions FOR EACH ROW
      WHEN (NEW.status = 'succeeded') EXECUTE FUNCTION refuse_success()`);
    const refundCall = vi.spyOn(pd.ctx.gateway, 'refund');
    const session = await createCheckout(pd, brand);
    try {
      const problem = expectProblem(await pay(pd, session.url, payer()), 402, 'payment_failed');
      expect(refundCall).toHaveBeenCalledTimes(1);
      expect(await transaction(problem.transaction_id as string)).toMatchObject({
        status: 'failed',
        failure_code: 'recording_failed',
        customer_id: null,
      });
      expect(await fetchJson<CheckoutSessionJson>(pd, brand, `/checkout-sessions/${session.id}`)).toMatchObject({
        status: 'open',
      });
    } finally {
      await pd.rawQuery('DROP TRIGGER refuse_success ON transactions');
      await pd.rawQuery('DROP FUNCTION refuse_success()');
    }
    paid(await pay(pd, session.url, payer()));
  });
});
