import { afterAll, beforeAll, expect, it } from 'vitest';
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

// On PostgreSQL the harness pool has 20 connections, so 20 requests really run at once; on PGlite
// they interleave between statements on its one connection.
const PARALLEL = 20;

describeBackends('customers under concurrency (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let api: ReturnType<typeof customersApi>;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
    api = customersApi(paydesk, brand.token);
  });
  afterAll(() => paydesk?.close());

  async function customersWithEmail(email: string): Promise<CustomerJson[]> {
    const page = (await api.list('limit=100')).json<CustomerListJson>();
    expect(page.has_more).toBe(false);
    return page.data.filter((c) => c.email === email);
  }

  it(`${PARALLEL} concurrent PUTs for one new email make exactly one customer: one 201, the rest 200`, async () => {
    const body = customerBody({ phone: '01700000000' });
    const before = await totalCustomers(paydesk, brand);
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => api.upsert({ ...body, name: `Racer ${i}` })),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(
      statuses.filter((s) => s === 201),
      responses.map((r) => r.body).join('\n'),
    ).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(PARALLEL - 1);
    const ids = new Set(responses.map((r) => r.json<CustomerJson>().id));
    expect(ids.size).toBe(1);
    expect(await totalCustomers(paydesk, brand)).toBe(before + 1);
    const stored = await customersWithEmail(String(body.email));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.name).toMatch(/^Racer \d+$/);
  });

  it(`${PARALLEL} concurrent PUTs for one new email in mixed case still make one customer`, async () => {
    const body = customerBody();
    const email = String(body.email);
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => api.upsert({ ...body, email: i % 2 ? email.toUpperCase() : email })),
    );
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(responses.every((r) => r.statusCode === 200 || r.statusCode === 201)).toBe(true);
    expect(await customersWithEmail(email)).toHaveLength(1);
  });

  it(`${PARALLEL} concurrent POSTs with one email: one 201, the rest 409 naming the winner`, async () => {
    const body = customerBody();
    const before = await totalCustomers(paydesk, brand);
    const responses = await Promise.all(Array.from({ length: PARALLEL }, () => api.create(body)));
    const created = responses.filter((r) => r.statusCode === 201);
    expect(created, responses.map((r) => r.body).join('\n')).toHaveLength(1);
    const winner = created[0]!.json<CustomerJson>().id;
    for (const response of responses.filter((r) => r.statusCode !== 201)) {
      expect(expectProblem(response, 409, 'email_taken').customer_id).toBe(winner);
    }
    expect(await totalCustomers(paydesk, brand)).toBe(before + 1);
  });

  it(`${PARALLEL} concurrent retries with one Idempotency-Key make one customer; the others replay it`, async () => {
    const key = `concurrent-${Date.now()}`;
    const body = customerBody({ phone: '01700000000' });
    const before = await totalCustomers(paydesk, brand);
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, () => api.create(body, { 'idempotency-key': key })),
    );
    expect(
      responses.map((r) => r.statusCode),
      responses.map((r) => r.body).join('\n'),
    ).toEqual(Array(PARALLEL).fill(201));
    expect(new Set(responses.map((r) => r.json<CustomerJson>().id)).size).toBe(1);
    const fresh = responses.filter((r) => r.headers['idempotent-replayed'] === undefined);
    expect(fresh).toHaveLength(1);
    for (const response of responses) {
      if (response !== fresh[0]) expect(response.headers['idempotent-replayed']).toBe('true');
    }
    expect(await totalCustomers(paydesk, brand)).toBe(before + 1);
  });

  it('concurrent requests with one Idempotency-Key but two bodies: one customer; the other body is refused', async () => {
    const key = `split-${Date.now()}`;
    const a = customerBody();
    const b = customerBody();
    const before = await totalCustomers(paydesk, brand);
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => api.create(i % 2 ? a : b, { 'idempotency-key': key })),
    );
    const ok = responses.filter((r) => r.statusCode === 201);
    expect(new Set(ok.map((r) => r.json<CustomerJson>().id)).size).toBe(1);
    expect(ok.length).toBe(PARALLEL / 2);
    for (const response of responses.filter((r) => r.statusCode !== 201)) {
      expectProblem(response, 422, 'idempotency_key_reused');
    }
    expect(await totalCustomers(paydesk, brand)).toBe(before + 1);
  });

  it('concurrent PATCHes of one customer all succeed and leave one of the written states', async () => {
    const customer = await newCustomer(paydesk, brand);
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        api.update(customer.id, { name: `Writer ${i}`, metadata: { [`k${i}`]: 'v' } }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(PARALLEL).fill(200));
    const final = (await api.get(customer.id)).json<CustomerJson>();
    expect(final.name).toMatch(/^Writer \d+$/);
    // Each PATCH merges into the row under a lock, so no key is lost to a lost update.
    expect(Object.keys(final.metadata).sort()).toEqual(Array.from({ length: PARALLEL }, (_, i) => `k${i}`).sort());
  });

  it('concurrent DELETEs of one customer: exactly one 204, the rest 404', async () => {
    const customer = await newCustomer(paydesk, brand);
    const responses = await Promise.all(Array.from({ length: 10 }, () => api.remove(customer.id)));
    expect(responses.filter((r) => r.statusCode === 204)).toHaveLength(1);
    for (const response of responses.filter((r) => r.statusCode !== 204))
      expectProblem(response, 404, 'customer_not_found');
  });

  it('two customers racing to take each other’s email never end with a shared email', async () => {
    const a = await newCustomer(paydesk, brand);
    const b = await newCustomer(paydesk, brand);
    const target = `shared.${Date.now()}@example.com`;
    const responses = await Promise.all([api.update(a.id, { email: target }), api.update(b.id, { email: target })]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await customersWithEmail(target)).toHaveLength(1);
  });
});
