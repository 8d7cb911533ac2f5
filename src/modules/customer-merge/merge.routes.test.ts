import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  customersApi,
  expectProblem,
  newCustomer,
  totalCustomers,
  type CustomerJson,
} from '../../../test/support/customers.js';
import {
  createInvoice,
  createPaymentLink,
  fetchJson,
  paid,
  pay,
  payer,
  v1,
  type InvoiceJson,
  type ListJson,
  type TransactionJson,
} from '../../../test/support/payments.js';
import { newOrder, ordersApi, type OrderJson } from '../../../test/support/orders.js';
import { allNotes, byKey, newNote, notesApi } from '../../../test/support/notes.js';
import { imagesApi, sampleImage } from '../../../test/support/images.js';
import { newUser } from '../../../test/support/users.js';

describeBackends('customer merge (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let link: { url: string };
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand({ name: 'Merge Brand' });
    link = await createPaymentLink(pd, brand, { amount: 150000 });
  });
  afterAll(() => pd?.close());

  const merge = (survivor: string, body: Record<string, unknown>, token = brand.token) =>
    pd.request(token, { method: 'POST', url: `/api/v1/customers/${survivor}/merge`, payload: body });
  const get = <T>(url: string) => fetchJson<T>(pd, brand, url);
  const payAs = async (customer: CustomerJson) =>
    paid(await pay(pd, link.url, payer({ name: customer.name, email: customer.email })));
  const raw = (sqlText: string, params: unknown[]) => pd.rawQuery(sqlText, params);
  const row = async (id: string) =>
    (
      await raw(
        `SELECT merged_into, merged_at, user_id, image_updated_at, transactions_count, total_spent_minor,
          last_payment_at, octet_length(name_enc) AS name_len, phone_bidx, name_bidx, search_tokens, metadata
          FROM customers WHERE merchant_id = $1 AND id = $2`,
        [brand.id, id],
      )
    )[0]!;
  const expectNoDrift = async () => {
    const response = await v1(pd, brand.token).post('/reconcile', { fix: false });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ drift: [], fixed: 0 });
  };

  it('moves everything to the survivor; aggregates add up exactly and reconcile agrees', async () => {
    const survivor = await newCustomer(pd, brand, { phone: '01712000001', metadata: { tier: 'gold' } });
    const source = await newCustomer(pd, brand, { phone: '01712000002', metadata: { crm: 'C-7' } });
    const survivorPayment = await payAs(survivor);
    const payments = [await payAs(source), await payAs(source)];
    const invoice = await createInvoice(pd, brand, { customer_id: source.id });
    const order = await newOrder(pd, brand, { customer: source.id, customer_details: undefined });
    expect((await ordersApi(pd, brand.token).recordPayment(order.id)).statusCode).toBe(200);
    const note = await newNote(byKey(pd, brand.token), source.id, 'Prefers evenings');
    expect((await imagesApi(pd, brand.token).put(source.id, await sampleImage('png'), 'image/png')).statusCode).toBe(
      200,
    );
    // A verified registration with the customer's email links the user to it.
    const user = await newUser(pd, brand, { email: source.email });
    expect(user.customer).toBe(source.id);
    const before = {
      survivor: await get<CustomerJson>(`/customers/${survivor.id}`),
      source: await get<CustomerJson>(`/customers/${source.id}`),
    };
    const sourceEvents = await raw('SELECT id FROM customer_events WHERE merchant_id = $1 AND customer_id = $2', [
      brand.id,
      source.id,
    ]);
    const total = await totalCustomers(pd, brand);

    const response = await merge(survivor.id, { source_customer: source.id, take: ['phone', 'metadata'] });
    expect(response.statusCode, response.body).toBe(200);
    const merged = response.json<CustomerJson>();
    expect(merged).toMatchObject({
      id: survivor.id,
      name: survivor.name,
      email: survivor.email,
      phone: '+8801712000002',
      metadata: { crm: 'C-7' },
      user: user.id,
      transactions_count: before.survivor.transactions_count + before.source.transactions_count,
      total_spent: {
        amount: before.survivor.total_spent.amount + before.source.total_spent.amount,
        currency: 'BDT',
      },
    });
    expect(merged.transactions_count).toBe(4);
    expect(merged.last_payment_at).toBe(
      [before.survivor.last_payment_at!, before.source.last_payment_at!].sort().at(-1),
    );
    expect(merged.image_url).toMatch(new RegExp(`^/api/v1/customers/${survivor.id}/image`));

    const transactions = await get<ListJson<TransactionJson>>(`/customers/${survivor.id}/transactions?limit=100`);
    expect(transactions.data.map((t) => t.id)).toEqual(
      expect.arrayContaining([survivorPayment.transaction_id, ...payments.map((p) => p.transaction_id)]),
    );
    expect((await get<InvoiceJson>(`/invoices/${invoice.id}`)).customer_id).toBe(survivor.id);
    expect((await get<OrderJson>(`/orders/${order.id}`)).customer).toBe(survivor.id);
    expect((await allNotes(byKey(pd, brand.token), survivor.id)).map((n) => n.id)).toEqual([note.id]);
    expect((await allNotes(byKey(pd, brand.token), survivor.id))[0]!.body).toBe('Prefers evenings');
    const image = await imagesApi(pd, brand.token).get(survivor.id);
    expect(image.statusCode).toBe(200);
    expect(image.rawPayload.length).toBeGreaterThan(0);
    const moved = await raw('SELECT id FROM customer_events WHERE merchant_id = $1 AND customer_id = $2', [
      brand.id,
      survivor.id,
    ]);
    expect(moved.map((e) => e.id)).toEqual(expect.arrayContaining(sourceEvents.map((e) => e.id)));
    const left = await raw('SELECT count(*)::int AS n FROM transactions WHERE merchant_id = $1 AND customer_id = $2', [
      brand.id,
      source.id,
    ]);
    expect(left[0]!.n).toBe(0);

    // The source row is a pointer: contact wiped, nothing left on it.
    expect(await row(source.id)).toMatchObject({
      merged_into: survivor.id,
      user_id: null,
      image_updated_at: null,
      transactions_count: 0,
      last_payment_at: null,
      name_len: 0,
      phone_bidx: null,
      name_bidx: null,
      search_tokens: [],
    });
    expect(Number((await row(source.id)).total_spent_minor)).toBe(0);
    expect(await get(`/customers/${source.id}`)).toEqual({
      id: source.id,
      object: 'customer',
      merged_into: survivor.id,
    });
    expect(await totalCustomers(pd, brand)).toBe(total - 1);
    await expectNoDrift();

    // Timelines of both, and the audit row.
    const survivorTimeline = await get<
      ListJson<{ id: string; type: string; customer?: string; fields?: string[]; merged_from?: string }>
    >(`/customers/${survivor.id}/timeline?limit=100`);
    expect(survivorTimeline.data[0]).toMatchObject({
      type: 'customer.merged',
      customer: source.id,
      fields: ['phone', 'metadata'],
    });
    // The moved events name the customer they happened to; the survivor's own and the merge's do not.
    const sourceEventIds = new Set(sourceEvents.map((e) => e.id as string));
    for (const event of survivorTimeline.data) {
      expect(event.merged_from, event.type).toBe(sourceEventIds.has(event.id) ? source.id : undefined);
    }
    const created = survivorTimeline.data.filter((e) => e.type === 'customer.created');
    expect(created.map((e) => e.merged_from ?? null).sort()).toEqual([source.id, null]);
    const sourceTimeline = await get<ListJson<{ type: string; customer?: string }>>(`/customers/${source.id}/timeline`);
    expect(sourceTimeline.data).toEqual([
      expect.objectContaining({ type: 'customer.merged_into', customer: survivor.id }),
    ]);
    const audit = await raw(
      "SELECT target_id, details FROM audit_events WHERE merchant_id = $1 AND action = 'customer.merge' AND target_id = $2",
      [brand.id, survivor.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({
      survivor: survivor.id,
      merged: source.id,
      taken: ['phone', 'metadata'],
      moved: { transactions: 3, invoices: 1, orders: 1, customer_notes: 1 },
      user_link_moved: true,
    });
  });

  it("keeps the survivor's own image and deletes the merged customer's", async () => {
    const survivor = await newCustomer(pd, brand);
    const source = await newCustomer(pd, brand);
    const images = imagesApi(pd, brand.token);
    expect(
      (await images.put(survivor.id, await sampleImage('png', { width: 40, height: 30 }), 'image/png')).statusCode,
    ).toBe(200);
    expect(
      (await images.put(source.id, await sampleImage('png', { width: 50, height: 50 }), 'image/png')).statusCode,
    ).toBe(200);
    const kept = (await images.get(survivor.id)).rawPayload;
    expect((await merge(survivor.id, { source_customer: source.id })).statusCode).toBe(200);
    expect((await images.get(survivor.id)).rawPayload).toEqual(kept);
    const left = await raw('SELECT customer_id FROM customer_images WHERE merchant_id = $1 AND customer_id = $2', [
      brand.id,
      source.id,
    ]);
    expect(left).toEqual([]);
  });

  it("frees the merged customer's email and phone for a new customer; take email moves it to the survivor", async () => {
    const survivor = await newCustomer(pd, brand);
    const source = await newCustomer(pd, brand, { phone: '01712000010' });
    expect((await merge(survivor.id, { source_customer: source.id })).statusCode).toBe(200);
    const again = await newCustomer(pd, brand, { email: source.email, phone: '01712000010' });
    expect(again.id).not.toBe(source.id);

    const other = await newCustomer(pd, brand);
    const response = await merge(again.id, { source_customer: other.id, take: ['email', 'name'] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<CustomerJson>()).toMatchObject({ id: again.id, email: other.email, name: other.name });
    // Search and the email index follow the re-sealed contact.
    const found = await customersApi(pd, brand.token).list(`q=${encodeURIComponent(other.email)}`);
    expect(found.json<ListJson<CustomerJson>>().data.map((c) => c.id)).toEqual([again.id]);
    const byName = await customersApi(pd, brand.token).list(`q=${encodeURIComponent(other.name)}`);
    expect(byName.json<ListJson<CustomerJson>>().data.map((c) => c.id)).toEqual([again.id]);
    expectProblem(await customersApi(pd, brand.token).create({ name: 'X', email: other.email }), 409, 'email_taken');
  });

  it("carries a suspended source's suspension to the survivor, so the person stays refused", async () => {
    const survivor = await newCustomer(pd, brand);
    const source = await newCustomer(pd, brand);
    const suspend = await pd.request(brand.token, {
      method: 'POST',
      url: `/api/v1/customers/${source.id}/suspend`,
      payload: { reason: 'fraudulent' },
    });
    expect(suspend.statusCode, suspend.body).toBe(200);
    const response = await merge(survivor.id, { source_customer: source.id });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<CustomerJson & { status: string; suspension: { reason: string } | null }>()).toMatchObject({
      status: 'suspended',
      suspension: { reason: 'fraudulent' },
    });
    const refused = await pay(pd, link.url, payer({ name: survivor.name, email: survivor.email }));
    expect(refused.statusCode, refused.body).toBe(402);
    expect(refused.json<{ code: string }>().code).toBe('payment_refused');
  });

  it('leaves merged customers out of the list, search and the CSV export', async () => {
    const survivor = await newCustomer(pd, brand, { name: 'Listed Survivor' });
    const source = await newCustomer(pd, brand, { name: 'Listed Survivor' });
    expect((await merge(survivor.id, { source_customer: source.id })).statusCode).toBe(200);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListJson<CustomerJson> = (
        await customersApi(pd, brand.token).list(`limit=100${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      ids.push(...page.data.map((c) => c.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(ids).toContain(survivor.id);
    expect(ids).not.toContain(source.id);
    expect(ids).toHaveLength(await totalCustomers(pd, brand));
    const search = await customersApi(pd, brand.token).list('q=Listed%20Survivor');
    expect(search.json<ListJson<CustomerJson>>().data.map((c) => c.id)).toEqual([survivor.id]);
    const csv = await pd.request(brand.token, { method: 'GET', url: '/api/v1/customers/export' });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(survivor.id);
    expect(csv.body).not.toContain(source.id);
  });

  it('writes naming the merged id: invoices and orders act on the survivor and say so; customer writes are 409', async () => {
    const survivor = await newCustomer(pd, brand);
    const source = await newCustomer(pd, brand);
    expect((await merge(survivor.id, { source_customer: source.id })).statusCode).toBe(200);

    const invoice = await v1(pd, brand.token).post('/invoices', {
      currency: 'BDT',
      customer_id: source.id,
      line_items: [{ description: 'Tea', quantity: 1, unit_amount: 1000 }],
    });
    expect(invoice.statusCode, invoice.body).toBe(201);
    expect(invoice.json<InvoiceJson>().customer_id).toBe(survivor.id);
    expect(invoice.headers['paydesk-merged-into']).toBe(survivor.id);
    const plain = await createInvoice(pd, brand, { customer_id: survivor.id });
    expect(plain.customer_id).toBe(survivor.id);

    const order = await ordersApi(pd, brand.token).create({
      currency: 'BDT',
      line_items: [{ description: 'Tea', quantity: 1, unit_amount: 1000 }],
      customer: source.id,
    });
    expect(order.statusCode, order.body).toBe(201);
    expect(order.json<OrderJson>().customer).toBe(survivor.id);
    expect(order.headers['paydesk-merged-into']).toBe(survivor.id);

    const refusals = [
      await customersApi(pd, brand.token).update(source.id, { name: 'New name' }),
      await customersApi(pd, brand.token).remove(source.id),
      await notesApi(byKey(pd, brand.token), source.id).add('A note'),
      await imagesApi(pd, brand.token).put(source.id, await sampleImage('png'), 'image/png'),
      await v1(pd, brand.token).post(`/customers/${source.id}/reveal`, { reason: 'Ticket 4711, checking' }),
    ];
    for (const response of refusals) {
      expect(expectProblem(response, 409, 'customer_merged')).toMatchObject({ merged_into: survivor.id });
    }
    expect(await row(source.id)).toMatchObject({ merged_into: survivor.id, name_len: 0 });
  });

  it('a merged survivor passes its pointers on: the first merged id points at the last survivor', async () => {
    const a = await newCustomer(pd, brand);
    const b = await newCustomer(pd, brand);
    const c = await newCustomer(pd, brand);
    expect((await merge(b.id, { source_customer: a.id })).statusCode).toBe(200);
    expect((await merge(c.id, { source_customer: b.id })).statusCode).toBe(200);
    expect(await get(`/customers/${a.id}`)).toEqual({ id: a.id, object: 'customer', merged_into: c.id });
    // Each creation on c's timeline still names the customer it happened to, after two moves.
    const timeline = await get<ListJson<{ type: string; merged_from?: string }>>(
      `/customers/${c.id}/timeline?limit=100`,
    );
    const created = timeline.data.filter((e) => e.type === 'customer.created').map((e) => e.merged_from ?? c.id);
    expect(created.sort()).toEqual([a.id, b.id, c.id].sort());
    const invoice = await createInvoice(pd, brand, { customer_id: a.id });
    expect(invoice.customer_id).toBe(c.id);
  });

  it('refuses with 409 merge_conflict: the same id, a merged or erased customer, two linked site users', async () => {
    const a = await newCustomer(pd, brand);
    const b = await newCustomer(pd, brand);
    expectProblem(await merge(a.id, { source_customer: a.id }), 409, 'merge_conflict');
    expect((await merge(a.id, { source_customer: b.id })).statusCode).toBe(200);
    const c = await newCustomer(pd, brand);
    const again = expectProblem(await merge(a.id, { source_customer: b.id }), 409, 'merge_conflict');
    expect(again.detail).toContain(`${b.id} was already merged into ${a.id}`);
    expectProblem(await merge(b.id, { source_customer: c.id }), 409, 'merge_conflict');

    const erased = await newCustomer(pd, brand);
    await raw('UPDATE customers SET erased_at = now() WHERE merchant_id = $1 AND id = $2', [brand.id, erased.id]);
    expect(expectProblem(await merge(c.id, { source_customer: erased.id }), 409, 'merge_conflict').detail).toContain(
      'erased',
    );

    const linked = [await newCustomer(pd, brand), await newCustomer(pd, brand)];
    for (const customer of linked) {
      expect((await newUser(pd, brand, { email: customer.email })).customer).toBe(customer.id);
    }
    expect(
      expectProblem(await merge(linked[0]!.id, { source_customer: linked[1]!.id }), 409, 'merge_conflict').detail,
    ).toContain('site users');
    expect(await row(linked[1]!.id)).toMatchObject({ merged_into: null });
  });

  it("answers another brand's customers exactly like missing ones (404)", async () => {
    const other = await pd.newBrand();
    const theirs = await newCustomer(pd, other);
    const mine = await newCustomer(pd, brand);
    const missing = 'cus_00000000000000000000000000';
    const strip = (p: Record<string, unknown>) => ({
      ...p,
      detail: undefined,
      customer_id: undefined,
      instance: undefined,
    });
    for (const [survivor, source] of [
      [mine.id, theirs.id],
      [theirs.id, mine.id],
    ] as const) {
      const foreign = expectProblem(await merge(survivor, { source_customer: source }), 404, 'customer_not_found');
      expect(foreign.customer_id).toBe(theirs.id);
      const absent = expectProblem(
        await merge(survivor === theirs.id ? missing : survivor, {
          source_customer: source === theirs.id ? missing : source,
        }),
        404,
        'customer_not_found',
      );
      expect(strip(foreign)).toEqual(strip(absent));
    }
    expect(await get<CustomerJson>(`/customers/${mine.id}`)).toMatchObject({ id: mine.id });
    expect((await pd.rawQuery('SELECT merged_into FROM customers WHERE id = $1', [theirs.id]))[0]).toEqual({
      merged_into: null,
    });
  });

  it('is for owner, admin and manager (customers.merge)', async () => {
    for (const role of ['support', 'viewer', 'developer'] as const) {
      const a = await newCustomer(pd, brand);
      const b = await newCustomer(pd, brand);
      expectProblem(await merge(a.id, { source_customer: b.id }, await pd.keyFor(brand, role)), 403, 'forbidden');
      expect(await row(b.id)).toMatchObject({ merged_into: null });
    }
    const a = await newCustomer(pd, brand);
    const b = await newCustomer(pd, brand);
    expect((await merge(a.id, { source_customer: b.id }, await pd.keyFor(brand, 'manager'))).statusCode).toBe(200);
  });

  it('refuses bad bodies with 422 naming the field', async () => {
    const a = await newCustomer(pd, brand);
    const b = await newCustomer(pd, brand);
    for (const body of [{}, { source_customer: b.id, take: ['password'] }, { source_customer: b.id, extra: 1 }]) {
      const response = await merge(a.id, body);
      expect(response.statusCode, response.body).toBe(422);
    }
    expect(await row(b.id)).toMatchObject({ merged_into: null });
  });

  it('writes nothing when a step fails late: every move is rolled back', async () => {
    const survivor = await newCustomer(pd, brand);
    const source = await newCustomer(pd, brand, { phone: '01712000020' });
    const payment = await payAs(source);
    const invoice = await createInvoice(pd, brand, { customer_id: source.id });
    const note = await newNote(byKey(pd, brand.token), source.id, 'Kept where it was');
    expect((await imagesApi(pd, brand.token).put(source.id, await sampleImage('png'), 'image/png')).statusCode).toBe(
      200,
    );
    const sourceBefore = await row(source.id);
    const survivorBefore = await row(survivor.id);
    // The last write of a merge (its timeline events, after every move) fails.
    await pd.rawQuery(`CREATE OR REPLACE FUNCTION fail_merge_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.type = 'customer.merged' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await pd.rawQuery(`CREATE TRIGGER fail_merge_event BEFORE INSERT ON customer_events
      FOR EACH ROW EXECUTE FUNCTION fail_merge_event()`);
    try {
      const response = await merge(survivor.id, { source_customer: source.id, take: ['phone'] });
      expect(response.statusCode).toBe(500);
    } finally {
      await pd.rawQuery('DROP TRIGGER fail_merge_event ON customer_events');
    }
    expect(await row(source.id)).toEqual(sourceBefore);
    expect(await row(survivor.id)).toEqual(survivorBefore);
    expect((await get<TransactionJson>(`/transactions/${payment.transaction_id}`)).customer_id).toBe(source.id);
    expect((await get<InvoiceJson>(`/invoices/${invoice.id}`)).customer_id).toBe(source.id);
    expect((await allNotes(byKey(pd, brand.token), source.id)).map((n) => n.id)).toEqual([note.id]);
    expect((await imagesApi(pd, brand.token).get(source.id)).statusCode).toBe(200);
    expect((await imagesApi(pd, brand.token).get(survivor.id)).statusCode).toBe(404);
    const audit = await raw("SELECT 1 FROM audit_events WHERE action = 'customer.merge' AND target_id = $1", [
      survivor.id,
    ]);
    expect(audit).toEqual([]);
    expect(await get(`/customers/${source.id}`)).toMatchObject({ id: source.id, phone: '+8801712000020' });
    await expectNoDrift();
  });
});
