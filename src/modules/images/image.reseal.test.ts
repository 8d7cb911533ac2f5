import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { customersApi, newCustomer } from '../../../test/support/customers.js';
import { imagesApi, sampleImage } from '../../../test/support/images.js';
import { CLI_TEST, keyRows } from '../../../test/support/keys.js';
import { countOffKey, underKey, type SealedTable } from '../keys/sealed-tables.js';
import { resealBatch } from '../keys/key-sweep.js';
import { beginRotation, retireKey, rotateBrandKey } from '../keys/key-rotation.service.js';
import { imageKeySweep } from './image.reseal.js';

// Images are sealed under a data key: a rotation moves them to the new key, they read the same
// (same bytes, same image_url), and an old key is not destroyed while an image still uses it.
describeBackends('key rotation of customer images (%s)', (backend) => {
  let pd: TestPaydesk;
  let png: Buffer;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    png = await sampleImage('png');
  });
  afterAll(() => pd.close());

  /** n customers with an image each; returns their ids. */
  async function customersWithImages(brand: TestBrand, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const { id } = await newCustomer(pd, brand);
      expect((await imagesApi(pd, brand.token).put(id, png, 'image/png')).statusCode).toBe(200);
      ids.push(id);
    }
    return ids;
  }

  /** What a caller sees of each image: its bytes and the customer's image_url. */
  async function readImages(brand: TestBrand, ids: string[]) {
    return Promise.all(
      ids.map(async (id) => ({
        bytes: (await imagesApi(pd, brand.token).get(id)).rawPayload.toString('base64'),
        url: (await customersApi(pd, brand.token).get(id)).json<{ image_url: string }>().image_url,
      })),
    );
  }

  const imageKeys = async (brand: TestBrand) =>
    (await pd.rawQuery('SELECT DISTINCT data_key_id FROM customer_images WHERE merchant_id = $1', [brand.id])).map(
      (r) => r.data_key_id,
    );

  it('re-seals every image under the new data key, in batches, and serves them the same', async () => {
    const brand = await pd.newBrand();
    const ids = await customersWithImages(brand, 5);
    const before = await readImages(brand, ids);
    const sweep: SealedTable = imageKeySweep;
    expect(await underKey(pd.ctx.db, sweep, brand.id, 'data', 1)).toBe(true);
    expect(await sweep.countPerKey(pd.ctx.db, brand.id)).toEqual([{ purpose: 'data', key_id: 1, rows: 5 }]);

    const plan = await beginRotation(pd.ctx, CLI_TEST, brand.id, 'data');
    expect(await countOffKey(pd.ctx.db, sweep, brand.id, 'data', plan.activeKeyId)).toBe(5);
    // No blind index: an index-key rotation has nothing here.
    expect(await countOffKey(pd.ctx.db, sweep, brand.id, 'index', 999)).toBe(0);
    expect(await underKey(pd.ctx.db, sweep, brand.id, 'index', 1)).toBe(false);
    expect(
      await resealBatch(
        pd.ctx,
        sweep,
        { merchantId: brand.id, purpose: 'index', activeKeyId: 999 },
        { afterId: '', limit: 10 },
      ),
    ).toBeNull();

    let afterId = '';
    let batches = 0;
    for (;;) {
      const batch = await resealBatch(
        pd.ctx,
        sweep,
        { merchantId: brand.id, purpose: 'data', activeKeyId: plan.activeKeyId },
        { afterId, limit: 2 },
      );
      if (batch === null) break;
      afterId = batch.lastId;
      batches++;
    }
    expect(batches).toBe(3);
    expect(await countOffKey(pd.ctx.db, sweep, brand.id, 'data', plan.activeKeyId)).toBe(0);
    expect(await underKey(pd.ctx.db, sweep, brand.id, 'data', 1)).toBe(false);
    expect(await imageKeys(brand)).toEqual([plan.activeKeyId]);

    pd.ctx.keyring.forget(brand.id);
    expect(await readImages(brand, ids)).toEqual(before);
  });

  it('is swept by a whole data-key rotation, which then retires the old key', async () => {
    const brand = await pd.newBrand();
    const ids = await customersWithImages(brand, 3);
    const before = await readImages(brand, ids);
    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, brand.id, 'data', { batchSize: 2, settleMs: 0 });
    expect(outcome).toMatchObject({ status: 'completed', retiredKeyIds: [1] });
    expect(await imageKeys(brand)).toEqual([outcome.activeKeyId]);
    pd.ctx.keyring.forget(brand.id);
    expect(await readImages(brand, ids)).toEqual(before);
  });

  it('never retires a key that only an image still uses', async () => {
    const brand = await pd.newBrand();
    const [id] = await customersWithImages(brand, 1);
    const plan = await beginRotation(pd.ctx, CLI_TEST, brand.id, 'data');
    // An edit re-seals the customer's contact under the new key; its image stays under key 1.
    expect((await customersApi(pd, brand.token).update(id!, { name: 'Moved Along' })).statusCode).toBe(200);
    const [customer] = await pd.rawQuery('SELECT data_key_id FROM customers WHERE id = $1', [id]);
    expect(customer).toEqual({ data_key_id: plan.activeKeyId });
    expect(await imageKeys(brand)).toEqual([1]);

    expect(await retireKey(pd.ctx, CLI_TEST, brand.id, 'data', 1)).toBe(false);
    expect((await keyRows(pd, brand.id)).find((k) => k.key_id === 1)).toMatchObject({ state: 'decrypt_only' });
    expect((await imagesApi(pd, brand.token).get(id!)).statusCode).toBe(200);
  });
});
