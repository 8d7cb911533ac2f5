import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectInvalidFields, expectProblem, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  CARDS,
  createPaymentLink,
  fetchJson,
  ledgerRows,
  paid,
  pay,
  payer,
  refund,
  type ListJson,
  type TransactionJson,
} from '../../../test/support/payments.js';

// Refunds: a refund transaction per refund, the payment's status and refunded amount, and the
// customer's total spent lowered (their transaction count is history and stays).
describeBackends('refunds (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let link: { url: string };
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand();
    link = await createPaymentLink(pd, brand, { amount: 100000 });
  });
  afterAll(() => pd.close());

  const transaction = (id: string) => fetchJson<TransactionJson>(pd, brand, `/transactions/${id}`);
  const customer = (id: string) => fetchJson<CustomerJson>(pd, brand, `/customers/${id}`);
  const payment = async () => paid(await pay(pd, link.url, payer()));

  it('refunds in full: payment refunded, a succeeded refund transaction, total spent back to 0', async () => {
    const { transaction_id, customer_id } = await payment();
    const response = await refund(pd, brand.token, transaction_id);
    expect(response.statusCode, response.body).toBe(201);
    const refundTxn = response.json<TransactionJson>();
    expect(refundTxn).toMatchObject({
      object: 'transaction',
      type: 'refund',
      status: 'succeeded',
      source: 'payment_link',
      amount: { amount: 100000, currency: 'BDT' },
      base_amount: { amount: 100000, currency: 'BDT' },
      refunded_transaction_id: transaction_id,
      customer_id,
      gateway: 'test',
      gateway_reference: expect.stringMatching(/\S/),
    });
    expect(refundTxn.id).not.toBe(transaction_id);
    expect(refundTxn.succeeded_at).not.toBeNull();

    expect(await transaction(transaction_id)).toMatchObject({
      type: 'payment',
      status: 'refunded',
      amount_refunded: { amount: 100000, currency: 'BDT' },
    });
    expect(await customer(customer_id!)).toMatchObject({
      transactions_count: 1,
      total_spent: { amount: 0, currency: 'BDT' },
    });
    expect(await transaction(refundTxn.id)).toEqual(refundTxn);

    expectProblem(await refund(pd, brand.token, transaction_id), 409, 'not_refundable');
    expectProblem(await refund(pd, brand.token, transaction_id, 1), 409, 'not_refundable');
    expectProblem(await refund(pd, brand.token, refundTxn.id), 409, 'not_refundable');
  });

  it('refunds in full when the request has no body at all', async () => {
    const { transaction_id } = await payment();
    const response = await pd.request(brand.token, {
      method: 'POST',
      url: `/api/v1/transactions/${transaction_id}/refunds`,
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ type: 'refund', amount: { amount: 100000 } });
  });

  it('refunds in parts: partially_refunded, then refunded; the amounts add up', async () => {
    const { transaction_id, customer_id } = await payment();
    const first = await refund(pd, brand.token, transaction_id, 30000);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ type: 'refund', amount: { amount: 30000 }, base_amount: { amount: 30000 } });
    expect(await transaction(transaction_id)).toMatchObject({
      status: 'partially_refunded',
      amount_refunded: { amount: 30000 },
    });
    expect(await customer(customer_id!)).toMatchObject({ transactions_count: 1, total_spent: { amount: 70000 } });

    expectInvalidFields(await refund(pd, brand.token, transaction_id, 70001), ['amount']);
    expect(await transaction(transaction_id)).toMatchObject({
      status: 'partially_refunded',
      amount_refunded: { amount: 30000 },
    });

    const second = await refund(pd, brand.token, transaction_id);
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ amount: { amount: 70000 }, base_amount: { amount: 70000 } });
    expect(await transaction(transaction_id)).toMatchObject({
      status: 'refunded',
      amount_refunded: { amount: 100000 },
    });
    expect(await customer(customer_id!)).toMatchObject({ transactions_count: 1, total_spent: { amount: 0 } });

    const refunds = await fetchJson<ListJson<TransactionJson>>(
      pd,
      brand,
      `/transactions?type=refund&customer_id=${customer_id}`,
    );
    expect(refunds.data.map((t) => t.amount.amount)).toEqual([70000, 30000]);
    expect(refunds.data.every((t) => t.refunded_transaction_id === transaction_id)).toBe(true);
  });

  it('never refunds more than was paid when refunds race', async () => {
    const { transaction_id, customer_id } = await payment();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => refund(pd, brand.token, transaction_id, 30000)),
    );
    const codes = responses.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 201, 201, 422, 422]);
    expect(await transaction(transaction_id)).toMatchObject({
      status: 'partially_refunded',
      amount_refunded: { amount: 90000 },
    });
    expect(await customer(customer_id!)).toMatchObject({ total_spent: { amount: 10000 } });
    const rows = await ledgerRows(pd, brand, 'refunded_transaction_id = $2', [transaction_id]);
    expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('refuses more than is left (422 amount) and writes nothing', async () => {
    const { transaction_id, customer_id } = await payment();
    expectInvalidFields(await refund(pd, brand.token, transaction_id, 100001), ['amount']);
    expectInvalidFields(await refund(pd, brand.token, transaction_id, 0), ['amount']);
    expect(await ledgerRows(pd, brand, 'refunded_transaction_id = $2', [transaction_id])).toHaveLength(0);
    expect(await transaction(transaction_id)).toMatchObject({ status: 'succeeded', amount_refunded: { amount: 0 } });
    expect(await customer(customer_id!)).toMatchObject({ total_spent: { amount: 100000 } });
  });

  it('refuses to refund a failed payment (409 not_refundable)', async () => {
    const declined = expectProblem(await pay(pd, link.url, payer({ card: CARDS.declined })), 402, 'card_declined');
    const id = declined.transaction_id as string;
    expectProblem(await refund(pd, brand.token, id), 409, 'not_refundable');
    expect(await ledgerRows(pd, brand, 'refunded_transaction_id = $2', [id])).toHaveLength(0);
    expectProblem(await refund(pd, brand.token, 'txn_00000000000000000000000000'), 404, 'transaction_not_found');
    expectProblem(await refund(pd, brand.token, 'nonsense'), 404, 'transaction_not_found');
  });

  it('forbids refunds to support, viewer and developer keys (403), and allows a manager', async () => {
    const { transaction_id, customer_id } = await payment();
    for (const role of ['support', 'viewer', 'developer'] as const) {
      const token = await pd.keyFor(brand, role);
      expectProblem(await refund(pd, token, transaction_id), 403, 'forbidden');
      // Those roles may still read the payment.
      expect(
        (await pd.request(token, { method: 'GET', url: `/api/v1/transactions/${transaction_id}` })).statusCode,
      ).toBe(200);
    }
    expect(await ledgerRows(pd, brand, 'refunded_transaction_id = $2', [transaction_id])).toHaveLength(0);
    expect(await customer(customer_id!)).toMatchObject({ total_spent: { amount: 100000 } });

    const manager = await pd.keyFor(brand, 'manager');
    expect((await refund(pd, manager, transaction_id, 1)).statusCode).toBe(201);
    expect(await customer(customer_id!)).toMatchObject({ total_spent: { amount: 99999 } });
  });

  it('refunds a payment linked to no customer without touching any customer', async () => {
    const quiet = await pd.newBrand({ name: 'Quiet' });
    await pd.request(quiet.token, {
      method: 'PATCH',
      url: '/api/v1/brand/settings',
      payload: { auto_register_customers: false },
    });
    const quietLink = await createPaymentLink(pd, quiet, { amount: 5000 });
    const result = paid(await pay(pd, quietLink.url, payer()));
    expect(result.customer_id).toBeNull();
    const response = await refund(pd, quiet.token, result.transaction_id);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ customer_id: null, status: 'succeeded' });
  });
});
