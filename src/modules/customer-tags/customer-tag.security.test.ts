import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { byKey, type Caller } from '../../../test/support/notes.js';
import type { CustomerTagListView, CustomerTagView } from './customer-tag.schemas.js';

const TAGGERS: Role[] = ['owner', 'admin', 'manager'];
const READERS: Role[] = ['support', 'viewer'];

describeBackends('customer tags: roles and brands (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let other: TestBrand;
  let owner: Caller;
  const as: Partial<Record<Role, Caller>> = {};
  const call = (role: Role) => as[role]!;
  let tag: CustomerTagView;
  let otherTag: CustomerTagView;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    other = await pd.newBrand({ name: 'Other Brand' });
    owner = byKey(pd, brand.token);
    for (const role of [...TAGGERS, ...READERS, 'developer' as const]) {
      as[role] = byKey(pd, await pd.keyFor(brand, role));
    }
    tag = (await owner('POST', '/customer-tags', { name: 'VIP' })).json();
    otherTag = (await byKey(pd, other.token)('POST', '/customer-tags', { name: 'Their VIP' })).json();
  });
  afterAll(() => pd?.close());

  const links = async (customerId: string) =>
    (
      await pd.rawQuery('SELECT tag_id FROM customer_tag_links WHERE customer_id = $1 ORDER BY tag_id', [customerId])
    ).map((r) => r.tag_id);

  it.each(TAGGERS)('%s creates, renames, deletes tags and tags customers', async (role) => {
    const created = await call(role)('POST', '/customer-tags', { name: `by ${role}` });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<CustomerTagView>().id;
    expect((await call(role)('PATCH', `/customer-tags/${id}`, { color: 'red' })).statusCode).toBe(200);
    const customer = await newCustomer(pd, brand);
    expect((await call(role)('POST', `/customers/${customer.id}/tags`, { tag: id })).statusCode).toBe(200);
    expect((await call(role)('DELETE', `/customers/${customer.id}/tags/${id}`)).statusCode).toBe(200);
    expect((await call(role)('DELETE', `/customer-tags/${id}`)).statusCode).toBe(204);
  });

  it.each(READERS)('%s reads the tags and the customers’ tags, and changes none (403 customers.tag)', async (role) => {
    const customer = await newCustomer(pd, brand);
    await owner('POST', `/customers/${customer.id}/tags`, { tag: tag.id });
    const list = await call(role)('GET', '/customer-tags');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<CustomerTagListView>().data.map((t) => t.id)).toContain(tag.id);
    const seen = await call(role)('GET', `/customers/${customer.id}`);
    expect(seen.json<CustomerJson>().tags).toEqual([{ id: tag.id, name: 'VIP', color: 'gray' }]);
    // Masked roles still get masked contact data with the tags.
    expect(seen.json<CustomerJson>().email).not.toBe(customer.email);

    const refusals = [
      await call(role)('POST', '/customer-tags', { name: `by ${role}` }),
      await call(role)('PATCH', `/customer-tags/${tag.id}`, { color: 'red' }),
      await call(role)('DELETE', `/customer-tags/${tag.id}`),
      await call(role)('POST', `/customers/${customer.id}/tags`, { tag: tag.id }),
      await call(role)('DELETE', `/customers/${customer.id}/tags/${tag.id}`),
    ];
    for (const response of refusals) expect(expectProblem(response, 403, 'forbidden').permission).toBe('customers.tag');
    expect(await links(customer.id)).toEqual([tag.id]);
    const after = (await owner('GET', '/customer-tags')).json<CustomerTagListView>().data.find((t) => t.id === tag.id);
    expect(after).toMatchObject({ name: 'VIP', color: 'gray' });
  });

  it('a developer (no customers.read) may not even list tags', async () => {
    expect(expectProblem(await call('developer')('GET', '/customer-tags'), 403, 'forbidden').permission).toBe(
      'customers.read',
    );
    expectProblem(await call('developer')('POST', '/customer-tags', { name: 'dev' }), 403, 'forbidden');
  });

  it("another brand's tags are invisible: not listed, 404 to change, delete or put on a customer", async () => {
    const ours = (await owner('GET', '/customer-tags')).json<CustomerTagListView>().data.map((t) => t.id);
    expect(ours).not.toContain(otherTag.id);
    const theirs = (await byKey(pd, other.token)('GET', '/customer-tags')).json<CustomerTagListView>();
    expect(theirs.data.map((t) => t.id)).toEqual([otherTag.id]);

    const customer = await newCustomer(pd, brand);
    expectProblem(await owner('PATCH', `/customer-tags/${otherTag.id}`, { name: 'Mine now' }), 404, 'tag_not_found');
    expectProblem(await owner('DELETE', `/customer-tags/${otherTag.id}`), 404, 'tag_not_found');
    expectProblem(await owner('POST', `/customers/${customer.id}/tags`, { tag: otherTag.id }), 404, 'tag_not_found');
    expectProblem(await owner('DELETE', `/customers/${customer.id}/tags/${otherTag.id}`), 404, 'tag_not_found');
    expect(await links(customer.id)).toEqual([]);
    expect((await byKey(pd, other.token)('GET', '/customer-tags')).json<CustomerTagListView>().data).toEqual([
      otherTag,
    ]);
  });

  it("another brand's customer is a 404 like a missing one, with our tag or theirs", async () => {
    const theirCustomer = await newCustomer(pd, other);
    expectProblem(
      await owner('POST', `/customers/${theirCustomer.id}/tags`, { tag: tag.id }),
      404,
      'customer_not_found',
    );
    expectProblem(await owner('DELETE', `/customers/${theirCustomer.id}/tags/${tag.id}`), 404, 'customer_not_found');
    expect(await links(theirCustomer.id)).toEqual([]);
  });

  it('the same tag name is free in another brand', async () => {
    const response = await byKey(pd, other.token)('POST', '/customer-tags', { name: 'vip' });
    expect(response.statusCode, response.body).toBe(201);
  });
});
