import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { customersApi, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { CLI_TEST } from '../../../test/support/keys.js';
import { brandKeyStatus, rotateBrandKey } from '../keys/index.js';

// An erased row has no ciphertext to decrypt: key rotations move it to the new key ids without
// decrypting, keep it wiped, and finish; key status counts it under the active keys.
describeBackends('key rotation with an erased customer (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let erased: CustomerJson;
  let kept: CustomerJson[];
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    kept = [await newCustomer(pd, brand), await newCustomer(pd, brand, { phone: '01711222333' })];
    const twin = await newCustomer(pd, brand);
    erased = await newCustomer(pd, brand, { phone: '01711999888' });
    for (const id of [erased.id, twin.id]) {
      const response = await pd.request(brand.token, {
        method: 'POST',
        url: `/api/v1/customers/${id}/erase`,
        payload: { reason: 'Erasure request' },
      });
      expect(response.statusCode, response.body).toBe(200);
    }
  });
  afterAll(() => pd.close());

  const wipedRow = async () =>
    (
      await pd.rawQuery(
        `SELECT octet_length(name_enc)::int AS name, octet_length(email_enc)::int AS email, phone_enc, name_bidx,
                cardinality(search_tokens)::int AS tokens, data_key_id, index_key_id
           FROM customers WHERE id = $1`,
        [erased.id],
      )
    )[0]!;

  it.each(['data', 'index'] as const)('a %s key rotation finishes and leaves the erased row wiped', async (purpose) => {
    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, brand.id, purpose, { batchSize: 2, settleMs: 0 });
    expect(outcome).toMatchObject({ status: 'completed', problems: [] });
    const row = await wipedRow();
    expect(row).toMatchObject({ name: 0, email: 0, phone_enc: null, name_bidx: null, tokens: 0 });
    expect(row[`${purpose}_key_id`]).toBe(outcome.activeKeyId);

    const status = await brandKeyStatus(pd.ctx, brand.id);
    const active = status.keys.find((k) => k.purpose === purpose && k.state === 'active')!;
    expect(active.rows).toBeGreaterThanOrEqual(4);
    expect(status.keys.filter((k) => k.purpose === purpose && k.state !== 'active' && k.rows > 0)).toEqual([]);

    pd.ctx.keyring.forget(brand.id);
    const api = customersApi(pd, brand.token);
    expect((await api.get(erased.id)).json<CustomerJson>()).toMatchObject({ name: 'Erased customer', email: '' });
    for (const c of kept) expect((await api.get(c.id)).json<CustomerJson>()).toMatchObject({ name: c.name });
  });
});
