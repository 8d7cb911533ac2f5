import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import type { DuplicateListView } from './merge.schemas.js';

let counter = 0;
/** A tag no other test's names or emails share. */
function tag(): string {
  counter++;
  return `${Date.now().toString(36)}x${counter}`;
}

describeBackends('duplicate customers (%s)', (backend) => {
  let pd: TestPaydesk;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
  });
  afterAll(() => pd?.close());

  const duplicates = async (brand: TestBrand, token = brand.token, query = '') => {
    const response = await pd.request(token, { method: 'GET', url: `/api/v1/customers/duplicates${query}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<DuplicateListView>();
  };
  const pairIds = (list: DuplicateListView) =>
    list.data.map((pair) => ({ reason: pair.reason, ids: pair.customers.map((c) => c.id).sort() }));
  const sorted = (...customers: CustomerJson[]) => customers.map((c) => c.id).sort();

  it('pairs customers sharing a phone, whatever its formatting; others are not paired', async () => {
    const brand = await pd.newBrand();
    const a = await newCustomer(pd, brand, { phone: '01712345678' });
    const b = await newCustomer(pd, brand, { phone: '+880 1712-345678' });
    await newCustomer(pd, brand, { phone: '01812345678' });
    await newCustomer(pd, brand);
    const list = await duplicates(brand);
    expect(pairIds(list)).toEqual([{ reason: 'phone', ids: sorted(a, b) }]);
    expect(list.has_more).toBe(false);
    // Older first, full views (this role sees contact data raw).
    expect(list.data[0]!.customers.map((c) => c.id)).toEqual([a.id, b.id]);
    expect(list.data[0]!.customers[0]).toMatchObject({
      object: 'customer',
      phone: '+8801712345678',
      contact_masked: false,
    });
  });

  it('pairs equal names (case, accents, spacing folded) with similar emails, and nothing else', async () => {
    const brand = await pd.newBrand();
    const t = tag();
    const a = await newCustomer(pd, brand, { name: `Ayesha Rahman ${t}`, email: `ayesha.${t}@example.com` });
    const b = await newCustomer(pd, brand, { name: `  AYESHA   rahman ${t}`, email: `ayesha.${t}+shop@gmail.com` });
    // Same name, unrelated email: not a pair.
    await newCustomer(pd, brand, { name: `Ayesha Rahman ${t}`, email: `zz.other.${t}@example.net` });
    // Similar email, another name: not a pair.
    await newCustomer(pd, brand, { name: `Karim Uddin ${t}`, email: `ayesha.${t}@example.org` });
    const c = await newCustomer(pd, brand, { name: `Farhána Akter ${t}`, email: `farhana.akter.${t}@example.com` });
    const d = await newCustomer(pd, brand, { name: `Farhana Akter ${t}`, email: `farhana.aktar.${t}@example.com` });
    const list = await duplicates(brand);
    expect(pairIds(list)).toHaveLength(2);
    expect(pairIds(list)).toEqual(
      expect.arrayContaining([
        { reason: 'name_email', ids: sorted(a, b) },
        { reason: 'name_email', ids: sorted(c, d) },
      ]),
    );
  });

  it("never mixes in another brand's customers", async () => {
    const brand = await pd.newBrand();
    const other = await pd.newBrand();
    const t = tag();
    const mine = await newCustomer(pd, brand, { phone: '01911111111', name: `Nadia ${t}`, email: `nadia.${t}@a.com` });
    const theirs = await newCustomer(pd, other, {
      phone: '01911111111',
      name: `Nadia ${t}`,
      email: `nadia.${t}@b.com`,
    });
    expect((await duplicates(brand)).data).toEqual([]);
    expect((await duplicates(other)).data).toEqual([]);
    const second = await newCustomer(pd, other, { phone: '01911111111' });
    expect(pairIds(await duplicates(other))).toEqual([{ reason: 'phone', ids: sorted(theirs, second) }]);
    expect((await duplicates(brand)).data).toEqual([]);
    expect(mine.id).not.toBe(theirs.id);
  });

  it('leaves out merged and erased customers', async () => {
    const brand = await pd.newBrand();
    const a = await newCustomer(pd, brand, { phone: '01722222222' });
    const b = await newCustomer(pd, brand, { phone: '01722222222' });
    const c = await newCustomer(pd, brand, { phone: '01722222222' });
    expect(pairIds(await duplicates(brand))).toHaveLength(3);
    const merged = await pd.request(brand.token, {
      method: 'POST',
      url: `/api/v1/customers/${a.id}/merge`,
      payload: { source_customer: b.id },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(pairIds(await duplicates(brand))).toEqual([{ reason: 'phone', ids: sorted(a, c) }]);
    await pd.rawQuery('UPDATE customers SET erased_at = now() WHERE merchant_id = $1 AND id = $2', [brand.id, c.id]);
    expect((await duplicates(brand)).data).toEqual([]);
  });

  it('fills the name index of rows sealed before it existed, then pairs them', async () => {
    const brand = await pd.newBrand();
    const t = tag();
    const a = await newCustomer(pd, brand, { name: `Rahim Uddin ${t}`, email: `rahim.${t}@example.com` });
    const b = await newCustomer(pd, brand, { name: `Rahim Uddin ${t}`, email: `rahim.${t}@mail.com` });
    const [before] = await pd.rawQuery('SELECT name_bidx FROM customers WHERE merchant_id = $1 AND id = $2', [
      brand.id,
      a.id,
    ]);
    await pd.rawQuery('UPDATE customers SET name_bidx = NULL WHERE merchant_id = $1', [brand.id]);
    expect(pairIds(await duplicates(brand))).toEqual([{ reason: 'name_email', ids: sorted(a, b) }]);
    const rows = await pd.rawQuery('SELECT id, name_bidx FROM customers WHERE merchant_id = $1 ORDER BY id', [
      brand.id,
    ]);
    expect(rows.every((row) => row.name_bidx !== null)).toBe(true);
    // The same value a write seals.
    expect(Buffer.from(rows.find((row) => row.id === a.id)!.name_bidx as Uint8Array)).toEqual(
      Buffer.from(before!.name_bidx as Uint8Array),
    );
  });

  it('answers at most limit pairs and says when there are more', async () => {
    const brand = await pd.newBrand();
    for (const phone of ['01733333331', '01733333332', '01733333333']) {
      await newCustomer(pd, brand, { phone });
      await newCustomer(pd, brand, { phone });
    }
    const page = await duplicates(brand, brand.token, '?limit=2');
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);
    const all = await duplicates(brand);
    expect(all.data).toHaveLength(3);
    expect(all.has_more).toBe(false);
  });

  it('is for roles that may merge: owner, admin and manager see raw contact data; others get 403', async () => {
    const brand = await pd.newBrand();
    await newCustomer(pd, brand, { phone: '01744444444' });
    await newCustomer(pd, brand, { phone: '01744444444' });
    for (const role of ['admin', 'manager'] as const) {
      const list = await duplicates(brand, await pd.keyFor(brand, role));
      expect(list.data).toHaveLength(1);
      expect(list.data[0]!.customers.every((c) => !c.contact_masked && c.phone === '+8801744444444')).toBe(true);
    }
    // The roles that see contact data masked hold no customers.merge, so no masked view of a pair exists.
    for (const role of ['support', 'viewer', 'developer'] as const) {
      const response = await pd.request(await pd.keyFor(brand, role), {
        method: 'GET',
        url: '/api/v1/customers/duplicates',
      });
      expectProblem(response, 403, 'forbidden');
    }
  });
});
