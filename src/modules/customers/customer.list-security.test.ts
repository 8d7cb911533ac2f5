import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { newCustomer, type CustomerJson, type CustomerListJson } from '../../../test/support/customers.js';
import { CUSTOMER_SORTS } from './customer.schemas.js';

/**
 * Roles that see contact data masked (support, viewer) get no raw email or phone from any list
 * parameter: sorts, filters, searches, counts and exports. Their searches match names by fragment
 * and email/phone only by exact value, in every sort; a count must not reveal what a fragment of
 * an email would have matched either.
 */
describeBackends('masked roles and the list’s sorts, filters and counts (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let customers: CustomerJson[];
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand({ country: 'BD' });
    customers = [];
    for (let i = 0; i < 4; i++) {
      customers.push(
        await newCustomer(paydesk, brand, {
          name: `Masked Person ${i}`,
          email: `secretmailbox${i}@hidden.example`,
          phone: `0171555000${i}`,
        }),
      );
    }
  });
  afterAll(() => paydesk?.close());

  const rawValues = () => customers.flatMap((c) => [c.email, c.phone!, c.phone!.slice(4)]);
  const expectNoRawContact = (body: string) => {
    for (const value of rawValues()) expect(body).not.toContain(value);
  };

  it.each(['support', 'viewer'] as const)(
    '%s: lists, searches, counts and exports without raw contact data',
    async (role) => {
      const token = await paydesk.keyFor(brand, role);
      const get = (url: string) => paydesk.request(token, { method: 'GET', url: `/api/v1${url}` });

      for (const sort of CUSTOMER_SORTS) {
        for (const query of [`sort=${sort}&source=api`, `sort=${sort}&has_payments=false&q=masked`]) {
          const response = await get(`/customers?${query}`);
          expect(response.statusCode, response.body).toBe(200);
          expect(response.json<CustomerListJson>().data, query).toHaveLength(4);
          expectNoRawContact(response.body);
        }
        // A fragment of an email or phone matches nothing for a masked role, in any sort…
        for (const q of ['secretmailbox', 'hidden.example', '5550001']) {
          const response = await get(`/customers?sort=${sort}&q=${q}&source=api`);
          expect(response.json<CustomerListJson>().data, `${sort} ${q}`).toEqual([]);
          expect((await get(`/customers/count?q=${q}&source=api`)).json()).toEqual({
            object: 'customer_count',
            count: 0,
          });
        }
        // …the exact value finds its customer, masked.
        const exact = await get(`/customers?sort=${sort}&q=${encodeURIComponent(customers[2]!.email)}`);
        expect(exact.json<CustomerListJson>().data.map((c) => c.id)).toEqual([customers[2]!.id]);
        expectNoRawContact(exact.body);
      }

      const csv = await get('/customers/export?sort=-total_spent&source=api&q=masked');
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.body.trim().split('\n')).toHaveLength(5);
      expectNoRawContact(csv.body);
      const selected = await get(`/customers/export?ids=${customers.map((c) => c.id).join(',')}&sort=created_at`);
      expect(selected.body.trim().split('\n')).toHaveLength(5);
      expectNoRawContact(selected.body);
    },
  );

  it('shows an owner the raw values the masked roles never get (the test can see a leak)', async () => {
    const response = await paydesk.request(brand.token, {
      method: 'GET',
      url: '/api/v1/customers?sort=-total_spent&source=api',
    });
    for (const c of customers) expect(response.body).toContain(c.email);
  });
});
