import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { customerBody, startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { customersApi, expectProblem, totalCustomers, type CustomerJson } from '../../../test/support/customers.js';

let keyCounter = 0;
const newKey = () => `order-${Date.now()}-${++keyCounter}`;

describeBackends('Idempotency-Key on POST /customers (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let api: ReturnType<typeof customersApi>;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
    api = customersApi(paydesk, brand.token);
  });
  afterAll(() => paydesk?.close());

  it('answers a retry with the first response, marked idempotent-replayed, and never makes a second customer', async () => {
    const key = newKey();
    const body = customerBody({ phone: '01700000000', metadata: { order: '1' } });
    const before = await totalCustomers(paydesk, brand);
    const first = await api.create(body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    for (let retry = 0; retry < 3; retry++) {
      const again = await api.create(body, { 'idempotency-key': key });
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
    }
    expect(await totalCustomers(paydesk, brand)).toBe(before + 1);
  });

  it('treats a retry with the same fields in another order as the same request', async () => {
    const key = newKey();
    const body = customerBody({ phone: '01700000000', metadata: { a: '1', b: '2' } });
    const first = await api.create(body, { 'idempotency-key': key });
    const reordered = { metadata: { b: '2', a: '1' }, phone: body.phone, email: body.email, name: body.name };
    const again = await api.create(reordered, { 'idempotency-key': key });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<CustomerJson>().id).toBe(first.json<CustomerJson>().id);
  });

  it.each<[string, (body: Record<string, unknown>) => Record<string, unknown>]>([
    ['another email', (body) => ({ ...body, email: `other.${String(body.email)}` })],
    ['another name', (body) => ({ ...body, name: 'Somebody Else' })],
    ['an added phone', (body) => ({ ...body, phone: '01700000000' })],
    ['other metadata', (body) => ({ ...body, metadata: { order: '2' } })],
  ])('refuses the same key with %s: 422 idempotency_key_reused, nothing created', async (_case, change) => {
    const key = newKey();
    const body = customerBody({ metadata: { order: '1' } });
    const first = await api.create(body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const before = await totalCustomers(paydesk, brand);

    expectProblem(await api.create(change(body), { 'idempotency-key': key }), 422, 'idempotency_key_reused');
    expect(await totalCustomers(paydesk, brand)).toBe(before);
    // The key still answers its own request.
    const again = await api.create(body, { 'idempotency-key': key });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<CustomerJson>().id).toBe(first.json<CustomerJson>().id);
  });

  it('scopes keys to the brand: another brand may use the same key for its own customer', async () => {
    const key = newKey();
    const other = await paydesk.newBrand();
    const mine = await api.create(customerBody(), { 'idempotency-key': key });
    const theirs = await customersApi(paydesk, other.token).create(customerBody(), { 'idempotency-key': key });
    expect(mine.statusCode).toBe(201);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json<CustomerJson>().id).not.toBe(mine.json<CustomerJson>().id);
    expect(await totalCustomers(paydesk, other)).toBe(1);
  });

  it('does not replay across keys: a new key with a taken email is a 409', async () => {
    const body = customerBody();
    const first = await api.create(body, { 'idempotency-key': newKey() });
    const problem = expectProblem(await api.create(body, { 'idempotency-key': newKey() }), 409, 'email_taken');
    expect(problem.customer_id).toBe(first.json<CustomerJson>().id);
  });

  it('without a key, a repeated POST is a 409, not a replay', async () => {
    const body = customerBody();
    const first = await api.create(body);
    const second = expectProblem(await api.create(body), 409, 'email_taken');
    expect(second.customer_id).toBe(first.json<CustomerJson>().id);
  });

  it.each([
    ['empty', ''],
    ['with a space', 'order 1'],
    ['over 255 characters', 'k'.repeat(256)],
  ])('rejects a key that is %s with 422, creating nothing', async (_case, key) => {
    const before = await totalCustomers(paydesk, brand);
    const problem = expectProblem(
      await api.create(customerBody(), { 'idempotency-key': key }),
      422,
      'validation_failed',
    );
    expect(problem.errors?.length).toBeGreaterThan(0);
    for (const error of problem.errors ?? []) expect(error.field).toBe('headers.idempotency-key');
    expect(await totalCustomers(paydesk, brand)).toBe(before);
  });

  it('keeps no personal data with the key', async () => {
    const key = newKey();
    const body = customerBody({ name: 'Idempotent Ishraq', phone: '01811000222' });
    expect((await api.create(body, { 'idempotency-key': key })).statusCode).toBe(201);
    const rows = await paydesk.rawQuery('SELECT t::text AS row FROM idempotency_keys t WHERE key = $1', [key]);
    expect(rows).toHaveLength(1);
    const text = String(rows[0]!.row);
    for (const secret of ['Ishraq', String(body.email), '1811000222']) expect(text).not.toContain(secret);
  });
});
