import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  CARDS,
  createInvoice,
  customerCount,
  fetchJson,
  ledgerRows,
  openInvoice,
  paid,
  pay,
  payer,
  v1,
  type InvoiceJson,
  type TransactionJson,
} from '../../../test/support/payments.js';

// Invoices: draft → open (public pay page) → paid, or void; numbers per brand; paying attaches to
// the billed customer or registers the payer.
describeBackends('invoice flow (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand({ name: 'Invoice Brand' });
  });
  afterAll(() => pd.close());

  const invoice = (id: string) => fetchJson<InvoiceJson>(pd, brand, `/invoices/${id}`);
  const customer = (id: string) => fetchJson<CustomerJson>(pd, brand, `/customers/${id}`);
  const publicView = (url: string) => pd.request(undefined, { method: 'GET', url: `/api/public${url}` });

  it('numbers invoices per brand: INV-000001, INV-000002, and another brand starts at 1 again', async () => {
    const fresh = await pd.newBrand({ name: 'Numbering' });
    const first = await createInvoice(pd, fresh);
    const second = await createInvoice(pd, fresh);
    expect([first.number, second.number]).toEqual(['INV-000001', 'INV-000002']);
    const another = await pd.newBrand({ name: 'Numbering 2' });
    expect((await createInvoice(pd, another)).number).toBe('INV-000001');
    expect((await createInvoice(pd, fresh)).number).toBe('INV-000003');
  });

  it('creates a draft with computed totals, opens it, shows and pays it', async () => {
    const draft = await createInvoice(pd, brand, {
      line_items: [
        { description: ' Design work ', quantity: 3, unit_amount: 15000 },
        { description: 'Hosting', quantity: 1, unit_amount: 4999 },
      ],
      memo: 'Thank you',
      due_date: '2031-02-28',
    });
    expect(draft).toMatchObject({
      object: 'invoice',
      status: 'draft',
      customer_id: null,
      currency: 'BDT',
      total: { amount: 49999, currency: 'BDT' },
      public_url: null,
      memo: 'Thank you',
      due_date: '2031-02-28',
      finalized_at: null,
      transaction_id: null,
    });
    expect(draft.line_items).toEqual([
      {
        description: 'Design work',
        quantity: 3,
        unit_amount: { amount: 15000, currency: 'BDT' },
        amount: { amount: 45000, currency: 'BDT' },
      },
      {
        description: 'Hosting',
        quantity: 1,
        unit_amount: { amount: 4999, currency: 'BDT' },
        amount: { amount: 4999, currency: 'BDT' },
      },
    ]);

    const finalized = await v1(pd, brand.token).post(`/invoices/${draft.id}/finalize`);
    expect(finalized.statusCode, finalized.body).toBe(200);
    const open = finalized.json<InvoiceJson>();
    expect(open.status).toBe('open');
    expect(open.public_url).toMatch(/^\/invoice\/[A-Za-z0-9_-]{20,}$/);
    expect(open.finalized_at).not.toBeNull();

    const page = await publicView(open.public_url!);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toEqual({
      brand_name: 'Invoice Brand',
      number: draft.number,
      status: 'open',
      line_items: draft.line_items,
      total: { amount: 49999, currency: 'BDT' },
      memo: 'Thank you',
      due_date: '2031-02-28',
      customer_known: false,
    });

    const body = payer();
    const result = paid(await pay(pd, open.public_url!, body));
    expect(result.amount).toEqual({ amount: 49999, currency: 'BDT' });

    const after = await invoice(draft.id);
    expect(after).toMatchObject({
      status: 'paid',
      transaction_id: result.transaction_id,
      customer_id: result.customer_id,
    });
    expect(after.paid_at).not.toBeNull();
    expect((await publicView(open.public_url!)).json()).toMatchObject({ status: 'paid' });
    expect(await fetchJson<TransactionJson>(pd, brand, `/transactions/${result.transaction_id}`)).toMatchObject({
      status: 'succeeded',
      source: 'invoice',
      invoice_id: draft.id,
      amount: { amount: 49999, currency: 'BDT' },
      customer_id: result.customer_id,
    });
    // Invoice without a customer: the payer is registered, source "invoice".
    expect(await customer(result.customer_id!)).toMatchObject({
      email: body.email,
      name: body.name,
      source: 'invoice',
      transactions_count: 1,
      total_spent: { amount: 49999, currency: 'BDT' },
    });

    expectProblem(await pay(pd, open.public_url!, payer()), 409, 'invoice_not_payable');
    expect(await ledgerRows(pd, brand, 'invoice_id = $2', [draft.id])).toHaveLength(1);
  });

  it('pays an invoice billed to a customer without asking for name or email, and changes nothing staff entered', async () => {
    const billed = await newCustomer(pd, brand, { name: 'Staff Entered', phone: '01812345678' });
    const open = await openInvoice(pd, brand, { customer_id: billed.id });
    expect(open.customer_id).toBe(billed.id);
    expect((await publicView(open.public_url)).json()).toMatchObject({ customer_known: true });
    const customersBefore = await customerCount(pd, brand);

    const result = paid(await pay(pd, open.public_url, { card: CARDS.ok }));
    expect(result.customer_id).toBe(billed.id);
    expect(await customer(billed.id)).toMatchObject({
      name: 'Staff Entered',
      email: billed.email,
      phone: '+8801812345678',
      source: 'api',
      transactions_count: 1,
      total_spent: { amount: 50000, currency: 'BDT' },
    });
    expect(await invoice(open.id)).toMatchObject({ status: 'paid', customer_id: billed.id });
    expect(await customerCount(pd, brand)).toBe(customersBefore);
  });

  it('attaches a billed invoice to its customer even when someone else types their own details', async () => {
    const billed = await newCustomer(pd, brand, { name: 'Billed Person' });
    const open = await openInvoice(pd, brand, { customer_id: billed.id });
    const customersBefore = await customerCount(pd, brand);
    const result = paid(await pay(pd, open.public_url, payer({ name: 'Paying Friend' })));
    expect(result.customer_id).toBe(billed.id);
    expect(await customer(billed.id)).toMatchObject({
      name: 'Billed Person',
      email: billed.email,
      transactions_count: 1,
    });
    expect(await customerCount(pd, brand)).toBe(customersBefore);
  });

  it('asks for name and email on an invoice without a customer', async () => {
    const open = await openInvoice(pd, brand);
    const response = await pay(pd, open.public_url, { card: CARDS.ok });
    const problem = expectProblem(response, 422, 'validation_failed');
    expect(problem.errors!.map((e) => e.field).sort()).toEqual(['email', 'name']);
    expect(await ledgerRows(pd, brand, 'invoice_id = $2', [open.id])).toHaveLength(0);
  });

  it('voids: a void invoice cannot be paid (409 invoice_not_payable), and writes nothing', async () => {
    const open = await openInvoice(pd, brand);
    const voided = await v1(pd, brand.token).post(`/invoices/${open.id}/void`);
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toMatchObject({ status: 'void', voided_at: expect.any(String) });

    expect((await publicView(open.public_url)).json()).toMatchObject({ status: 'void' });
    expectProblem(await pay(pd, open.public_url, payer()), 409, 'invoice_not_payable');
    expect(await ledgerRows(pd, brand, 'invoice_id = $2', [open.id])).toHaveLength(0);
    expectProblem(await v1(pd, brand.token).post(`/invoices/${open.id}/void`), 409, 'invoice_state');
    expectProblem(await v1(pd, brand.token).post(`/invoices/${open.id}/finalize`), 409, 'invoice_state');

    const draft = await createInvoice(pd, brand);
    expect((await v1(pd, brand.token).post(`/invoices/${draft.id}/void`)).json()).toMatchObject({
      status: 'void',
      public_url: null,
    });
  });

  it('refuses to finalize twice, to void a paid invoice, or to void one with a payment in progress', async () => {
    const open = await openInvoice(pd, brand);
    expectProblem(await v1(pd, brand.token).post(`/invoices/${open.id}/finalize`), 409, 'invoice_state');
    expect((await invoice(open.id)).public_url).toBe(open.public_url);

    await pd.rawQuery('UPDATE invoices SET pending_transaction_id = $2 WHERE id = $1', [open.id, 'txn_inflight']);
    expectProblem(await v1(pd, brand.token).post(`/invoices/${open.id}/void`), 409, 'payment_in_progress');
    expectProblem(await pay(pd, open.public_url, payer()), 409, 'payment_in_progress');
    await pd.rawQuery('UPDATE invoices SET pending_transaction_id = NULL WHERE id = $1', [open.id]);

    paid(await pay(pd, open.public_url, payer()));
    expectProblem(await v1(pd, brand.token).post(`/invoices/${open.id}/void`), 409, 'invoice_state');
  });

  it('a declined card leaves the invoice open and payable', async () => {
    const open = await openInvoice(pd, brand);
    const problem = expectProblem(
      await pay(pd, open.public_url, payer({ card: CARDS.declined })),
      402,
      'card_declined',
    );
    expect(await fetchJson<TransactionJson>(pd, brand, `/transactions/${problem.transaction_id}`)).toMatchObject({
      status: 'failed',
      invoice_id: open.id,
    });
    expect(await invoice(open.id)).toMatchObject({ status: 'open', transaction_id: null });
    paid(await pay(pd, open.public_url, payer()));
    expect((await invoice(open.id)).status).toBe('paid');
  });

  it('hides drafts and unknown tokens from the public (404 invoice_not_found)', async () => {
    expectProblem(await publicView('/invoice/unknown-token'), 404, 'invoice_not_found');
    expectProblem(await pay(pd, '/invoice/unknown-token', payer()), 404, 'invoice_not_found');
    const other = await pd.newBrand();
    const foreign = await newCustomer(pd, other);
    const response = await v1(pd, brand.token).post('/invoices', {
      customer_id: foreign.id,
      currency: 'BDT',
      line_items: [{ description: 'x', quantity: 1, unit_amount: 100 }],
    });
    expectProblem(response, 404, 'customer_not_found');
  });
});
