import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectInvalidFields, expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { allNotes, byKey } from '../../../test/support/notes.js';
import { fetchJson, type ListJson } from '../../../test/support/payments.js';
import type { Role } from '../access/index.js';

// Suspend and resume through the API: the customer's status, the note in staff's words, the
// timeline and the audit log, each written once; who may; what cannot be suspended.
describeBackends('customer suspension (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand({ name: 'Suspension Brand' });
  });
  afterAll(() => pd?.close());

  const suspend = (id: string, body: Record<string, unknown>, token = brand.token) =>
    pd.request(token, { method: 'POST', url: `/api/v1/customers/${id}/suspend`, payload: body });
  const resume = (id: string, token = brand.token) =>
    pd.request(token, { method: 'POST', url: `/api/v1/customers/${id}/resume`, payload: {} });
  const timeline = async (id: string) =>
    (await fetchJson<ListJson<{ type: string; reason?: string }>>(pd, brand, `/customers/${id}/timeline`)).data;
  const audits = (id: string) =>
    pd.rawQuery(
      `SELECT action, actor_type, details FROM audit_events
        WHERE merchant_id = $1 AND target_id = $2 AND action IN ('customer.suspend', 'customer.resume')
        ORDER BY occurred_at, id`,
      [brand.id, id],
    );

  it('suspends with a reason and a note, then resumes: status, timeline and audit, once each', async () => {
    const customer = await newCustomer(pd, brand);
    expect(customer).toMatchObject({ status: 'active', suspension: null });

    const response = await suspend(customer.id, { reason: 'chargebacks', note: '  Three disputes in May  ' });
    expect(response.statusCode, response.body).toBe(200);
    const suspended = response.json<CustomerJson>();
    expect(suspended).toMatchObject({ id: customer.id, status: 'suspended', suspension: { reason: 'chargebacks' } });
    expect(Date.parse(suspended.suspension!.suspended_at)).not.toBeNaN();
    expect(await fetchJson<CustomerJson>(pd, brand, `/customers/${customer.id}`)).toMatchObject({
      status: 'suspended',
      suspension: suspended.suspension,
    });

    // Staff's words are a sealed note, not a column: the row holds the closed code only.
    const notes = await allNotes(byKey(pd, brand.token), customer.id);
    expect(notes.map((n) => n.body)).toEqual(['Three disputes in May']);
    const [stored] = await pd.rawQuery(
      `SELECT body_enc::text AS sealed FROM customer_notes WHERE merchant_id = $1 AND customer_id = $2`,
      [brand.id, customer.id],
    );
    expect(String(stored?.sealed)).not.toContain('disputes');

    // Again: 200 unchanged, nothing new recorded (the first reason and time stay).
    const again = await suspend(customer.id, { reason: 'fraudulent', note: 'second time' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<CustomerJson>().suspension).toEqual(suspended.suspension);
    expect(await allNotes(byKey(pd, brand.token), customer.id)).toHaveLength(1);

    const resumed = await resume(customer.id);
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json<CustomerJson>()).toMatchObject({ status: 'active', suspension: null });
    const resumedTwice = await resume(customer.id);
    expect(resumedTwice.statusCode).toBe(200);
    expect(resumedTwice.json<CustomerJson>()).toMatchObject({ status: 'active', suspension: null });

    const events = await timeline(customer.id);
    expect(events.filter((e) => e.type === 'customer.suspended' || e.type === 'customer.resumed')).toEqual([
      expect.objectContaining({ type: 'customer.resumed' }),
      expect.objectContaining({ type: 'customer.suspended', reason: 'chargebacks' }),
    ]);
    expect(events.filter((e) => e.type === 'note.added')).toHaveLength(1);

    const rows = await audits(customer.id);
    expect(rows.map((r) => r.action)).toEqual(['customer.suspend', 'customer.resume']);
    expect(rows[0]).toMatchObject({ actor_type: 'api_key', details: { reason: 'chargebacks', note_id: notes[0]!.id } });
    expect(JSON.stringify(rows)).not.toContain('disputes');
  });

  it('suspends without a note (a blank one is none)', async () => {
    const customer = await newCustomer(pd, brand);
    expect((await suspend(customer.id, { reason: 'other', note: '   ' })).statusCode).toBe(200);
    expect(await allNotes(byKey(pd, brand.token), customer.id)).toEqual([]);
    expect((await audits(customer.id))[0]?.details).toEqual({ reason: 'other' });
  });

  it.each<[Role, number]>([
    ['owner', 200],
    ['admin', 200],
    ['manager', 200],
    ['support', 403],
    ['viewer', 403],
    ['developer', 403],
  ])('%s: %i', async (role, status) => {
    const customer = await newCustomer(pd, brand);
    const token = await pd.keyFor(brand, role);
    const suspended = await suspend(customer.id, { reason: 'abuse' }, token);
    expect(suspended.statusCode, suspended.body).toBe(status);
    if (status === 403) {
      expectProblem(suspended, 403, 'forbidden');
      // Suspended by an owner, a refused role cannot resume either.
      expect((await suspend(customer.id, { reason: 'abuse' })).statusCode).toBe(200);
      expectProblem(await resume(customer.id, token), 403, 'forbidden');
      expect((await fetchJson<CustomerJson>(pd, brand, `/customers/${customer.id}`)).status).toBe('suspended');
      expect(await audits(customer.id)).toHaveLength(1);
    } else {
      expect((await resume(customer.id, token)).statusCode).toBe(200);
    }
  });

  it('refuses bad input, naming the field, and writes nothing', async () => {
    const customer = await newCustomer(pd, brand);
    expectInvalidFields(await suspend(customer.id, {}), ['reason']);
    expectInvalidFields(await suspend(customer.id, { reason: 'naughty' }), ['reason']);
    expectInvalidFields(await suspend(customer.id, { reason: 'abuse', note: 'x'.repeat(1001) }), ['note']);
    expectInvalidFields(await suspend(customer.id, { reason: 'abuse', note: 'a\u0000b' }), ['note']);
    expectInvalidFields(await suspend(customer.id, { reason: 'abuse', colour: 'red' }), ['colour']);
    expect((await fetchJson<CustomerJson>(pd, brand, `/customers/${customer.id}`)).status).toBe('active');
    expect(await audits(customer.id)).toEqual([]);
  });

  it("another brand's customer and a missing one are the same 404; merged and erased are 409", async () => {
    const other = await pd.newBrand({ name: 'Other Brand' });
    const theirs = await newCustomer(pd, other);
    expectProblem(await suspend(theirs.id, { reason: 'abuse' }), 404, 'customer_not_found');
    expectProblem(await resume(theirs.id), 404, 'customer_not_found');
    expectProblem(await suspend('cus_00000000000000000000000000', { reason: 'abuse' }), 404, 'customer_not_found');
    expectProblem(await suspend('not-an-id', { reason: 'abuse' }), 404, 'customer_not_found');
    expect((await fetchJson<CustomerJson>(pd, other, `/customers/${theirs.id}`)).status).toBe('active');

    const survivor = await newCustomer(pd, brand);
    const merged = await newCustomer(pd, brand);
    const merge = await pd.request(brand.token, {
      method: 'POST',
      url: `/api/v1/customers/${survivor.id}/merge`,
      payload: { source_customer: merged.id },
    });
    expect(merge.statusCode, merge.body).toBe(200);
    expect(expectProblem(await suspend(merged.id, { reason: 'abuse' }), 409, 'customer_merged')).toMatchObject({
      merged_into: survivor.id,
    });

    const erased = await newCustomer(pd, brand);
    const erase = await pd.request(brand.token, {
      method: 'POST',
      url: `/api/v1/customers/${erased.id}/erase`,
      payload: { reason: 'Asked to be forgotten, ticket 1' },
    });
    expect(erase.statusCode, erase.body).toBe(200);
    expectProblem(await suspend(erased.id, { reason: 'abuse' }), 409, 'customer_erased');
    expectProblem(await resume(erased.id), 409, 'customer_erased');
  });
});
