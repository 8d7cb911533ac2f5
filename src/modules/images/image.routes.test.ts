import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decryptBytes } from '../../crypto/field-cipher.js';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  customersApi,
  expectProblem,
  newCustomer,
  type CustomerJson,
  type CustomerListJson,
} from '../../../test/support/customers.js';
import {
  EXIF_MARKER,
  GPS_MARKER,
  imageEvents,
  imagesApi,
  sampleImage,
  storedImage,
} from '../../../test/support/images.js';
import { imageBinding } from './image.service.js';

// The happy path: upload, serve, replace, remove; what the database keeps; the customer's image_url.
describeBackends('customer images over HTTP (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let images: ReturnType<typeof imagesApi>;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    images = imagesApi(pd, brand.token);
  });
  afterAll(() => pd.close());

  const served = async (url: string) => {
    const response = await pd.request(brand.token, { method: 'GET', url });
    expect(response.statusCode, response.body).toBe(200);
    return response;
  };

  it.each(['png', 'jpeg', 'webp'] as const)(
    'takes a %s: 200 with the customer and its image_url, served as WebP within 512 × 512',
    async (format) => {
      const customer = await newCustomer(pd, brand);
      expect(customer.image_url).toBeNull();
      const response = await images.put(
        customer.id,
        await sampleImage(format, { width: 1600, height: 900 }),
        `image/${format}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      const updated = response.json<CustomerJson>();
      expect(updated).toMatchObject({ id: customer.id, object: 'customer', name: customer.name });
      expect(updated.image_url).toMatch(new RegExp(`^/api/v1/customers/${customer.id}/image\\?v=\\d+$`));
      expect((await customersApi(pd, brand.token).get(customer.id)).json<CustomerJson>().image_url).toBe(
        updated.image_url,
      );

      const image = await served(updated.image_url!);
      expect(image.headers['content-type']).toBe('image/webp');
      expect(image.headers['cache-control']).toBe('private, max-age=3600');
      expect(image.headers['x-content-type-options']).toBe('nosniff');
      expect(image.headers['content-disposition']).toBe('inline');
      expect(await sharp(image.rawPayload).metadata()).toMatchObject({ format: 'webp', width: 512, height: 288 });
    },
  );

  it('serves no EXIF and no GPS: the upload had them, the served image has neither', async () => {
    const customer = await newCustomer(pd, brand);
    const original = await sampleImage('jpeg');
    expect((await sharp(original).metadata()).exif?.includes(Buffer.from(GPS_MARKER))).toBe(true);
    expect((await images.put(customer.id, original, 'image/jpeg')).statusCode).toBe(200);

    const bytes = (await images.get(customer.id)).rawPayload;
    const meta = await sharp(bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    for (const marker of [GPS_MARKER, EXIF_MARKER, 'Exif']) expect(bytes.includes(Buffer.from(marker))).toBe(false);
  });

  it('keeps the image sealed: not in the clear, opened only with the brand key and this customer', async () => {
    const customer = await newCustomer(pd, brand);
    await images.put(customer.id, await sampleImage('png'), 'image/png');
    const bytes = (await images.get(customer.id)).rawPayload;
    const { image, imageUpdatedAt } = await storedImage(pd, brand.id, customer.id);
    expect(image).toMatchObject({ content_type: 'image/webp', width: 512, height: 384, data_key_id: 1 });
    expect(imageUpdatedAt).toEqual(image!.updated_at);
    const sealed = image!.image_enc;
    expect(sealed.subarray(0, 4).toString('latin1')).not.toBe('RIFF');
    expect(sealed.includes(Buffer.from('WEBP'))).toBe(false);
    expect(sealed.includes(bytes.subarray(32, 96))).toBe(false);

    const keys = await pd.ctx.keyring.forBrand(pd.ctx.db, brand.id);
    expect(decryptBytes(keys, imageBinding(brand.id, customer.id), sealed).equals(bytes)).toBe(true);
    const other = await newCustomer(pd, brand);
    expect(() => decryptBytes(keys, imageBinding(brand.id, other.id), sealed)).toThrow();
  });

  it('replaces the image: one row, new bytes, a new image_url version', async () => {
    const customer = await newCustomer(pd, brand);
    const first = (await images.put(customer.id, await sampleImage('png'), 'image/png')).json<CustomerJson>();
    const firstBytes = (await images.get(customer.id)).rawPayload;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const replaced = await images.put(
      customer.id,
      await sampleImage('jpeg', { width: 300, height: 600 }),
      'image/jpeg',
    );
    expect(replaced.statusCode, replaced.body).toBe(200);
    const second = replaced.json<CustomerJson>();
    expect(second.image_url).not.toBe(first.image_url);

    const secondBytes = (await served(second.image_url!)).rawPayload;
    expect(secondBytes.equals(firstBytes)).toBe(false);
    expect(await sharp(secondBytes).metadata()).toMatchObject({ width: 256, height: 512 });
    const rows = await pd.rawQuery('SELECT count(*)::int AS n FROM customer_images WHERE customer_id = $1', [
      customer.id,
    ]);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('removes the image: 204, then 404 image_not_found, and image_url is null', async () => {
    const customer = await newCustomer(pd, brand);
    await images.put(customer.id, await sampleImage('webp'), 'image/webp');
    const removed = await images.remove(customer.id);
    expect(removed.statusCode, removed.body).toBe(204);
    expect(removed.body).toBe('');

    expectProblem(await images.get(customer.id), 404, 'image_not_found');
    expectProblem(await images.remove(customer.id), 404, 'image_not_found');
    expect((await customersApi(pd, brand.token).get(customer.id)).json<CustomerJson>().image_url).toBeNull();
    expect(await storedImage(pd, brand.id, customer.id)).toEqual({ image: undefined, imageUpdatedAt: null });
  });

  it('shows image_url in the customer list, for customers with an image only', async () => {
    const shop = await pd.newBrand();
    const withImage = await newCustomer(pd, shop);
    const without = await newCustomer(pd, shop);
    await imagesApi(pd, shop.token).put(withImage.id, await sampleImage('png'), 'image/png');
    const list = (await customersApi(pd, shop.token).list()).json<CustomerListJson>().data;
    const urlOf = (id: string) => list.find((c) => c.id === id)?.image_url;
    expect(urlOf(withImage.id)).toMatch(/\/image\?v=\d+$/);
    expect(urlOf(without.id)).toBeNull();
  });

  it('writes image.updated and image.removed to the timeline, with who did it', async () => {
    const customer = await newCustomer(pd, brand);
    await images.put(customer.id, await sampleImage('png'), 'image/png');
    await images.put(customer.id, await sampleImage('webp'), 'image/webp');
    await images.remove(customer.id);
    const actor = { actor_type: 'api_key', actor_id: brand.principal.actor.id };
    expect(await imageEvents(pd, brand, customer.id)).toEqual([
      { type: 'image.updated', ...actor },
      { type: 'image.updated', ...actor },
      { type: 'image.removed', ...actor },
    ]);
  });

  it('goes with the customer when the customer is deleted', async () => {
    const customer = await newCustomer(pd, brand);
    await images.put(customer.id, await sampleImage('png'), 'image/png');
    expect((await customersApi(pd, brand.token).remove(customer.id)).statusCode).toBe(204);
    expect(await pd.rawQuery('SELECT 1 FROM customer_images WHERE customer_id = $1', [customer.id])).toEqual([]);
  });
});
