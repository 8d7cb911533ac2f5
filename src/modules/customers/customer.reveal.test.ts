import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { contactBody, contactNeedles } from '../../../test/support/contact-data.js';
import { expectInvalidFields, expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { auditEvents } from '../../../test/support/keys.js';

describeBackends('reveal (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let other: TestBrand;
  let target: CustomerJson;
  let supportToken: string;

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
    other = await paydesk.newBrand();
    target = await newCustomer(paydesk, brand, contactBody());
    supportToken = await paydesk.keyFor(brand, 'support');
  });
  afterAll(() => paydesk?.close());

  const reveal = (token: string, id: string, payload: Record<string, unknown>) =>
    paydesk.request(token, { method: 'POST', url: `/api/v1/customers/${id}/reveal`, payload });
  const reveals = async (merchantId: string) =>
    (await auditEvents(paydesk, merchantId)).filter((e) => e.action === 'customer.reveal');
  const keyIdOf = async (token: string) => {
    const rows = await paydesk.rawQuery('SELECT id FROM api_keys WHERE merchant_id = $1 AND token_hint = $2', [
      brand.id,
      token.slice(-4),
    ]);
    return rows[0]!.id as string;
  };

  it('gives support the raw email and phone and audits who, what, when, from where and why', async () => {
    const before = Date.now();
    const response = await reveal(supportToken, target.id, { reason: 'Customer called about refund, ticket 4711' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ email: target.email, phone: target.phone, revealed_until: expect.any(String) });
    const [event, ...more] = await paydesk.rawQuery(
      `SELECT actor_type, actor_id, target_type, target_id, host(ip) AS ip, details, occurred_at
         FROM audit_events WHERE merchant_id = $1 AND action = 'customer.reveal'`,
      [brand.id],
    );
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actor_type: 'api_key',
      actor_id: await keyIdOf(supportToken),
      target_type: 'customer',
      target_id: target.id,
      ip: '127.0.0.1',
      details: { reason: 'Customer called about refund, ticket 4711' },
    });
    expect(new Date(event!.occurred_at as string).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('masks contact data pasted into the reason before storing it', async () => {
    const national = `0${target.phone!.slice(4)}`;
    const reason = `${target.name} wrote from ${target.email.toUpperCase()}, call back on ${national} or ${target.phone}`;
    expect((await reveal(supportToken, target.id, { reason })).statusCode).toBe(200);
    const row = (await reveals(brand.id)).at(-1)!;
    expect(row.details).toMatchObject({ reason_redacted: true });
    const stored = JSON.stringify(row).toLowerCase();
    for (const needle of [...contactNeedles(target), target.name]) expect(stored).not.toContain(needle.toLowerCase());
    expect(row.details.reason).toMatch(/^N••• wrote from N•••@EXAMPLE\.COM, call back on •+\d{3} or \+•+\d{3}$/);
  });

  it.each([
    ['no reason', {}, ['reason']],
    ['a reason of two characters', { reason: 'ok' }, ['reason']],
    ['a blank reason', { reason: '     ' }, ['reason']],
    ['a reason of 501 characters', { reason: 'x'.repeat(501) }, ['reason']],
    ['a reason with a control character', { reason: 'abc\u0007def' }, ['reason']],
    ['an unknown field', { reason: 'valid reason', email: 'x' }, ['email']],
  ])('refuses %s (422) and reveals nothing', async (_case, payload, fields) => {
    const before = (await reveals(brand.id)).length;
    const response = await reveal(supportToken, target.id, payload);
    expectInvalidFields(response, fields);
    expect(response.body).not.toContain(target.email);
    expect((await reveals(brand.id)).length).toBe(before);
  });

  it('accepts 500 characters', async () => {
    expect((await reveal(supportToken, target.id, { reason: 'y'.repeat(500) })).statusCode).toBe(200);
  });

  it("answers 404 for another brand's customer exactly like a missing one, and audits nothing", async () => {
    const otherSupport = await paydesk.keyFor(other, 'support');
    const missing = 'cus_00000000000000000000000000';
    const foreign = await reveal(otherSupport, target.id, { reason: 'looking around' });
    const absent = await reveal(otherSupport, missing, { reason: 'looking around' });
    expectProblem(foreign, 404, 'customer_not_found');
    expect(foreign.body.replaceAll(target.id, '<id>')).toBe(absent.body.replaceAll(missing, '<id>'));
    expectProblem(await reveal(otherSupport, 'not-an-id', { reason: 'looking around' }), 404, 'customer_not_found');
    for (const needle of contactNeedles(target)) expect(foreign.body).not.toContain(needle);
    expect(await reveals(other.id)).toEqual([]);
  });

  it.each(['manager', 'viewer', 'developer'] as const)('refuses the %s role (403) and audits nothing', async (role) => {
    const before = (await reveals(brand.id)).length;
    const response = await reveal(await paydesk.keyFor(brand, role), target.id, { reason: 'just because' });
    expect(expectProblem(response, 403, 'forbidden').permission).toBe('customers.reveal');
    expect((await reveals(brand.id)).length).toBe(before);
  });

  it('lets owners and admins reveal too, audited', async () => {
    for (const role of ['owner', 'admin'] as const) {
      const token = await paydesk.keyFor(brand, role);
      expect((await reveal(token, target.id, { reason: `${role} check` })).json()).toMatchObject({
        email: target.email,
        phone: target.phone,
      });
      expect((await reveals(brand.id)).at(-1)).toMatchObject({
        actor_id: await keyIdOf(token),
        details: { reason: `${role} check` },
      });
    }
  });

  it('lasts 15 minutes for that caller and customer: the profile answers raw, audited once, then masked again', async () => {
    const token = await paydesk.keyFor(brand, 'support');
    const otherSupport = await paydesk.keyFor(brand, 'support');
    const neighbour = await newCustomer(paydesk, brand, contactBody());
    const get = async (key: string, id: string) =>
      (await paydesk.request(key, { method: 'GET', url: `/api/v1/customers/${id}` })).json<CustomerJson>();
    const masked = await get(token, target.id);
    expect(masked).toMatchObject({ contact_masked: true, contact_revealed_until: null });
    expect(masked.email).not.toBe(target.email);

    const before = Date.now();
    const revealed = (await reveal(token, target.id, { reason: 'Customer on the phone, ticket 5120' })).json<{
      revealed_until: string;
    }>();
    const until = new Date(revealed.revealed_until).getTime();
    expect(until - before).toBeGreaterThan(14 * 60_000);
    expect(until - before).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    const audited = (await reveals(brand.id)).length;
    const events = async () =>
      (
        await paydesk.rawQuery(
          "SELECT count(*)::int AS n FROM customer_events WHERE merchant_id = $1 AND customer_id = $2 AND type = 'customer.revealed'",
          [brand.id, target.id],
        )
      )[0]!.n;
    const timeline = await events();

    // Reopened, again and again: raw, with the end stated, and no new audit row or timeline event.
    for (let i = 0; i < 3; i++) {
      expect(await get(token, target.id)).toMatchObject({
        email: target.email,
        phone: target.phone,
        contact_masked: false,
        contact_revealed_until: revealed.revealed_until,
      });
    }
    expect((await reveals(brand.id)).length).toBe(audited);
    expect(await events()).toBe(timeline);
    // Only this caller, only this customer, only the profile: the list stays masked.
    expect(await get(otherSupport, target.id)).toMatchObject({ contact_masked: true, contact_revealed_until: null });
    expect(await get(token, neighbour.id)).toMatchObject({ contact_masked: true });
    const list = await paydesk.request(token, { method: 'GET', url: '/api/v1/customers?limit=100' });
    for (const needle of contactNeedles(target)) expect(list.body).not.toContain(needle);

    // Past its end (moved back in the database rather than waiting 15 minutes): masked again.
    await paydesk.rawQuery(
      "UPDATE customer_contact_reveals SET expires_at = now() - interval '1 second' WHERE merchant_id = $1 AND customer_id = $2",
      [brand.id, target.id],
    );
    const after = await get(token, target.id);
    expect(after).toMatchObject({ contact_masked: true, contact_revealed_until: null });
    for (const needle of contactNeedles(target)) expect(JSON.stringify(after)).not.toContain(needle);
  });

  it('ends a running reveal when the member loses the permission (a role without reveal sees masked)', async () => {
    const token = await paydesk.keyFor(brand, 'support');
    expect((await reveal(token, target.id, { reason: 'checking an address' })).statusCode).toBe(200);
    const [key] = await paydesk.rawQuery('SELECT id FROM api_keys WHERE merchant_id = $1 AND token_hint = $2', [
      brand.id,
      token.slice(-4),
    ]);
    await paydesk.rawQuery("UPDATE api_keys SET role = 'viewer' WHERE merchant_id = $1 AND id = $2", [
      brand.id,
      key!.id,
    ]);
    const view = await paydesk.request(token, { method: 'GET', url: `/api/v1/customers/${target.id}` });
    expect(view.json()).toMatchObject({ contact_masked: true, contact_revealed_until: null });
  });
});
