import crypto from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { expectProblem, newCustomer } from '../../../test/support/customers.js';
import { imageEvents, imagesApi, pngDeclaring, sampleImage, storedImage } from '../../../test/support/images.js';

// Every refused upload answers a clear problem and leaves nothing behind: no image row, no
// image_updated_at on the customer, no timeline event.
describeBackends('customer image refusals (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let images: ReturnType<typeof imagesApi>;
  let gif: Buffer;
  let png: Buffer;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    images = imagesApi(pd, brand.token);
    gif = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#c33' } })
      .gif()
      .toBuffer();
    png = await sampleImage('png');
  });
  afterAll(() => pd.close());

  async function expectNothingStored(customerId: string) {
    expect(await storedImage(pd, brand.id, customerId)).toEqual({ image: undefined, imageUpdatedAt: null });
    expect(await imageEvents(pd, brand, customerId)).toEqual([]);
  }

  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
  const form = '--x\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\nabc\r\n--x--\r\n';
  it.each<[string, () => Buffer | string, string | undefined, RegExp]>([
    ['a GIF sent as image/gif', () => gif, 'image/gif', /Content-Type image\/png, image\/jpeg or image\/webp/],
    ['a GIF renamed .png (sent as image/png)', () => gif, 'image/png', /The body is a GIF image/],
    ['PNG bytes sent as image/jpeg', () => png, 'image/jpeg', /The body is PNG but was sent as image\/jpeg/],
    ['a text file as text/plain', () => 'Customer notes\n', 'text/plain', /JSON and text are not accepted/],
    ['a text file as application/octet-stream', () => 'Customer notes\n', 'application/octet-stream', /is text/],
    ['an SVG as image/svg+xml', () => svg, 'image/svg+xml', /Content-Type image\/png/],
    ['an SVG sent as image/png', () => svg, 'image/png', /The body is an SVG image/],
    ['a PDF sent as image/jpeg', () => '%PDF-1.7\n1 0 obj\n', 'image/jpeg', /The body is a PDF document/],
    ['JSON', () => JSON.stringify({ image: 'aGVsbG8=' }), 'application/json', /JSON and text are not accepted/],
    ['a multipart form', () => form, 'multipart/form-data; boundary=x', /multipart forms/],
    ['bytes without a Content-Type', () => png, undefined, /Content-Type image\/png/],
  ])('415 unsupported_media_type for %s', async (_what, body, contentType, detail) => {
    const customer = await newCustomer(pd, brand);
    const problem = expectProblem(await images.put(customer.id, body(), contentType), 415, 'unsupported_media_type');
    expect(problem.detail).toMatch(detail);
    await expectNothingStored(customer.id);
  });

  it('422 for a decompression bomb (20000 × 20000 pixels in a few kilobytes), before decoding it', async () => {
    const customer = await newCustomer(pd, brand);
    const bomb = pngDeclaring(20_000, 20_000);
    expect(bomb.length).toBeLessThan(100_000);
    const started = Date.now();
    const problem = expectProblem(await images.put(customer.id, bomb, 'image/png'), 422, 'validation_failed');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(problem.detail).toBe('body: is 20000 × 20000 pixels; at most 25,000,000 pixels are accepted');
    await expectNothingStored(customer.id);
  });

  it('422 for a corrupt image and for an empty body', async () => {
    const customer = await newCustomer(pd, brand);
    const jpeg = await sampleImage('jpeg');
    const cut = expectProblem(
      await images.put(customer.id, jpeg.subarray(0, 1200), 'image/jpeg'),
      422,
      'validation_failed',
    );
    expect(cut.detail).toBe('body: is not a readable JPEG image (corrupt or cut short)');
    expect(cut.errors).toEqual([{ field: 'body', reason: 'is not a readable JPEG image (corrupt or cut short)' }]);
    expectProblem(await images.put(customer.id, Buffer.alloc(0), 'image/png'), 422, 'validation_failed');
    expectProblem(await images.put(customer.id, Buffer.alloc(0)), 422, 'validation_failed');
    await expectNothingStored(customer.id);
  });

  it('413 payload_too_large over 2 MiB, naming the limit', async () => {
    const customer = await newCustomer(pd, brand);
    // Random pixels, stored uncompressed: a real PNG over the limit.
    const noise = await sharp(crypto.randomBytes(1100 * 1100 * 3), { raw: { width: 1100, height: 1100, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(noise.length).toBeGreaterThan(2 * 1024 * 1024);
    for (const contentType of ['image/png', 'application/octet-stream']) {
      const problem = expectProblem(await images.put(customer.id, noise, contentType), 413, 'payload_too_large');
      expect(problem.detail).toBe('The image is larger than 2 MiB (2097152 bytes): send a smaller one');
      expect(problem.limit_bytes).toBe(2 * 1024 * 1024);
    }
    await expectNothingStored(customer.id);
  });

  it('a refused replacement keeps the image there was', async () => {
    const customer = await newCustomer(pd, brand);
    await images.put(customer.id, png, 'image/png');
    const before = await storedImage(pd, brand.id, customer.id);
    const served = (await images.get(customer.id)).rawPayload;
    expectProblem(await images.put(customer.id, gif, 'image/png'), 415, 'unsupported_media_type');
    expectProblem(await images.put(customer.id, pngDeclaring(20_000, 20_000), 'image/png'), 422, 'validation_failed');
    expect(await storedImage(pd, brand.id, customer.id)).toEqual(before);
    expect((await images.get(customer.id)).rawPayload.equals(served)).toBe(true);
    expect((await imageEvents(pd, brand, customer.id)).map((e) => e.type)).toEqual(['image.updated']);
  });

  it('404 for a customer that does not exist, whatever the body; 404 image_not_found without an image', async () => {
    for (const id of ['cus_00000000000000000000000000', 'nope']) {
      expectProblem(await images.put(id, png, 'image/png'), 404, 'customer_not_found');
      expectProblem(await images.put(id, gif, 'image/png'), 404, 'customer_not_found');
      expectProblem(await images.get(id), 404, 'customer_not_found');
      expectProblem(await images.remove(id), 404, 'customer_not_found');
    }
    const customer = await newCustomer(pd, brand);
    const problem = expectProblem(await images.get(customer.id), 404, 'image_not_found');
    expect(problem.detail).toBe(`Customer ${customer.id} has no image`);
    expectProblem(await images.remove(customer.id), 404, 'image_not_found');
    await expectNothingStored(customer.id);
  });
});
