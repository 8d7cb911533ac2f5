import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { describeBackends } from '../../../test/support/backends.js';
import { customerBody, startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  customersApi,
  expectProblem,
  newCustomer,
  totalCustomers,
  type CustomerJson,
  type CustomerListJson,
} from '../../../test/support/customers.js';

describeBackends('customers security (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brandA: TestBrand;
  let brandB: TestBrand;
  let customerOfA: CustomerJson;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brandA = await paydesk.newBrand({ name: 'Brand A' });
    brandB = await paydesk.newBrand({ name: 'Brand B' });
    customerOfA = await newCustomer(paydesk, brandA, { phone: '01700000000', metadata: { vip: 'yes' } });
  });
  afterAll(() => paydesk?.close());

  describe('authentication', () => {
    const routes = (id: string): [string, InjectOptions][] => [
      ['POST /customers', { method: 'POST', url: '/api/v1/customers', payload: customerBody() }],
      ['PUT /customers', { method: 'PUT', url: '/api/v1/customers', payload: customerBody() }],
      ['GET /customers', { method: 'GET', url: '/api/v1/customers' }],
      ['GET /customers/stats', { method: 'GET', url: '/api/v1/customers/stats' }],
      ['GET /customers/{id}', { method: 'GET', url: `/api/v1/customers/${id}` }],
      ['PATCH /customers/{id}', { method: 'PATCH', url: `/api/v1/customers/${id}`, payload: { name: 'Hacked' } }],
      ['DELETE /customers/{id}', { method: 'DELETE', url: `/api/v1/customers/${id}` }],
    ];
    const credentials: [string, Record<string, string>][] = [
      ['no Authorization header', {}],
      ['an unknown key', { authorization: 'Bearer pdk_thisKeyDoesNotExistAnywhere0000000000000' }],
      ['an empty bearer', { authorization: 'Bearer ' }],
      ['Basic auth', { authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` }],
      ['a key without the Bearer scheme', { authorization: 'pdk_thisKeyDoesNotExistAnywhere0000000000000' }],
    ];

    it.each(credentials)('with %s every customer route answers 401 and changes nothing', async (_case, headers) => {
      const before = await totalCustomers(paydesk, brandA);
      for (const [route, options] of routes(customerOfA.id)) {
        const response = await paydesk.request(undefined, { ...options, headers });
        const problem = expectProblem(response, 401, 'unauthenticated');
        expect(response.body, route).not.toContain(customerOfA.email);
        expect(problem.detail).toEqual(expect.any(String));
      }
      expect(await totalCustomers(paydesk, brandA)).toBe(before);
      expect((await customersApi(paydesk, brandA.token).get(customerOfA.id)).json()).toEqual(customerOfA);
    });

    it('answers 401 before validating the body, so an unauthenticated caller learns nothing about the API', async () => {
      const response = await paydesk.request(undefined, {
        method: 'POST',
        url: '/api/v1/customers',
        payload: { bogus: true },
      });
      expectProblem(response, 401, 'unauthenticated');
    });

    it('accepts the scheme case-insensitively and rejects a revoked key', async () => {
      const token = await paydesk.keyFor(brandA, 'owner');
      const lower = await paydesk.request(undefined, {
        method: 'GET',
        url: '/api/v1/customers/stats',
        headers: { authorization: `bearer ${token}` },
      });
      expect(lower.statusCode).toBe(200);
      await paydesk.rawQuery(
        "UPDATE api_keys SET revoked_at = now() WHERE merchant_id = $1 AND token_hint = $2 AND name = 'test owner'",
        [brandA.id, token.slice(-4)],
      );
      for (const [, options] of routes(customerOfA.id)) {
        expectProblem(await paydesk.request(token, options), 401, 'unauthenticated');
      }
    });

    it.each([
      '/api/v1/customers/',
      '/api%2Fv1/customers',
      '/api/v1%2Fcustomers',
      '//api/v1/customers',
      '/API/v1/customers',
      '/%61pi/v1/customers',
      '/api/v1/%63ustomers',
      '/api/./v1/customers',
      '/api/v1/customers;x',
      '/api/v1/../v1/customers',
    ])('no spelling of the path (%s) reaches customers without a key', async (url) => {
      const response = await paydesk.request(undefined, { method: 'GET', url });
      expect([401, 404]).toContain(response.statusCode);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).not.toContain(customerOfA.email);
      expect(response.body).not.toContain(customerOfA.id);
    });

    it('leaves health and API docs open', async () => {
      expect((await paydesk.request(undefined, { method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      expect((await paydesk.request(undefined, { method: 'GET', url: '/api/docs/json' })).statusCode).toBe(200);
    });
  });

  describe('other brands', () => {
    const withoutId = (body: string, id: string) => body.replaceAll(id, '<id>');

    it.each([
      ['GET', (id: string) => ({ method: 'GET' as const, url: `/api/v1/customers/${id}` })],
      [
        'PATCH',
        (id: string) => ({ method: 'PATCH' as const, url: `/api/v1/customers/${id}`, payload: { name: 'Taken Over' } }),
      ],
      ['DELETE', (id: string) => ({ method: 'DELETE' as const, url: `/api/v1/customers/${id}` })],
    ])("%s of brand A's customer with brand B's key is a 404 exactly like a missing id", async (_method, options) => {
      const missingId = 'cus_00000000000000000000000000';
      const foreign = await paydesk.request(brandB.token, options(customerOfA.id));
      const missing = await paydesk.request(brandB.token, options(missingId));
      expectProblem(foreign, 404, 'customer_not_found');
      expect(foreign.headers['content-type']).toBe(missing.headers['content-type']);
      expect(withoutId(foreign.body, customerOfA.id)).toBe(withoutId(missing.body, missingId));
      for (const secret of [customerOfA.email, customerOfA.name, customerOfA.phone!, 'vip'])
        expect(foreign.body).not.toContain(secret);
      expect((await customersApi(paydesk, brandA.token).get(customerOfA.id)).json()).toEqual(customerOfA);
    });

    it("never lists or counts brand A's customers for brand B", async () => {
      const ofB = await newCustomer(paydesk, brandB);
      const list = (await customersApi(paydesk, brandB.token).list('limit=100')).json<CustomerListJson>();
      expect(list.data.map((c) => c.id)).toContain(ofB.id);
      expect(list.data.map((c) => c.id)).not.toContain(customerOfA.id);
      expect(list.data.map((c) => c.email)).not.toContain(customerOfA.email);
      expect(await totalCustomers(paydesk, brandB)).toBe(list.data.length);
    });

    it("cannot reach brand A's rows with a cursor taken from brand A's list", async () => {
      const brandC = await paydesk.newBrand();
      const apiC = customersApi(paydesk, brandC.token);
      const ofC = await newCustomer(paydesk, brandC);
      for (let i = 0; i < 2; i++) await newCustomer(paydesk, brandA);
      const pageA = (await customersApi(paydesk, brandA.token).list('limit=1')).json<CustomerListJson>();
      expect(pageA.next_cursor).not.toBeNull();
      // The cursor is only a position in time: after it C sees its own older customer, never A's.
      const pageC = (await apiC.list(`limit=100&cursor=${pageA.next_cursor}`)).json<CustomerListJson>();
      expect(pageC.data.map((row) => row.id)).toEqual([ofC.id]);
    });

    it("lets brand B have its own customer with brand A's email (uniqueness is per brand)", async () => {
      const apiB = customersApi(paydesk, brandB.token);
      const created = await apiB.create(customerBody({ email: customerOfA.email.toUpperCase() }));
      expect(created.statusCode).toBe(201);
      expect(created.json<CustomerJson>().id).not.toBe(customerOfA.id);
      expect(created.json<CustomerJson>().email).toBe(customerOfA.email);
      expect((await customersApi(paydesk, brandA.token).get(customerOfA.id)).json()).toEqual(customerOfA);
    });

    it("PUT by brand B with brand A's email creates B's own customer and leaves A's alone", async () => {
      const brandD = await paydesk.newBrand();
      const response = await customersApi(paydesk, brandD.token).upsert({
        name: 'Other Shop Person',
        email: customerOfA.email,
      });
      expect(response.statusCode).toBe(201);
      expect(response.json<CustomerJson>().id).not.toBe(customerOfA.id);
      expect((await customersApi(paydesk, brandA.token).get(customerOfA.id)).json()).toEqual(customerOfA);
    });
  });

  describe('roles', () => {
    it('lets a viewer read but not create, edit or delete (403, nothing changed)', async () => {
      const viewer = customersApi(paydesk, await paydesk.keyFor(brandA, 'viewer'));
      expect((await viewer.get(customerOfA.id)).statusCode).toBe(200);
      expect((await viewer.list()).statusCode).toBe(200);
      const before = await totalCustomers(paydesk, brandA);
      expectProblem(await viewer.create(customerBody()), 403, 'forbidden');
      expectProblem(await viewer.upsert(customerBody()), 403, 'forbidden');
      expectProblem(await viewer.update(customerOfA.id, { name: 'Viewer Was Here' }), 403, 'forbidden');
      expectProblem(await viewer.remove(customerOfA.id), 403, 'forbidden');
      expect(await totalCustomers(paydesk, brandA)).toBe(before);
      expect((await customersApi(paydesk, brandA.token).get(customerOfA.id)).json()).toEqual(customerOfA);
    });

    it('gives a developer key no access to customers', async () => {
      const developer = customersApi(paydesk, await paydesk.keyFor(brandA, 'developer'));
      expectProblem(await developer.get(customerOfA.id), 403, 'forbidden');
      expectProblem(await developer.list(), 403, 'forbidden');
      expectProblem(await developer.stats(), 403, 'forbidden');
    });

    it('lets support create but not edit an existing customer through PUT', async () => {
      const support = customersApi(paydesk, await paydesk.keyFor(brandA, 'support'));
      expect((await support.upsert(customerBody())).statusCode).toBe(201);
      expectProblem(await support.upsert({ name: 'Support Rename', email: customerOfA.email }), 403, 'forbidden');
      expectProblem(await support.update(customerOfA.id, { name: 'Support Rename' }), 403, 'forbidden');
      expect((await customersApi(paydesk, brandA.token).get(customerOfA.id)).json()).toEqual(customerOfA);
    });
  });
});
