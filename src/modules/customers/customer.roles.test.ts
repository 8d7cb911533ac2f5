import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { describeBackends } from '../../../test/support/backends.js';
import { contactBody, expectNoRawContact } from '../../../test/support/contact-data.js';
import { customersApi, expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { maskE164, maskEmail } from '../../crypto/masking.js';
import { ROLES, type Role } from '../access/permissions.js';

/*
 * Every role against every endpoint, asserted on real responses: allowed with raw contact data,
 * allowed but masked, allowed (no contact data in the answer), or 403.
 */

type Outcome = 'raw' | 'masked' | 'ok' | 403;
type Contact = { name: string; email: string; phone: string | null };

interface Endpoint {
  status: number;
  /** One outcome per role, in ROLES order: owner, admin, manager, support, viewer, developer. */
  outcomes: [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
  /** Calls the endpoint about `target` (a fresh customer); returns the response and the contact it shows. */
  call(token: string, target: CustomerJson): Promise<{ response: LightMyRequestResponse; shows?: Contact }>;
}

describeBackends('roles × endpoints (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
    for (const role of ROLES) tokens[role] = await paydesk.keyFor(brand, role);
  });
  afterAll(() => paydesk?.close());

  const api = (token: string) => customersApi(paydesk, token);
  const send = (token: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
    paydesk.request(token, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });

  const ENDPOINTS: Record<string, Endpoint> = {
    'GET /customers': {
      status: 200,
      outcomes: ['raw', 'raw', 'raw', 'masked', 'masked', 403],
      call: async (token, target) => ({ response: await api(token).list('limit=5'), shows: target }),
    },
    'GET /customers?q= (name fragment)': {
      status: 200,
      outcomes: ['raw', 'raw', 'raw', 'masked', 'masked', 403],
      call: async (token, target) => ({
        response: await api(token).list(`q=${encodeURIComponent(target.name.split(' ')[1]!.toLowerCase())}`),
        shows: target,
      }),
    },
    'GET /customers/stats': {
      status: 200,
      outcomes: ['ok', 'ok', 'ok', 'ok', 'ok', 403],
      call: async (token) => ({ response: await api(token).stats() }),
    },
    'GET /customers/{id}': {
      status: 200,
      outcomes: ['raw', 'raw', 'raw', 'masked', 'masked', 403],
      call: async (token, target) => ({ response: await api(token).get(target.id), shows: target }),
    },
    'POST /customers': {
      status: 201,
      outcomes: ['raw', 'raw', 'raw', 'masked', 403, 403],
      call: async (token) => {
        const body = contactBody();
        return { response: await api(token).create(body), shows: body };
      },
    },
    'PUT /customers (new email)': {
      status: 201,
      outcomes: ['raw', 'raw', 'raw', 'masked', 403, 403],
      call: async (token) => {
        const body = contactBody();
        return { response: await api(token).upsert(body), shows: body };
      },
    },
    'PUT /customers (existing email)': {
      status: 200,
      outcomes: ['raw', 'raw', 'raw', 403, 403, 403],
      call: async (token, target) => ({
        response: await api(token).upsert({ name: 'Renamed By Put', email: target.email }),
        shows: { ...target, name: 'Renamed By Put' },
      }),
    },
    'PATCH /customers/{id}': {
      status: 200,
      outcomes: ['raw', 'raw', 'raw', 403, 403, 403],
      call: async (token, target) => ({
        response: await api(token).update(target.id, { name: 'Renamed By Patch' }),
        shows: { ...target, name: 'Renamed By Patch' },
      }),
    },
    'DELETE /customers/{id}': {
      status: 204,
      outcomes: ['ok', 'ok', 'ok', 403, 403, 403],
      call: async (token, target) => ({ response: await api(token).remove(target.id) }),
    },
    'POST /customers/{id}/reveal': {
      status: 200,
      outcomes: ['ok', 'ok', 403, 'ok', 403, 403],
      call: async (token, target) => ({
        response: await send(token, 'POST', `/customers/${target.id}/reveal`, { reason: 'matrix test' }),
      }),
    },
    'GET /api-keys': {
      status: 200,
      outcomes: ['ok', 'ok', 403, 403, 403, 'ok'],
      call: async (token) => ({ response: await send(token, 'GET', '/api-keys') }),
    },
    'POST /api-keys': {
      status: 201,
      outcomes: ['ok', 'ok', 403, 403, 403, 'ok'],
      call: async (token) => ({
        response: await send(token, 'POST', '/api-keys', { name: 'matrix', role: 'developer' }),
      }),
    },
    'GET /audit': {
      status: 200,
      outcomes: ['ok', 'ok', 403, 403, 403, 403],
      call: async (token) => ({ response: await send(token, 'GET', '/audit') }),
    },
  };

  const cases = Object.entries(ENDPOINTS).flatMap(([name, endpoint]) =>
    ROLES.map((role, i) => [role, name, endpoint.outcomes[i]!] as const),
  );

  it.each(cases)('%s: %s → %s', async (role, name, outcome) => {
    const endpoint = ENDPOINTS[name]!;
    const target = await newCustomer(paydesk, brand, contactBody());
    const { response, shows } = await endpoint.call(tokens[role], target);
    const label = `${role} ${name}`;

    if (outcome === 403) {
      const problem = expectProblem(response, 403, 'forbidden');
      expect(problem.permission).toEqual(expect.any(String));
      expectNoRawContact(response.body, target, label);
      if (shows) expectNoRawContact(response.body, shows, label);
      // Nothing changed.
      expect((await api(brand.token).get(target.id)).json<CustomerJson>()).toEqual(target);
      return;
    }

    expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: endpoint.status });
    if (name === 'POST /customers/{id}/reveal') {
      expect(response.json()).toEqual({ email: target.email, phone: target.phone, revealed_until: expect.any(String) });
    }
    if (outcome === 'ok') return;

    const json = response.json<CustomerJson | { data: CustomerJson[] }>();
    const views = 'data' in json ? json.data : [json];
    const shown = views.find((v) => v.email === shows!.email || v.email === maskEmail(shows!.email));
    expect(shown, `${label}: the customer is in the answer`).toBeDefined();
    expect(shown!.name).toBe(shows!.name);
    if (outcome === 'raw') {
      expect(shown).toMatchObject({ email: shows!.email, phone: shows!.phone, contact_masked: false });
      return;
    }
    expect(shown).toMatchObject({
      email: maskEmail(shows!.email),
      phone: maskE164(shows!.phone!),
      contact_masked: true,
    });
    for (const view of views) expect(view.contact_masked).toBe(true);
    expectNoRawContact(response.body, shows!, label);
  });

  it('gives the developer role a 403 on every customer endpoint, whatever the id or body', async () => {
    const developer = tokens.developer;
    const target = await newCustomer(paydesk, brand, contactBody());
    const missing = 'cus_00000000000000000000000000';
    const calls: [string, () => Promise<LightMyRequestResponse>][] = [
      ['list', () => api(developer).list()],
      ['search by email', () => api(developer).list(`q=${encodeURIComponent(target.email)}`)],
      ['stats', () => api(developer).stats()],
      ['get', () => api(developer).get(target.id)],
      ['get missing', () => api(developer).get(missing)],
      ['create', () => api(developer).create(contactBody())],
      ['put', () => api(developer).upsert(contactBody())],
      ['patch', () => api(developer).update(target.id, { name: 'Dev' })],
      ['delete', () => api(developer).remove(target.id)],
      ['delete missing', () => api(developer).remove(missing)],
      ['reveal', () => send(developer, 'POST', `/customers/${target.id}/reveal`, { reason: 'curious' })],
    ];
    for (const [label, call] of calls) {
      const response = await call();
      expectProblem(response, 403, 'forbidden');
      expectNoRawContact(response.body, target, label);
      expect(response.body, label).not.toContain(target.name);
    }
  });
});
