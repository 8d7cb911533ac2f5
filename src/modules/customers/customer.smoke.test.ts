import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/support/backends.js';
import { customerBody, startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';

describe.each(BACKENDS)('customers smoke (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
  });
  afterAll(() => paydesk?.close());

  it('creates and reads back a customer with a Bangladeshi local phone number', async () => {
    const created = await paydesk.request(brand.token, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: customerBody({ phone: '01700000000' }),
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const fetched = await paydesk.request(brand.token, { method: 'GET', url: `/api/v1/customers/${id}` });
    expect(fetched.json().phone).toBe('+8801700000000');
  });
});
