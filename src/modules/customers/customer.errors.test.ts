import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { customerBody, startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  customersApi,
  expectInvalidFields,
  expectProblem,
  newCustomer,
  totalCustomers,
  type CustomerJson,
} from '../../../test/support/customers.js';

const manyKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));

/** Bodies that must fail validation on create, and the fields the problem must name. */
const INVALID_CREATE: [string, Record<string, unknown>, string[]][] = [
  ['name missing', { name: undefined }, ['name']],
  ['name empty', { name: '' }, ['name']],
  ['name only spaces', { name: '   \t ' }, ['name']],
  ['name over 200 characters', { name: 'n'.repeat(201) }, ['name']],
  ['name a number', { name: 42 }, ['name']],
  ['name null', { name: null }, ['name']],
  ['email missing', { email: undefined }, ['email']],
  ['email empty', { email: '' }, ['email']],
  ['email without @', { email: 'ayesha.example.com' }, ['email']],
  ['email without a domain', { email: 'ayesha@' }, ['email']],
  ['email with a display name', { email: 'Ayesha <a@example.com>' }, ['email']],
  ['email a number', { email: 7 }, ['email']],
  ['phone too short', { phone: '12345' }, ['phone']],
  ['phone letters', { phone: 'call me' }, ['phone']],
  ['phone empty', { phone: '' }, ['phone']],
  ['phone a number', { phone: 8801700000000 }, ['phone']],
  ['metadata an array', { metadata: ['a'] }, ['metadata']],
  ['metadata with 51 keys', { metadata: manyKeys(51) }, ['metadata']],
  [
    'metadata key over 40 characters',
    { metadata: { ['k'.repeat(41)]: 'v' } },
    ['metadata', `metadata.${'k'.repeat(41)}`],
  ],
  ['metadata empty key', { metadata: { '': 'v' } }, ['metadata']],
  ['metadata value over 500 characters', { metadata: { note: 'v'.repeat(501) } }, ['metadata.note']],
  ['metadata value a number', { metadata: { count: 3 } }, ['metadata.count']],
  ['metadata value an object', { metadata: { nested: { a: '1' } } }, ['metadata.nested']],
  ['an unknown field', { nickname: 'Ayu' }, ['nickname']],
  ['a read-only field', { id: 'cus_00000000000000000000000000' }, ['id']],
  ['several bad fields', { name: ' ', email: 'nope', phone: '1' }, ['name', 'email', 'phone']],
  ['both required fields missing', { name: undefined, email: undefined }, ['name', 'email']],
];

