import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { contactBody } from '../../../test/support/contact-data.js';
import {
  customersApi,
  expectInvalidFields,
  expectProblem,
  newCustomer,
  type CustomerListJson,
} from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { auditEvents } from '../../../test/support/keys.js';
import type { Role } from '../access/permissions.js';

interface KeyJson {
  id: string;
  object: 'api_key';
  name: string;
  role: Role;
  hint: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  token?: string;
}

describeBackends('API keys (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
  });
  afterAll(() => paydesk?.close());

  const create = (token: string, payload: Record<string, unknown>) =>
    paydesk.request(token, { method: 'POST', url: '/api/v1/api-keys', payload });
  const list = async (token: string) => {
    const response = await paydesk.request(token, { method: 'GET', url: '/api/v1/api-keys' });
    expect(response.statusCode).toBe(200);
    return response.json<{ object: 'list'; data: KeyJson[] }>().data;
  };
  const revoke = (token: string, id: string) =>
    paydesk.request(token, { method: 'DELETE', url: `/api/v1/api-keys/${id}` });
  const stats = (token: string) => paydesk.request(token, { method: 'GET', url: '/api/v1/customers/stats' });

  it('creates a key shown once, stored hashed, listed without secrets, carrying its role', async () => {
    const response = await create(brand.token, { name: 'Shop backend', role: 'viewer' });
    expect(response.statusCode).toBe(201);
    const key = response.json<KeyJson>();
    expect(key).toMatchObject({
      object: 'api_key',
      name: 'Shop backend',
      role: 'viewer',
      last_used_at: null,
      revoked_at: null,
    });
    expect(key.token).toMatch(/^pdk_[A-Za-z0-9_-]{43}$/);
    expect(key.hint).toBe(key.token!.slice(-4));
    expect(key.id).toMatch(/^key_/);

    const listed = (await paydesk.request(brand.token, { method: 'GET', url: '/api/v1/api-keys' })).body;
    expect(listed).toContain(key.id);
    expect(listed).not.toContain(key.token!);
    const row = (await list(brand.token)).find((k) => k.id === key.id)!;
    expect(row).toEqual({ ...key, token: undefined });
    expect(Object.keys(row)).not.toContain('token');
    const [stored] = await paydesk.rawQuery('SELECT token_hash FROM api_keys WHERE id = $1', [key.id]);
    expect(Buffer.from(stored!.token_hash as Uint8Array).toString('utf8')).not.toContain(key.token!.slice(4));

    const customer = await newCustomer(paydesk, brand, contactBody());
    const seen = (await customersApi(paydesk, key.token!).get(customer.id)).json<{ contact_masked: boolean }>();
    expect(seen.contact_masked).toBe(true);
    expectProblem(await customersApi(paydesk, key.token!).remove(customer.id), 403, 'forbidden');
  });

  it.each<[Role, Role[], Role[]]>([
    ['owner', ['owner', 'admin', 'manager', 'support', 'viewer', 'developer'], []],
    ['admin', ['admin', 'manager', 'support', 'viewer', 'developer'], ['owner']],
    ['developer', ['developer'], ['owner', 'admin', 'manager', 'support', 'viewer']],
  ])('lets the %s role create keys of roles %j and no higher', async (creator, allowed, refused) => {
    const token = await paydesk.keyFor(brand, creator);
    for (const role of allowed) expect((await create(token, { name: `by ${creator}`, role })).statusCode).toBe(201);
    for (const role of refused) {
      const problem = expectProblem(await create(token, { name: `by ${creator}`, role }), 403, 'forbidden');
      expect(problem.role).toBe(role);
    }
    const made = (await list(brand.token)).filter((k) => k.name === `by ${creator}`).map((k) => k.role);
    expect(made.sort()).toEqual([...allowed].sort());
  });

  it.each(['manager', 'support', 'viewer'] as const)('refuses the %s role any key management (403)', async (role) => {
    const token = await paydesk.keyFor(brand, role);
    expectProblem(await create(token, { name: 'x', role }), 403, 'forbidden');
    expectProblem(await paydesk.request(token, { method: 'GET', url: '/api/v1/api-keys' }), 403, 'forbidden');
    const victim = (await create(brand.token, { name: 'victim', role: 'viewer' })).json<KeyJson>();
    expectProblem(await revoke(token, victim.id), 403, 'forbidden');
    expect((await stats(victim.token!)).statusCode).toBe(200);
  });

  it('revokes a key at once: its next request is 401; revoking again changes nothing', async () => {
    const key = (await create(brand.token, { name: 'to revoke', role: 'manager' })).json<KeyJson>();
    expect((await stats(key.token!)).statusCode).toBe(200);
    expect((await revoke(brand.token, key.id)).statusCode).toBe(204);
    expectProblem(await stats(key.token!), 401, 'unauthenticated');
    expectProblem(await customersApi(paydesk, key.token!).create(contactBody()), 401, 'unauthenticated');
    const revokedAt = (await list(brand.token)).find((k) => k.id === key.id)!.revoked_at;
    expect(revokedAt).not.toBeNull();
    expect((await revoke(brand.token, key.id)).statusCode).toBe(204);
    expect((await list(brand.token)).find((k) => k.id === key.id)!.revoked_at).toBe(revokedAt);
    const events = (await auditEvents(paydesk, brand.id)).filter((e) => e.target_id === key.id);
    expect(events.map((e) => e.action)).toEqual(['api_key.create', 'api_key.revoke']);
  });

  it('lets a key revoke itself', async () => {
    const key = (await create(brand.token, { name: 'self', role: 'developer' })).json<KeyJson>();
    expect((await revoke(key.token!, key.id)).statusCode).toBe(204);
    expectProblem(
      await paydesk.request(key.token!, { method: 'GET', url: '/api/v1/api-keys' }),
      401,
      'unauthenticated',
    );
  });

  it("does not let a developer revoke an owner's or admin's key", async () => {
    const developer = await paydesk.keyFor(brand, 'developer');
    for (const role of ['owner', 'admin'] as const) {
      const key = (await create(brand.token, { name: `${role} integration`, role })).json<KeyJson>();
      expectProblem(await revoke(developer, key.id), 403, 'forbidden');
      expect((await stats(key.token!)).statusCode).toBe(200);
    }
  });

  it('audits creation and revocation with actor, address and role, and never the token', async () => {
    const key = (await create(brand.token, { name: 'audited', role: 'support' })).json<KeyJson>();
    await revoke(brand.token, key.id);
    const events = (await auditEvents(paydesk, brand.id)).filter((e) => e.target_id === key.id);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'api_key.create',
        actor_type: 'api_key',
        actor_id: brand.principal.actor.id,
        target_type: 'api_key',
        ip: '127.0.0.1',
        details: { role: 'support' },
      }),
      expect.objectContaining({
        action: 'api_key.revoke',
        actor_id: brand.principal.actor.id,
        ip: '127.0.0.1',
        details: { role: 'support' },
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain(key.token!.slice(4, 20));
  });

  it('keeps keys within their brand: 404 and empty lists for another brand', async () => {
    const brandB = await paydesk.newBrand({ name: 'Brand B' });
    const keyOfA = (await create(brand.token, { name: 'of A', role: 'viewer' })).json<KeyJson>();
    const customerOfA = await newCustomer(paydesk, brand, contactBody());
    const missing = 'key_00000000000000000000000000';

    const foreign = await revoke(brandB.token, keyOfA.id);
    const absent = await revoke(brandB.token, missing);
    expectProblem(foreign, 404, 'api_key_not_found');
    expect(foreign.body.replaceAll(keyOfA.id, '<id>')).toBe(absent.body.replaceAll(missing, '<id>'));
    expectProblem(await revoke(brandB.token, 'nonsense'), 404, 'api_key_not_found');
    expect((await stats(keyOfA.token!)).statusCode).toBe(200);

    expect((await list(brandB.token)).map((k) => k.id)).toEqual([brandB.principal.actor.id]);
    const apiB = customersApi(paydesk, brandB.token);
    expectProblem(await apiB.get(customerOfA.id), 404, 'customer_not_found');
    expect((await apiB.list()).json<CustomerListJson>().data).toEqual([]);
    expect((await apiB.list(`q=${encodeURIComponent(customerOfA.email)}`)).json<CustomerListJson>().data).toEqual([]);
    const auditB = await paydesk.request(brandB.token, { method: 'GET', url: '/api/v1/audit' });
    expect(auditB.json<{ data: unknown[] }>().data).toEqual([]);

    // A key of brand A only ever sees brand A, whichever role it has.
    const viewerOfA = customersApi(paydesk, await paydesk.keyFor(brand, 'viewer'));
    const ofB = await newCustomer(paydesk, brandB, contactBody());
    expectProblem(await viewerOfA.get(ofB.id), 404, 'customer_not_found');
  });

  it('records last use at most once a minute', async () => {
    const key = (await create(brand.token, { name: 'usage', role: 'viewer' })).json<KeyJson>();
    const lastUsed = async () => (await list(brand.token)).find((k) => k.id === key.id)!.last_used_at;
    expect(await lastUsed()).toBeNull();
    await stats(key.token!);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await stats(key.token!);
    expect(await lastUsed()).toBe(first);
    await paydesk.rawQuery("UPDATE api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = $1", [key.id]);
    const aged = await lastUsed();
    await stats(key.token!);
    expect(new Date((await lastUsed())!).getTime()).toBeGreaterThan(new Date(aged!).getTime());
  });

  it.each([
    ['no name', { role: 'viewer' }, ['name']],
    ['a blank name', { name: '   ', role: 'viewer' }, ['name']],
    ['a name of 101 characters', { name: 'n'.repeat(101), role: 'viewer' }, ['name']],
    ['an unknown role', { name: 'x', role: 'superuser' }, ['role']],
    ['an unknown field', { name: 'x', role: 'viewer', token: 'pdk_mine' }, ['token']],
  ])('refuses %s (422)', async (_case, payload, fields) => {
    expectInvalidFields(await create(brand.token, payload), fields);
  });
});
