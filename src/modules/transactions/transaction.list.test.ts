import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectInvalidFields, expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  CARDS,
  createInvoice,
  createPaymentLink,
  fetchJson,
  openInvoice,
  paid,
  pay,
  payer,
  refund,
  v1,
  type InvoiceJson,
  type ListJson,
  type TransactionJson,
} from '../../../test/support/payments.js';

// The ledger as lists: filters, newest-first keyset pages, and a customer's own transactions and
// invoices.
describeBackends('transaction and invoice lists (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let alice: { email: string; id: string };
  let bob: { email: string; id: string };
  const ids = { alicePayments: [] as string[], bobPayments: [] as string[], failed: '', refund: '' };

  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand();
    const link = await createPaymentLink(pd, brand, { amount: 1000 });
    const aliceBody = payer({ name: 'Alice Payer' });
    const bobBody = payer({ name: 'Bob Payer' });
    for (let i = 0; i < 3; i++) ids.alicePayments.push(paid(await pay(pd, link.url, aliceBody)).transaction_id);
    for (let i = 0; i < 2; i++) ids.bobPayments.push(paid(await pay(pd, link.url, bobBody)).transaction_id);
    const declined = await pay(pd, link.url, payer({ card: CARDS.declined }));
    ids.failed = declined.json<{ transaction_id: string }>().transaction_id;
    const refunded = await refund(pd, brand.token, ids.alicePayments[0]!, 400);
    ids.refund = refunded.json<TransactionJson>().id;
    const aliceTxn = await fetchJson<TransactionJson>(pd, brand, `/transactions/${ids.alicePayments[0]}`);
    const bobTxn = await fetchJson<TransactionJson>(pd, brand, `/transactions/${ids.bobPayments[0]}`);
    alice = { email: aliceBody.email as string, id: aliceTxn.customer_id! };
    bob = { email: bobBody.email as string, id: bobTxn.customer_id! };
  });
  afterAll(() => pd.close());

  const list = (query: string) => fetchJson<ListJson<TransactionJson>>(pd, brand, `/transactions${query}`);
  const idsOf = (page: ListJson<{ id: string }>) => page.data.map((t) => t.id);

  it('lists every transaction newest first, with customer names', async () => {
    const page = await list('');
    expect(page).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    expect(idsOf(page)).toEqual([
      ids.refund,
      ids.failed,
      ...[...ids.bobPayments].reverse(),
      ...[...ids.alicePayments].reverse(),
    ]);
    const first = page.data.find((t) => t.id === ids.alicePayments[1]);
    expect(first).toMatchObject({ customer_id: alice.id, customer_name: 'Alice Payer', status: 'succeeded' });
  });

  it('filters by status, type and customer', async () => {
    expect(idsOf(await list('?status=failed'))).toEqual([ids.failed]);
    expect(idsOf(await list('?status=partially_refunded'))).toEqual([ids.alicePayments[0]]);
    expect(idsOf(await list('?type=refund'))).toEqual([ids.refund]);
    expect(idsOf(await list('?type=payment&status=succeeded')).sort()).toEqual(
      [...ids.alicePayments.slice(1), ...ids.bobPayments].sort(),
    );
    expect(idsOf(await list(`?customer_id=${bob.id}`))).toEqual([...ids.bobPayments].reverse());
    expect(idsOf(await list(`?customer_id=${alice.id}&type=refund`))).toEqual([ids.refund]);
    expect((await list('?customer_id=cus_00000000000000000000000000')).data).toEqual([]);
    expectInvalidFields(await v1(pd, brand.token).get('/transactions?status=won'), ['status']);
    expectInvalidFields(await v1(pd, brand.token).get('/transactions?type=charge'), ['type']);
  });

  it('pages through more rows than the limit, including rows created in the same millisecond', async () => {
    const burst = await createPaymentLink(pd, brand, { amount: 7 });
    // Concurrent payments often share a created_at: the (created_at, id) cursor must still order them.
    const made = await Promise.all(Array.from({ length: 23 }, () => pay(pd, burst.url, payer())));
    expect(made.every((r) => r.statusCode === 200)).toBe(true);
    const total = 23 + 7;

    const seen: TransactionJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ListJson<TransactionJson> = await list(`?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(7);
      expect(page.has_more).toBe(page.next_cursor !== null);
      seen.push(...page.data);
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(Math.ceil(total / 7));
    expect(new Set(seen.map((t) => t.id)).size).toBe(total);
    const sorted = [...seen].sort((a, b) => b.created_at.localeCompare(a.created_at) || (a.id < b.id ? 1 : -1));
    expect(seen.map((t) => t.id)).toEqual(sorted.map((t) => t.id));

    const limited = await list('?limit=1');
    expect(limited).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
    expectInvalidFields(await v1(pd, brand.token).get('/transactions?cursor=not-a-cursor'), ['cursor']);
    expectInvalidFields(await v1(pd, brand.token).get('/transactions?limit=0'), ['limit']);
    expectInvalidFields(await v1(pd, brand.token).get('/transactions?limit=101'), ['limit']);
  });

  it("lists a customer's transactions, payments and refunds, newest first", async () => {
    const page = await fetchJson<ListJson<TransactionJson>>(pd, brand, `/customers/${alice.id}/transactions`);
    expect(idsOf(page)).toEqual([ids.refund, ...[...ids.alicePayments].reverse()]);
    const first = await fetchJson<ListJson<TransactionJson>>(pd, brand, `/customers/${alice.id}/transactions?limit=2`);
    expect(first).toMatchObject({ has_more: true });
    const second = await fetchJson<ListJson<TransactionJson>>(
      pd,
      brand,
      `/customers/${alice.id}/transactions?limit=2&cursor=${first.next_cursor}`,
    );
    expect([...idsOf(first), ...idsOf(second)]).toEqual(idsOf(page));
    expect(second.has_more).toBe(false);

    const nobody = await newCustomer(pd, brand);
    expect(
      (await fetchJson<ListJson<TransactionJson>>(pd, brand, `/customers/${nobody.id}/transactions`)).data,
    ).toEqual([]);
    expectProblem(
      await v1(pd, brand.token).get('/customers/cus_00000000000000000000000000/transactions'),
      404,
      'customer_not_found',
    );
    expectProblem(await v1(pd, brand.token).get('/customers/bogus/transactions'), 404, 'customer_not_found');
  });

  it("lists a customer's invoices, including one they paid without being billed", async () => {
    const billed = await newCustomer(pd, brand);
    const draft = await createInvoice(pd, brand, { customer_id: billed.id });
    const open = await openInvoice(pd, brand, { customer_id: billed.id });
    await createInvoice(pd, brand, { customer_id: alice.id });
    const page = await fetchJson<ListJson<InvoiceJson>>(pd, brand, `/customers/${billed.id}/invoices`);
    expect(idsOf(page)).toEqual([open.id, draft.id]);

    // An invoice to no one becomes the payer's once paid.
    const unbilled = await openInvoice(pd, brand);
    const { customer_id } = paid(await pay(pd, unbilled.public_url, payer({ email: bob.email })));
    expect(customer_id).toBe(bob.id);
    expect(idsOf(await fetchJson<ListJson<InvoiceJson>>(pd, brand, `/customers/${bob.id}/invoices`))).toEqual([
      unbilled.id,
    ]);

    expect(
      idsOf(await fetchJson<ListJson<InvoiceJson>>(pd, brand, `/invoices?customer_id=${billed.id}&status=draft`)),
    ).toEqual([draft.id]);
    const paidList = await fetchJson<ListJson<InvoiceJson>>(pd, brand, '/invoices?status=paid');
    expect(idsOf(paidList)).toEqual([unbilled.id]);
    expectProblem(
      await v1(pd, brand.token).get('/customers/cus_00000000000000000000000000/invoices'),
      404,
      'customer_not_found',
    );
  });

  it('shows roles without customer access the ledger without names, and not per customer', async () => {
    const developer = await pd.keyFor(brand, 'developer');
    const page = await v1(pd, developer).get(`/transactions?customer_id=${alice.id}`);
    expect(page.statusCode).toBe(200);
    const rows = page.json<ListJson<TransactionJson>>().data;
    expect(rows).toHaveLength(4);
    expect(rows.every((t) => t.customer_id === alice.id && t.customer_name === null)).toBe(true);
    expectProblem(await v1(pd, developer).get(`/customers/${alice.id}/transactions`), 403, 'forbidden');

    const viewer = await pd.keyFor(brand, 'viewer');
    const viewed = await v1(pd, viewer).get(`/customers/${alice.id}/transactions`);
    expect(viewed.statusCode).toBe(200);
    expect(viewed.json<ListJson<TransactionJson>>().data[1]).toMatchObject({ customer_name: 'Alice Payer' });
    const customer = await fetchJson<CustomerJson>(pd, brand, `/customers/${alice.id}`);
    expect(customer).toMatchObject({ transactions_count: 3, total_spent: { amount: 2600 } });
  });
});
