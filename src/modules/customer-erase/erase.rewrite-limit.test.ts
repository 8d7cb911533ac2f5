import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { customersApi, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';

// Over PAYDESK_ERASE_REWRITE_LIMIT_MB a table is not locked for a rewrite: its pages are filled as
// best effort, and the answer says the physical step is not done (scrubbed: false).
describeBackends('an erase over the rewrite limit (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  const customersFile = async () => (await pd.rawQuery(`SELECT pg_relation_filenode('customers') AS node`))[0]!.node;

  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_ERASE_REWRITE_LIMIT_MB: '0' });
    brand = await pd.newBrand();
  });
  afterAll(() => pd?.close());

  it('erases the person, leaves the table in its files and answers scrubbed: false', async () => {
    const customer = await newCustomer(pd, brand);
    const fileBefore = await customersFile();
    const response = await pd.request(brand.token, {
      method: 'POST',
      url: `/api/v1/customers/${customer.id}/erase`,
      payload: { reason: 'Right to erasure' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Erased customer', scrubbed: false });
    expect(await customersFile()).toEqual(fileBefore);
    const profile = (await customersApi(pd, brand.token).get(customer.id)).json<CustomerJson>();
    expect(profile).toMatchObject({ name: 'Erased customer', phone: null });
  });
});
