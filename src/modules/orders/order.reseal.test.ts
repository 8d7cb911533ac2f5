import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { CLI_TEST } from '../../../test/support/keys.js';
import { newOrder, ordersApi, setOrdersAutoCreate, type OrderJson } from '../../../test/support/orders.js';
import { countOffKey, underKey, type SealedTable } from '../keys/sealed-tables.js';
import { resealBatch } from '../keys/key-sweep.js';
import { beginRotation } from '../keys/key-rotation.service.js';
import { orderKeySweep } from './order.reseal.js';

// An order's kept buyer is sealed under a data key: the sweep the keys module runs moves it to the
// new key, readable as before, and says whether an old key is still in use.
describeBackends('key rotation of order buyers (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let orders: OrderJson[];

  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    await setOrdersAutoCreate(pd, brand, false);
    orders = [];
    for (let i = 0; i < 5; i++) orders.push(await newOrder(pd, brand));
    // An order for a customer holds no buyer and no key.
    await setOrdersAutoCreate(pd, brand, true);
    orders.push(await newOrder(pd, brand));
  });
  afterAll(() => pd.close());

  it('re-seals every kept buyer under the new data key, in batches, and reads them the same', async () => {
    const sweep: SealedTable = orderKeySweep;
    expect(await underKey(pd.ctx.db, sweep, brand.id, 'data', 1)).toBe(true);
    expect(await sweep.countPerKey(pd.ctx.db, brand.id)).toEqual([{ purpose: 'data', key_id: 1, rows: 5 }]);
    const plan = await beginRotation(pd.ctx, CLI_TEST, brand.id, 'data');
    expect(await countOffKey(pd.ctx.db, sweep, brand.id, 'data', plan.activeKeyId)).toBe(5);
    expect(await countOffKey(pd.ctx.db, sweep, brand.id, 'index', 999)).toBe(0);

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
    const keys = await pd.rawQuery('SELECT DISTINCT data_key_id FROM orders WHERE merchant_id = $1', [brand.id]);
    expect(keys.map((k) => k.data_key_id).sort()).toEqual([plan.activeKeyId, null].sort());

    pd.ctx.keyring.forget(brand.id);
    for (const order of orders) {
      expect((await ordersApi(pd, brand.token).get(order.id)).json<OrderJson>().buyer).toEqual(order.buyer);
    }
  });
});
