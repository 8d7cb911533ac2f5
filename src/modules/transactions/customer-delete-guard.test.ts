import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { customersApi, expectProblem, newCustomer } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  CARDS,
  createInvoice,
  createPaymentLink,
  paid,
  pay,
  payer,
  refund,
  v1,
} from '../../../test/support/payments.js';

// A customer with any payment history (a transaction or an invoice, in any state) cannot be
// deleted: 409 with the counts, and nothing changes.
describeBackends('customer delete guard (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let link: { url: string };
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand();
    link = await createPaymentLink(pd, brand, { amount: 25000 });
  });
  afterAll(() => pd.close());

  const customers = () => customersApi(pd, brand.token);

  it('refuses to delete a customer with a payment (409 has_transactions) and keeps them', async () => {
    const { customer_id } = paid(await pay(pd, link.url, payer()));
    const problem = expectProblem(await customers().remove(customer_id!), 409, 'has_transactions');
    expect(problem).toMatchObject({ transactions_count: 1, invoices_count: 0 });
    const still = await customers().get(customer_id!);
    expect(still.statusCode).toBe(200);
    expect(still.json()).toMatchObject({ id: customer_id, transactions_count: 1, total_spent: { amount: 25000 } });
  });

  it('counts a refund as a transaction too: a refunded customer still cannot be deleted', async () => {
    const { customer_id, transaction_id } = paid(await pay(pd, link.url, payer()));
    expect((await refund(pd, brand.token, transaction_id)).statusCode).toBe(201);
    const problem = expectProblem(await customers().remove(customer_id!), 409, 'has_transactions');
    expect(problem).toMatchObject({ transactions_count: 2, invoices_count: 0 });
  });

  it('refuses to delete a customer with only a draft invoice (invoices_count 1)', async () => {
    const customer = await newCustomer(pd, brand);
    await createInvoice(pd, brand, { customer_id: customer.id });
    const problem = expectProblem(await customers().remove(customer.id), 409, 'has_transactions');
    expect(problem).toMatchObject({ transactions_count: 0, invoices_count: 1 });
    expect((await customers().get(customer.id)).statusCode).toBe(200);
  });

  it('refuses as well when the only invoice is void', async () => {
    const customer = await newCustomer(pd, brand);
    const draft = await createInvoice(pd, brand, { customer_id: customer.id });
    expect((await v1(pd, brand.token).post(`/invoices/${draft.id}/void`)).statusCode).toBe(200);
    expect(expectProblem(await customers().remove(customer.id), 409, 'has_transactions')).toMatchObject({
      invoices_count: 1,
    });
  });

  it('deletes a customer without transactions or invoices (204), even one whose payments failed', async () => {
    const customer = await newCustomer(pd, brand);
    const response = await customers().remove(customer.id);
    expect(response.statusCode, response.body).toBe(204);
    expectProblem(await customers().get(customer.id), 404, 'customer_not_found');

    // A declined card links no customer, so it is no payment history.
    const known = await newCustomer(pd, brand);
    expectProblem(await pay(pd, link.url, payer({ email: known.email, card: CARDS.declined })), 402, 'card_declined');
    expect((await customers().remove(known.id)).statusCode).toBe(204);
  });

  it("answers another brand's customer with 404, whatever its history", async () => {
    const { customer_id } = paid(await pay(pd, link.url, payer()));
    const other = await pd.newBrand();
    expectProblem(await customersApi(pd, other.token).remove(customer_id!), 404, 'customer_not_found');
    expect((await customers().get(customer_id!)).statusCode).toBe(200);
  });
});
