import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { imagesApi, sampleImage, storedImage } from '../../../test/support/images.js';

// Who may see and change a customer's image: staff and keys of its brand, by role. Another brand
// is told the customer does not exist, exactly as for any other id.
describeBackends('customer image access (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let customer: CustomerJson;
  let png: Buffer;
  let served: Buffer;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    customer = await newCustomer(pd, brand);
    png = await sampleImage('png');
    const put = await imagesApi(pd, brand.token).put(customer.id, png, 'image/png');
    expect(put.statusCode, put.body).toBe(200);
    served = (await imagesApi(pd, brand.token).get(customer.id)).rawPayload;
  });
  afterAll(() => pd.close());

  const stillThere = async () => {
    expect((await imagesApi(pd, brand.token).get(customer.id)).rawPayload.equals(served)).toBe(true);
    expect((await storedImage(pd, brand.id, customer.id)).imageUpdatedAt).not.toBeNull();
  };

  it("answers another brand's key 404 customer_not_found for GET, PUT and DELETE, and changes nothing", async () => {
    const other = await pd.newBrand({ name: 'Other Brand' });
    const api = imagesApi(pd, other.token);
    expectProblem(await api.get(customer.id), 404, 'customer_not_found');
    expectProblem(await api.put(customer.id, png, 'image/png'), 404, 'customer_not_found');
    expectProblem(await api.remove(customer.id), 404, 'customer_not_found');
    await stillThere();
  });

  it('lets a viewer (masked) see the image but not change or remove it (403)', async () => {
    const api = imagesApi(pd, await pd.keyFor(brand, 'viewer'));
    const image = await api.get(customer.id);
    expect(image.statusCode).toBe(200);
    expect(image.rawPayload.equals(served)).toBe(true);
    expect(expectProblem(await api.put(customer.id, png, 'image/png'), 403, 'forbidden').detail).toMatch(
      /customers\.edit/,
    );
    expectProblem(await api.remove(customer.id), 403, 'forbidden');
    await stillThere();
  });

  it('refuses support (creates customers, never edits them) the upload and the removal (403)', async () => {
    const api = imagesApi(pd, await pd.keyFor(brand, 'support'));
    expect((await api.get(customer.id)).statusCode).toBe(200);
    expectProblem(await api.put(customer.id, png, 'image/png'), 403, 'forbidden');
    expectProblem(await api.remove(customer.id), 403, 'forbidden');
    await stillThere();
  });

  it('refuses a developer key, which has no customer access, the image too (403)', async () => {
    const api = imagesApi(pd, await pd.keyFor(brand, 'developer'));
    expectProblem(await api.get(customer.id), 403, 'forbidden');
    expectProblem(await api.put(customer.id, png, 'image/png'), 403, 'forbidden');
    expectProblem(await api.remove(customer.id), 403, 'forbidden');
  });

  it('lets a manager replace and remove it', async () => {
    const other = await newCustomer(pd, brand);
    const api = imagesApi(pd, await pd.keyFor(brand, 'manager'));
    expect((await api.put(other.id, png, 'image/png')).statusCode).toBe(200);
    expect((await api.remove(other.id)).statusCode).toBe(204);
  });

  it('answers 401 without credentials', async () => {
    const api = imagesApi(pd, undefined);
    expectProblem(await api.get(customer.id), 401, 'unauthenticated');
    expectProblem(await api.put(customer.id, png, 'image/png'), 401, 'unauthenticated');
    expectProblem(await api.remove(customer.id), 401, 'unauthenticated');
    await stillThere();
  });
});