describeBackends('customer errors (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let api: ReturnType<typeof customersApi>;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
    api = customersApi(paydesk, brand.token);
  });
  afterAll(() => paydesk?.close());

  describe('validation', () => {
    it.each(INVALID_CREATE)('POST with %s → 422 naming the field; nothing written', async (_case, override, fields) => {
      const valid = customerBody();
      const before = await totalCustomers(paydesk, brand);
      expectInvalidFields(await api.create({ ...valid, ...override }), fields);
      expect(await totalCustomers(paydesk, brand)).toBe(before);
      // No half-written row holds the email: the same email is still free.
      expect((await api.create(valid)).statusCode).toBe(201);
    });

    it.each(INVALID_CREATE)('PUT with %s → 422 naming the field; nothing written', async (_case, override, fields) => {
      const valid = customerBody();
      const before = await totalCustomers(paydesk, brand);
      expectInvalidFields(await api.upsert({ ...valid, ...override }), fields);
      expect(await totalCustomers(paydesk, brand)).toBe(before);
    });

    it.each<[string, Record<string, unknown>, string[]]>([
      ['name empty', { name: ' ' }, ['name']],
      ['name over 200 characters', { name: 'n'.repeat(201) }, ['name']],
      ['name null', { name: null }, ['name']],
      ['email invalid', { email: 'not-an-email' }, ['email']],
      ['email null', { email: null }, ['email']],
      ['phone invalid', { phone: '017' }, ['phone']],
      ['phone empty (null removes, "" is a mistake)', { phone: '' }, ['phone']],
      ['an unknown field', { nickname: 'Ayu' }, ['nickname']],
      ['a read-only field', { created_at: '2020-01-01T00:00:00.000Z' }, ['created_at']],
      ['metadata value over 500 characters', { metadata: { note: 'v'.repeat(501) } }, ['metadata.note']],
      ['a valid name but an invalid email', { name: 'Changed Name', email: 'nope' }, ['email']],
    ])('PATCH with %s → 422 naming the field; the customer is unchanged', async (_case, patch, fields) => {
      const original = await newCustomer(paydesk, brand, { phone: '01700000000', metadata: { a: '1' } });
      expectInvalidFields(await api.update(original.id, patch), fields);
      expect((await api.get(original.id)).json()).toEqual(original);
    });

    it('describes one bad field in detail and counts several', async () => {
      const one = expectInvalidFields(await api.create(customerBody({ email: 'nope' })), ['email']);
      expect(one.detail).toBe('email: is not a valid email address');
      expect(one.errors).toEqual([{ field: 'email', reason: 'is not a valid email address' }]);
      const unknown = expectInvalidFields(await api.create(customerBody({ nickname: 'x' })), ['nickname']);
      expect(unknown.errors).toEqual([{ field: 'nickname', reason: 'is not a known field' }]);
      const three = expectInvalidFields(await api.create({ name: '', email: 'x', phone: 'y' }), [
        'name',
        'email',
        'phone',
      ]);
      expect(three.detail).toBe('3 fields are invalid');
    });

    it.each<[string, unknown]>([
      ['an array', []],
      ['a string', 'Ayesha'],
      ['null', null],
    ])('rejects a JSON body that is %s with 422', async (_case, body) => {
      const response = await paydesk.request(brand.token, {
        method: 'POST',
        url: '/api/v1/customers',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      expectInvalidFields(response, ['body']);
    });
  });

  describe('malformed requests', () => {
    it.each([
      ['POST', '/api/v1/customers'],
      ['PUT', '/api/v1/customers'],
      ['PATCH', '/api/v1/customers/cus_00000000000000000000000000'],
    ] as const)('%s %s with invalid JSON → 400 invalid_json', async (method, url) => {
      for (const payload of ['{"name": "Ayesha",', '{name: "Ayesha"}', "{'a': 1}"]) {
        const response = await paydesk.request(brand.token, {
          method,
          url,
          headers: { 'content-type': 'application/json' },
          payload,
        });
        expectProblem(response, 400, 'invalid_json');
      }
    });

    it('answers an empty JSON body with 400 invalid_json', async () => {
      const response = await paydesk.request(brand.token, {
        method: 'POST',
        url: '/api/v1/customers',
        headers: { 'content-type': 'application/json' },
        payload: '',
      });
      expectProblem(response, 400, 'invalid_json');
    });

    it('answers a body over 1 MiB with a 413 problem, writing nothing', async () => {
      const before = await totalCustomers(paydesk, brand);
      const response = await api.create(customerBody({ metadata: { note: 'x'.repeat(1_100_000) } }));
      expect(response.statusCode).toBe(413);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await totalCustomers(paydesk, brand)).toBe(before);
    });

    it.each(['/api/v1/customers/%zz', '/api/v1/customers/%E0%A4%A'])(
      'answers a path with broken percent-encoding (%s) with a 4xx problem document',
      async (url) => {
        const response = await paydesk.request(brand.token, { method: 'GET', url });
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      },
    );

    it('answers an unknown route under /api/v1 with a 404 problem', async () => {
      expectProblem(
        await paydesk.request(brand.token, { method: 'GET', url: '/api/v1/nothing-here' }),
        404,
        'not_found',
      );
    });
  });

  describe('duplicate email', () => {
    it.each([
      ['the same email', (email: string) => email],
      ['the email in upper case', (email: string) => email.toUpperCase()],
      ['the email with mixed case and spaces', (email: string) => `  ${email[0]!.toUpperCase()}${email.slice(1)} `],
    ])('POST with %s → 409 email_taken naming the existing customer; nothing written', async (_case, variant) => {
      const existing = await newCustomer(paydesk, brand);
      const before = await totalCustomers(paydesk, brand);
      const problem = expectProblem(
        await api.create(customerBody({ email: variant(existing.email) })),
        409,
        'email_taken',
      );
      expect(problem.customer_id).toBe(existing.id);
      expect(problem.detail).not.toContain(existing.email);
      expect(await totalCustomers(paydesk, brand)).toBe(before);
      expect((await api.get(existing.id)).json()).toEqual(existing);
    });

    it("PATCH to another customer's email (any case) → 409 naming that customer; neither changes", async () => {
      const a = await newCustomer(paydesk, brand, { phone: '01700000000' });
      const b = await newCustomer(paydesk, brand);
      const problem = expectProblem(
        await api.update(b.id, { name: 'Should Not Stick', email: a.email.toUpperCase(), phone: '01911222333' }),
        409,
        'email_taken',
      );
      expect(problem.customer_id).toBe(a.id);
      expect((await api.get(a.id)).json()).toEqual(a);
      expect((await api.get(b.id)).json()).toEqual(b);
    });
  });

  describe('not found', () => {
    it.each(['cus_00000000000000000000000000', 'nope', 'cus_123', 'brd_00000000000000000000000000', '%20'])(
      'GET, PATCH and DELETE of %j → 404 customer_not_found',
      async (id) => {
        expectProblem(await api.get(id), 404, 'customer_not_found');
        expectProblem(await api.update(id, { name: 'X' }), 404, 'customer_not_found');
        expectProblem(await api.remove(id), 404, 'customer_not_found');
      },
    );

    it('answers an over-long id as not found too, as a problem document', async () => {
      const id = `cus_${'0'.repeat(120)}`;
      expectProblem(await api.get(id), 404, 'customer_not_found');
      expectProblem(await api.remove(id), 404, 'customer_not_found');
    });
  });

  describe('list parameters', () => {
    it.each(['0', '101', '-1', '1.5', 'ten', '1&limit=2'])('limit=%s → 422 naming limit', async (limit) => {
      expectInvalidFields(await api.list(`limit=${limit}`), ['limit']);
    });

    const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    it.each([
      ['garbage', '%%%not-base64%%%'],
      ['base64 of text', Buffer.from('hello').toString('base64url')],
      ['an object', cursorOf({ createdAt: '2024-01-01T00:00:00.000Z', id: 'cus_00000000000000000000000000' })],
      ['a bad date', cursorOf(['yesterday', 'cus_00000000000000000000000000'])],
      ['a bad id', cursorOf(['2024-01-01T00:00:00.000Z', "x' OR 1=1 --"])],
      ['another kind of id', cursorOf(['2024-01-01T00:00:00.000Z', 'brd_00000000000000000000000000'])],
      ['too long', 'a'.repeat(501)],
      ['empty', ''],
    ])('cursor that is %s → 422 naming cursor', async (_case, cursor) => {
      const response = await api.list(`cursor=${cursor}`);
      if (cursor === '') {
        // An empty cursor may mean "first page"; it must never be an error other than about the cursor.
        if (response.statusCode === 200) return;
      }
      expectInvalidFields(response, ['cursor']);
    });

    it.each(['-000001-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z'])(
      'cursor with an extreme date %s is never a 500 (an empty page or 422 naming cursor)',
      async (date) => {
        const response = await api.list(`cursor=${cursorOf([date, 'cus_00000000000000000000000000'])}`);
        expect(response.statusCode, response.body).not.toBe(500);
        if (response.statusCode !== 200) expectInvalidFields(response, ['cursor']);
      },
    );

    it('rejects an unknown query parameter', async () => {
      expectInvalidFields(await api.list('limit=5&offset=10'), ['offset']);
    });
  });

  describe('bad input is never a 500 nor a half-written record', () => {
    it.each<[string, Record<string, unknown>]>([
      ['a NUL character in a metadata value', { metadata: { note: 'a\u0000b' } }],
      ['a NUL character in a metadata key', { metadata: { 'a\u0000b': 'x' } }],
      ['a lone surrogate in a metadata value', { metadata: { note: 'a\ud800b' } }],
      ['a NUL character in the email', { email: 'a\u0000b@example.com' }],
      ['a NUL character in the phone', { phone: '0170\u00000000000' }],
      ['a 1000-character email', { email: `${'a'.repeat(990)}@x.com` }],
      ['a 100-character phone', { phone: '1'.repeat(100) }],
    ])('POST with %s → a 4xx problem, nothing written', async (_case, override) => {
      const valid = customerBody();
      const before = await totalCustomers(paydesk, brand);
      const response = await api.create({ ...valid, ...override });
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, response.body).toBeLessThan(500);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await totalCustomers(paydesk, brand)).toBe(before);
    });

    it.each<[string, Record<string, unknown>]>([
      ['a NUL character in a metadata value', { metadata: { note: 'a\u0000b' } }],
      ['a lone surrogate in a metadata value', { metadata: { note: '\udc00' } }],
    ])('PATCH and PUT with %s → a 4xx problem; the customer is unchanged', async (_case, change) => {
      const original = await newCustomer(paydesk, brand, { metadata: { a: '1' } });
      for (const response of [
        await api.update(original.id, change),
        await api.upsert({ name: original.name, email: original.email, ...change }),
      ]) {
        expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, response.body).toBeLessThan(500);
      }
      expect((await api.get(original.id)).json()).toEqual(original);
    });

    it('stores a name exactly as it answers it, or refuses it (lone surrogates cannot be stored as UTF-8)', async () => {
      const response = await api.create(customerBody({ name: 'Ayesha \ud800 Rahman' }));
      expect(response.statusCode).toBeLessThan(500);
      if (response.statusCode === 201) {
        const created = response.json<CustomerJson>();
        expect((await api.get(created.id)).json<CustomerJson>().name).toBe(created.name);
      } else {
        expectInvalidFields(response, ['name']);
      }
    });
  });
});
