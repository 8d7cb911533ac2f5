import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { customersApi, newCustomer } from '../../../test/support/customers.js';
import { CLI_TEST, keyRows } from '../../../test/support/keys.js';
import { byKey, type Caller } from '../../../test/support/notes.js';
import { brandKeyStatus } from '../keys/key-status.service.js';
import { beginRotation, retireKey, rotateBrandKey } from '../keys/key-rotation.service.js';
import { countOffKey, underKey } from '../keys/sealed-tables.js';
import { resealBatch } from '../keys/key-sweep.js';
import { customerViewKeySweep } from './customer-view.reseal.js';
import type { SavedViewListResponse, SavedViewResponse } from './customer-view.schemas.js';

// A saved view's search text is sealed under the brand's data key like contact data: a data-key
// rotation moves it too, and an old key is destroyed only when no view uses it either.
describeBackends('key rotation of saved views (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let owner: Caller;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    owner = byKey(pd, brand.token);
    await newCustomer(pd, brand);
    for (let i = 0; i < 5; i++) await save(owner, `view ${i}`, `search ${i}`);
    await save(owner, 'no search', undefined);
  });
  afterAll(() => pd?.close());

  async function save(call: Caller, name: string, q: string | undefined): Promise<SavedViewResponse> {
    const params = q === undefined ? { sort: '-total_spent' } : { sort: '-total_spent', q };
    const response = await call('POST', '/customer-views', { name, shared: true, params });
    if (response.statusCode !== 201) throw new Error(`save view answered ${response.statusCode}: ${response.body}`);
    return response.json();
  }
  const readAll = async (call: Caller) => (await call('GET', '/customer-views')).json<SavedViewListResponse>().data;
  const viewKeys = async (merchantId: string) =>
    pd.rawQuery(
      'SELECT data_key_id, count(*)::int AS n FROM customer_views WHERE merchant_id = $1 GROUP BY 1 ORDER BY 1 NULLS LAST',
      [merchantId],
    );

  it('moves every sealed search to the new data key, keeps the views unchanged, and retires the old key', async () => {
    const before = await readAll(owner);
    expect(before).toHaveLength(6);
    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, brand.id, 'data', { batchSize: 2, settleMs: 0 });
    expect(outcome).toMatchObject({ status: 'completed', retiredKeyIds: [1] });
    expect(outcome.done).toBeGreaterThanOrEqual(5 + 1);
    // The view without a search has nothing sealed, and stays without a key.
    expect(await viewKeys(brand.id)).toEqual([
      { data_key_id: outcome.activeKeyId, n: 5 },
      { data_key_id: null, n: 1 },
    ]);
    pd.ctx.keyring.forget(brand.id);
    // Same searches, and updated_at untouched: nobody edited them.
    expect(await readAll(owner)).toEqual(before);
    expect((await keyRows(pd, brand.id)).find((k) => k.key_id === 1)).toMatchObject({ state: 'retired' });
  });

  it('counts views under their data key in the key status (views without a search under none)', async () => {
    const status = await brandKeyStatus(pd.ctx, brand.id);
    const activeData = status.keys.find((k) => k.purpose === 'data' && k.state === 'active')!;
    expect(activeData.rows).toBe(1 + 5);
    expect(await customerViewKeySweep.countPerKey(pd.ctx.db, brand.id)).toEqual([
      { purpose: 'data', key_id: activeData.keyId, rows: 5 },
    ]);
  });

  it('has nothing to move in an index-key rotation', async () => {
    const keyId = (await viewKeys(brand.id))[0]!.data_key_id as number;
    expect(await countOffKey(pd.ctx.db, customerViewKeySweep, brand.id, 'index', 999)).toBe(0);
    expect(await underKey(pd.ctx.db, customerViewKeySweep, brand.id, 'index', keyId)).toBe(false);
    expect(
      await resealBatch(
        pd.ctx,
        customerViewKeySweep,
        { merchantId: brand.id, purpose: 'index', activeKeyId: 999 },
        { afterId: '', limit: 10 },
      ),
    ).toBeNull();
    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, brand.id, 'index', { settleMs: 0 });
    expect(outcome.status).toBe('completed');
    expect((await viewKeys(brand.id))[0]).toMatchObject({ data_key_id: keyId });
  });

  it('never retires a data key that only a saved view still uses', async () => {
    const shop = await pd.newBrand();
    const shopOwner = byKey(pd, shop.token);
    const customer = await newCustomer(pd, shop);
    const view = await save(shopOwner, 'sealed under key 1', 'someone@example.com');
    const plan = await beginRotation(pd.ctx, CLI_TEST, shop.id, 'data');
    // An edit re-seals the customer under the new key: the view alone is left on key 1.
    expect((await customersApi(pd, shop.token).update(customer.id, { name: 'Renamed' })).statusCode).toBe(200);
    expect(await pd.rawQuery('SELECT data_key_id FROM customers WHERE merchant_id = $1', [shop.id])).toEqual([
      { data_key_id: plan.activeKeyId },
    ]);
    expect(await viewKeys(shop.id)).toEqual([{ data_key_id: 1, n: 1 }]);

    expect(await retireKey(pd.ctx, CLI_TEST, shop.id, 'data', 1)).toBe(false);
    expect((await keyRows(pd, shop.id)).find((k) => k.key_id === 1)).toMatchObject({ state: 'decrypt_only' });

    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, shop.id, 'data', { settleMs: 0 });
    expect(outcome).toMatchObject({ status: 'completed', retiredKeyIds: [1] });
    expect(await viewKeys(shop.id)).toEqual([{ data_key_id: plan.activeKeyId, n: 1 }]);
    pd.ctx.keyring.forget(shop.id);
    expect(await readAll(shopOwner)).toEqual([view]);
  });

  it('an edit re-seals the search under the current data key', async () => {
    const shop = await pd.newBrand();
    const shopOwner = byKey(pd, shop.token);
    const view = await save(shopOwner, 'before the rotation', 'first');
    const plan = await beginRotation(pd.ctx, CLI_TEST, shop.id, 'data');
    const edited = await shopOwner('PATCH', `/customer-views/${view.id}`, { params: { q: 'after it' } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await viewKeys(shop.id)).toEqual([{ data_key_id: plan.activeKeyId, n: 1 }]);
    expect(await countOffKey(pd.ctx.db, customerViewKeySweep, shop.id, 'data', plan.activeKeyId)).toBe(0);
  });
});
