import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { customersApi, newCustomer } from '../../../test/support/customers.js';
import { CLI_TEST, keyRows } from '../../../test/support/keys.js';
import { allNotes, byKey, newNote, type Caller, type NoteJson } from '../../../test/support/notes.js';
import { brandKeyStatus } from '../keys/key-status.service.js';
import { beginRotation, retireKey, rotateBrandKey } from '../keys/key-rotation.service.js';
import { countOffKey, underKey } from '../keys/sealed-tables.js';
import { resealBatch } from '../keys/key-sweep.js';
import { noteKeySweep } from './note.reseal.js';

// Note bodies are sealed under the brand's data key like contact data: a data-key rotation moves
// them too, and an old key is destroyed only when no note uses it either.
describeBackends('key rotation of customer notes (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let owner: Caller;
  let customerIds: string[];
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    owner = byKey(pd, brand.token);
    customerIds = [];
    for (let c = 0; c < 2; c++) {
      const customer = await newCustomer(pd, brand);
      customerIds.push(customer.id);
      for (let i = 0; i < 4; i++) await newNote(owner, customer.id, `note ${i} of customer ${c}\nsecond line`);
    }
  });
  afterAll(() => pd?.close());

  const readAll = async () => (await Promise.all(customerIds.map((id) => allNotes(owner, id)))).flat();
  const noteKeys = async (merchantId: string) =>
    pd.rawQuery('SELECT DISTINCT data_key_id FROM customer_notes WHERE merchant_id = $1', [merchantId]);

  it('moves every note to the new data key, keeps them readable and unchanged, and retires the old key', async () => {
    const before = await readAll();
    expect(before).toHaveLength(8);
    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, brand.id, 'data', { batchSize: 3, settleMs: 0 });
    expect(outcome).toMatchObject({ status: 'completed', retiredKeyIds: [1] });
    expect(outcome.done).toBeGreaterThanOrEqual(before.length + customerIds.length);
    expect(await noteKeys(brand.id)).toEqual([{ data_key_id: outcome.activeKeyId }]);
    pd.ctx.keyring.forget(brand.id);
    // Same bodies, and updated_at untouched: nobody edited them.
    expect(await readAll()).toEqual(before);
    expect((await keyRows(pd, brand.id)).find((k) => k.key_id === 1)).toMatchObject({ state: 'retired' });
  });

  it('counts notes under their data key in the key status', async () => {
    const status = await brandKeyStatus(pd.ctx, brand.id);
    const activeData = status.keys.find((k) => k.purpose === 'data' && k.state === 'active')!;
    expect(activeData.rows).toBe(customerIds.length + 8);
  });

  it('has nothing to move in an index-key rotation', async () => {
    const [{ data_key_id: keyId }] = (await noteKeys(brand.id)) as [{ data_key_id: number }];
    expect(await countOffKey(pd.ctx.db, noteKeySweep, brand.id, 'index', 999)).toBe(0);
    expect(await underKey(pd.ctx.db, noteKeySweep, brand.id, 'index', keyId)).toBe(false);
    expect(
      await resealBatch(
        pd.ctx,
        noteKeySweep,
        { merchantId: brand.id, purpose: 'index', activeKeyId: 999 },
        { afterId: '', limit: 10 },
      ),
    ).toBeNull();
    expect((await noteKeySweep.countPerKey(pd.ctx.db, brand.id)).every((c) => c.purpose === 'data')).toBe(true);
    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, brand.id, 'index', { settleMs: 0 });
    expect(outcome.status).toBe('completed');
    expect(await noteKeys(brand.id)).toEqual([{ data_key_id: keyId }]);
  });

  it('never retires a data key that only a note still uses', async () => {
    const shop = await pd.newBrand();
    const shopOwner = byKey(pd, shop.token);
    const customer = await newCustomer(pd, shop);
    const note: NoteJson = await newNote(shopOwner, customer.id, 'sealed under key 1');
    const plan = await beginRotation(pd.ctx, CLI_TEST, shop.id, 'data');
    // An edit re-seals the customer under the new key: the note alone is left on key 1.
    expect((await customersApi(pd, shop.token).update(customer.id, { name: 'Renamed' })).statusCode).toBe(200);
    expect(await pd.rawQuery('SELECT data_key_id FROM customers WHERE merchant_id = $1', [shop.id])).toEqual([
      { data_key_id: plan.activeKeyId },
    ]);
    expect(await noteKeys(shop.id)).toEqual([{ data_key_id: 1 }]);

    expect(await retireKey(pd.ctx, CLI_TEST, shop.id, 'data', 1)).toBe(false);
    expect((await keyRows(pd, shop.id)).find((k) => k.key_id === 1)).toMatchObject({ state: 'decrypt_only' });

    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, shop.id, 'data', { settleMs: 0 });
    expect(outcome).toMatchObject({ status: 'completed', retiredKeyIds: [1] });
    expect(await noteKeys(shop.id)).toEqual([{ data_key_id: plan.activeKeyId }]);
    pd.ctx.keyring.forget(shop.id);
    expect(await allNotes(shopOwner, customer.id)).toEqual([note]);
  });

  it('an edit re-seals the note under the current data key', async () => {
    const shop = await pd.newBrand();
    const shopOwner = byKey(pd, shop.token);
    const customer = await newCustomer(pd, shop);
    const note = await newNote(shopOwner, customer.id, 'before the rotation');
    const plan = await beginRotation(pd.ctx, CLI_TEST, shop.id, 'data');
    const edited = await shopOwner('PATCH', `/customers/${customer.id}/notes/${note.id}`, { body: 'after it' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await noteKeys(shop.id)).toEqual([{ data_key_id: plan.activeKeyId }]);
    expect(await countOffKey(pd.ctx.db, noteKeySweep, shop.id, 'data', plan.activeKeyId)).toBe(0);
  });
});
