import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describeBackends } from '../../../test/support/backends.js';
import { contactBody, expectNoRawContact } from '../../../test/support/contact-data.js';
import {
  customersApi,
  expectProblem,
  newCustomer,
  type CustomerJson,
  type CustomerListJson,
} from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';

describeBackends('masked contact data (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let target: CustomerJson;
  let owner: ReturnType<typeof customersApi>;
  let support: ReturnType<typeof customersApi>;
  let viewer: ReturnType<typeof customersApi>;

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
    target = await newCustomer(paydesk, brand, contactBody());
    for (let i = 0; i < 3; i++) await newCustomer(paydesk, brand, contactBody());
    owner = customersApi(paydesk, brand.token);
    support = customersApi(paydesk, await paydesk.keyFor(brand, 'support'));
    viewer = customersApi(paydesk, await paydesk.keyFor(brand, 'viewer'));
  });
  afterAll(() => paydesk?.close());

  const ids = (response: { json<T>(): T }) => response.json<CustomerListJson>().data.map((c) => c.id);
  const local = () => target.email.slice(0, target.email.indexOf('@'));
  const national = () => parsePhoneNumberFromString(target.phone!)!.formatNational().replace(/\D/g, '');

  describe('search by a masked role', () => {
    it.each([
      ['a fragment of the email local part', () => local().slice(0, 6)],
      ['the whole local part', () => local()],
      ['the local part with the @', () => `${local()}@`],
      ['the domain', () => '@example.com'],
      ['a two-letter email prefix', () => local().slice(0, 2)],
      ['the last six phone digits', () => target.phone!.slice(-6)],
      ['the first digits of the national number', () => national().slice(0, 7)],
      ['a formatted phone fragment', () => `${national().slice(0, 5)}-${national().slice(5, 8)}`],
    ])('finds nothing by %s (the owner does)', async (_case, query) => {
      const q = `q=${encodeURIComponent(query())}`;
      expect(ids(await owner.list(q))).toContain(target.id);
      for (const api of [support, viewer]) {
        const response = await api.list(q);
        expect(response.statusCode).toBe(200);
        expect(ids(response)).not.toContain(target.id);
        expectNoRawContact(response.body, target);
      }
    });

    it.each([
      ['the email', () => target.email],
      ['the email in capitals', () => target.email.toUpperCase()],
      ['the E.164 phone', () => target.phone!],
      ['the national phone', () => national()],
    ])('finds the customer by exactly %s, masked', async (_case, query) => {
      for (const api of [support, viewer]) {
        const response = await api.list(`q=${encodeURIComponent(query())}`);
        expect(ids(response)).toEqual([target.id]);
        expect(response.json<CustomerListJson>().data[0]!.contact_masked).toBe(true);
        expectNoRawContact(response.body, target);
      }
    });

    it('finds names by fragment and by word prefix', async () => {
      const word = target.name.split(' ')[1]!;
      for (const q of [word.slice(1, 6), word.slice(0, 2).toLowerCase(), target.name]) {
        expect(ids(await support.list(`q=${encodeURIComponent(q)}`))).toContain(target.id);
      }
    });
  });

  describe('writes by support', () => {
    it('answers a create, a PUT create and an idempotent replay masked', async () => {
      const body = contactBody();
      const created = await support.create(body, { 'idempotency-key': `mask-${body.email}` });
      expect(created.statusCode).toBe(201);
      expect(created.json<CustomerJson>().contact_masked).toBe(true);
      expectNoRawContact(created.body, body);
      const replay = await support.create(body, { 'idempotency-key': `mask-${body.email}` });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expectNoRawContact(replay.body, body);
      const put = contactBody();
      const upserted = await support.upsert(put);
      expect(upserted.statusCode).toBe(201);
      expectNoRawContact(upserted.body, put);
    });

    it('gets a 409 for a taken email without the contact data', async () => {
      const response = await support.create(contactBody({ email: target.email.toUpperCase() }));
      const problem = expectProblem(response, 409, 'email_taken');
      expect(problem.customer_id).toBe(target.id);
      expectNoRawContact(response.body, target);
    });

    it('gets 403 for PUT on an existing email and for PATCH, without the contact data', async () => {
      for (const response of [
        await support.upsert({ name: 'X Y', email: target.email }),
        await support.update(target.id, { phone: '+8801700000000' }),
        await viewer.update(target.id, { name: 'X Y' }),
      ]) {
        expectProblem(response, 403, 'forbidden');
        expectNoRawContact(response.body, target);
      }
      expect((await owner.get(target.id)).json()).toEqual(target);
    });
  });

  it('shows the name to masked roles, and owners everything raw', async () => {
    const seen = (await viewer.get(target.id)).json<CustomerJson>();
    expect(seen).toEqual({
      ...target,
      email: expect.stringMatching(/^n•••@example\.com$/),
      phone: expect.stringMatching(/^\+880•••••••\d{3}$/),
      contact_masked: true,
    });
    expect(target.contact_masked).toBe(false);
  });
});
