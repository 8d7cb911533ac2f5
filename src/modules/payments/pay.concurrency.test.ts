import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import type { CustomerJson, ProblemJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  createCheckout,
  createInvoice,
  createPaymentLink,
  customerCount,
  fetchJson,
  ledgerRows,
  openInvoice,
  pay,
  payer,
  type CheckoutSessionJson,
  type PayResultJson,
} from '../../../test/support/payments.js';

const N = 50;

// Completions at once: on PostgreSQL the pool (20 connections) really interleaves them; on PGlite
// they queue on its one connection, which still checks the sequence of steps.
describeBackends('concurrent completions (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand();
  });
  afterAll(() => pd.close());

  it(`${N} completions of one link by the same new email make one customer with ${N} transactions`, async () => {
    const amount = 12345;
    const link = await createPaymentLink(pd, brand, { amount });
    const email = `same.${Date.now()}@example.com`;
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        pay(pd, link.url, payer({ email, name: `Name ${i}`, ...(i === 7 ? { phone: '01711223344' } : {}) })),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(N).fill(200));
    const ids = new Set(responses.map((r) => r.json<PayResultJson>().customer_id));
    expect(ids.size).toBe(1);
    const [customerId] = [...ids];
    expect(customerId).toMatch(/^cus_/);

    expect(await customerCount(pd, brand)).toBe(1);
    const customer = await fetchJson<CustomerJson>(pd, brand, `/customers/${customerId}`);
    expect(customer).toMatchObject({
      email,
      source: 'payment_link',
      transactions_count: N,
      total_spent: { amount: N * amount, currency: 'BDT' },
    });
    // Only one payer gave a phone: the customer has it, whichever request registered them.
    expect(customer.phone).toBe('+8801711223344');
    const rows = await ledgerRows(pd, brand, 'payment_link_id = $2', [(link as { id: string }).id]);
    expect(rows).toHaveLength(N);
    expect(rows.every((r) => r.status === 'succeeded' && r.customer_id === customerId)).toBe(true);
  });

  it(`${N} payers racing for one checkout session: exactly one pays, the rest get 409`, async () => {
    const session = await createCheckout(pd, brand, { amount: 9900 });
    const before = await customerCount(pd, brand);
    const responses = await Promise.all(Array.from({ length: N }, () => pay(pd, session.url, payer())));

    const winners = responses.filter((r) => r.statusCode === 200);
    const losers = responses.filter((r) => r.statusCode !== 200);
    expect(winners).toHaveLength(1);
    for (const loser of losers) {
      expect(loser.statusCode, loser.body).toBe(409);
      expect(['checkout_completed', 'payment_in_progress']).toContain(loser.json<ProblemJson>().code);
    }
    const winner = winners[0]!.json<PayResultJson>();
    const rows = await ledgerRows(pd, brand, 'checkout_session_id = $2', [session.id]);
    expect(rows).toEqual([
      expect.objectContaining({ id: winner.transaction_id, status: 'succeeded', customer_id: winner.customer_id }),
    ]);
    expect(await fetchJson<CheckoutSessionJson>(pd, brand, `/checkout-sessions/${session.id}`)).toMatchObject({
      status: 'complete',
      transaction_id: winner.transaction_id,
    });
    expect(await customerCount(pd, brand)).toBe(before + 1);
  });

  it('numbers invoices created at once without repeats or gaps', async () => {
    const fresh = await pd.newBrand();
    const drafts = await Promise.all(Array.from({ length: 20 }, () => createInvoice(pd, fresh)));
    const numbers = drafts.map((d) => d.number).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `INV-${String(i + 1).padStart(6, '0')}`));
  });

  it('two payers racing for one invoice: one pays, the other gets 409', async () => {
    const invoice = await openInvoice(pd, brand);
    const responses = await Promise.all([pay(pd, invoice.public_url, payer()), pay(pd, invoice.public_url, payer())]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const loser = responses.find((r) => r.statusCode === 409)!;
    expect(['invoice_not_payable', 'payment_in_progress']).toContain(loser.json<ProblemJson>().code);
    expect(await ledgerRows(pd, brand, 'invoice_id = $2', [invoice.id])).toHaveLength(1);
  });
});
