import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { expectInvalidFields, expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { byKey, type Caller } from '../../../test/support/notes.js';
import { newId } from '../../ids.js';
import type { CustomerTagListView, CustomerTagView } from './customer-tag.schemas.js';

/** The tags API as one caller. */
function tagsApi(call: Caller) {
  return {
    list: () => call('GET', '/customer-tags'),
    create: (body: Record<string, unknown>) => call('POST', '/customer-tags', body),
    update: (id: string, body: Record<string, unknown>) => call('PATCH', `/customer-tags/${id}`, body),
    remove: (id: string) => call('DELETE', `/customer-tags/${id}`),
    tag: (customerId: string, tag: unknown) => call('POST', `/customers/${customerId}/tags`, { tag }),
    untag: (customerId: string, tagId: string) => call('DELETE', `/customers/${customerId}/tags/${tagId}`),
  };
}

describeBackends('customer tags API (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let api: ReturnType<typeof tagsApi>;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    api = tagsApi(byKey(pd, brand.token));
  });
  afterAll(() => pd?.close());

  const newTag = async (name: string, color?: string) => {
    const response = await api.create(color ? { name, color } : { name });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<CustomerTagView>();
  };
  const listed = async () => {
    const response = await api.list();
    expect(response.statusCode, response.body).toBe(200);
    return response.json<CustomerTagListView>();
  };
  const tagEvents = async (customerId: string) =>
    pd.rawQuery(
      `SELECT type, refs FROM customer_events WHERE merchant_id = $1 AND customer_id = $2
        AND type IN ('customer.tagged', 'customer.untagged') ORDER BY created_at, id`,
      [brand.id, customerId],
    );
  const audit = async (tagId: string) =>
    pd.rawQuery('SELECT action, details FROM audit_events WHERE merchant_id = $1 AND target_id = $2 ORDER BY id', [
      brand.id,
      tagId,
    ]);

  it('creates a tag (gray by default, name tidied) and lists the brand’s tags by name with their counts', async () => {
    const vip = await newTag('  VIP   gold ', 'violet');
    expect(vip).toEqual({
      id: expect.stringMatching(/^tag_/),
      object: 'customer_tag',
      name: 'VIP gold',
      color: 'violet',
      customers: 0,
      created_at: expect.any(String),
    });
    const wholesale = await newTag('wholesale');
    expect(wholesale.color).toBe('gray');
    const apple = await newTag('Apple');
    const list = await listed();
    expect(list).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    // By name, ignoring case.
    const names = list.data.map((t) => t.name);
    expect(names.indexOf('Apple')).toBeLessThan(names.indexOf('VIP gold'));
    expect(names.indexOf('VIP gold')).toBeLessThan(names.indexOf('wholesale'));
    expect(list.data.find((t) => t.id === apple.id)).toEqual(apple);
    expect(await audit(vip.id)).toEqual([
      { action: 'customer_tag.create', details: { tag_name: 'VIP gold', color: 'violet' } },
    ]);
  });

  it('refuses a name the brand has, whatever its case and spacing (409 tag_exists naming the tag)', async () => {
    const tag = await newTag('Late payer');
    const problem = expectProblem(await api.create({ name: ' late   PAYER' }), 409, 'tag_exists');
    expect(problem.tag_id).toBe(tag.id);
    expect((await listed()).data.filter((t) => t.name.toLowerCase() === 'late payer')).toHaveLength(1);
  });

  it.each([
    [{ name: '' }, ['name']],
    [{ name: '   ' }, ['name']],
    [{ name: 'x'.repeat(41) }, ['name']],
    [{ name: 'tab\there' }, ['name']],
    [{ name: 'nul\u0000' }, ['name']],
    [{ name: 'ok', color: 'purple' }, ['color']],
    [{ name: 'ok', extra: 1 }, ['extra']],
    [{}, ['name']],
  ])('422 for %j naming the field', async (body, fields) => {
    expectInvalidFields(await api.create(body), fields);
  });

  it('keeps 40 characters (code points) as a name', async () => {
    expect((await api.create({ name: '🏷'.repeat(40) })).statusCode).toBe(201);
  });

  it('renames and recolours; the same values again write no audit row; a taken name is 409', async () => {
    const tag = await newTag('Newsletter');
    const other = await newTag('Partners');
    const renamed = await api.update(tag.id, { name: 'Newsletter 2027', color: 'teal' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toEqual({ ...tag, name: 'Newsletter 2027', color: 'teal' });
    expect((await api.update(tag.id, { name: 'Newsletter 2027', color: 'teal' })).statusCode).toBe(200);
    // Case only: the same tag, renamed.
    expect((await api.update(tag.id, { name: 'NEWSLETTER 2027' })).json()).toMatchObject({ name: 'NEWSLETTER 2027' });
    expectProblem(await api.update(tag.id, { name: 'partners' }), 409, 'tag_exists');
    expectInvalidFields(await api.update(tag.id, { color: 'black' }), ['color']);
    expectInvalidFields(await api.update(tag.id, { name: '' }), ['name']);
    expect((await audit(tag.id)).map((e) => e.action)).toEqual([
      'customer_tag.create',
      'customer_tag.update',
      'customer_tag.update',
    ]);
    expect((await audit(tag.id))[1]!.details).toEqual({
      tag_name: 'Newsletter 2027',
      previous_tag_name: 'Newsletter',
      color: 'teal',
      previous_color: 'gray',
    });
    expect((await listed()).data.find((t) => t.id === other.id)?.name).toBe('Partners');
  });

  it('404 tag_not_found for an unknown or malformed tag id', async () => {
    for (const id of [newId('tag'), 'tag_nope', newId('cus')]) {
      expectProblem(await api.update(id, { color: 'red' }), 404, 'tag_not_found');
      expectProblem(await api.remove(id), 404, 'tag_not_found');
    }
  });

  it('tags a customer (the customer answers with it), once: again changes nothing; untags, once', async () => {
    const tag = await newTag('Tag me');
    const customer = await newCustomer(pd, brand);
    const tagged = await api.tag(customer.id, tag.id);
    expect(tagged.statusCode, tagged.body).toBe(200);
    expect(tagged.json<CustomerJson>()).toMatchObject({
      id: customer.id,
      tags: [{ id: tag.id, name: 'Tag me', color: 'gray' }],
    });
    expect((await api.tag(customer.id, tag.id)).statusCode).toBe(200);
    expect((await listed()).data.find((t) => t.id === tag.id)?.customers).toBe(1);
    expect(await tagEvents(customer.id)).toEqual([{ type: 'customer.tagged', refs: { tag: tag.id } }]);

    const timeline = await pd.request(brand.token, { method: 'GET', url: `/api/v1/customers/${customer.id}/timeline` });
    expect(timeline.json<{ data: unknown[] }>().data).toContainEqual(
      expect.objectContaining({ type: 'customer.tagged', tag: tag.id }),
    );

    const untagged = await api.untag(customer.id, tag.id);
    expect(untagged.statusCode, untagged.body).toBe(200);
    expect(untagged.json<CustomerJson>().tags).toEqual([]);
    expect((await api.untag(customer.id, tag.id)).statusCode).toBe(200);
    expect((await listed()).data.find((t) => t.id === tag.id)?.customers).toBe(0);
    expect((await tagEvents(customer.id)).map((e) => e.type)).toEqual(['customer.tagged', 'customer.untagged']);
  });

  it('404s: an unknown customer (customer_not_found), an unknown tag (tag_not_found); 422 without a tag', async () => {
    const tag = await newTag('Exists');
    const customer = await newCustomer(pd, brand);
    expectProblem(await api.tag(newId('cus'), tag.id), 404, 'customer_not_found');
    expectProblem(await api.tag(customer.id, newId('tag')), 404, 'tag_not_found');
    expectProblem(await api.tag(customer.id, 'VIP'), 404, 'tag_not_found');
    expectProblem(await api.untag(customer.id, newId('tag')), 404, 'tag_not_found');
    expectProblem(await api.untag(newId('cus'), tag.id), 404, 'customer_not_found');
    expectInvalidFields(await api.tag(customer.id, 42), ['tag']);
    expect(await tagEvents(customer.id)).toEqual([]);
  });

  it('deleting a tag removes it from every customer (audited with the count), and then it is gone', async () => {
    const tag = await newTag('Short-lived');
    const keep = await newTag('Stays');
    const customers = [await newCustomer(pd, brand), await newCustomer(pd, brand)];
    for (const c of customers) {
      await api.tag(c.id, tag.id);
      await api.tag(c.id, keep.id);
    }
    const removed = await api.remove(tag.id);
    expect(removed.statusCode, removed.body).toBe(204);
    expect(
      await pd.rawQuery('SELECT count(*)::int AS n FROM customer_tag_links WHERE merchant_id = $1 AND tag_id = $2', [
        brand.id,
        tag.id,
      ]),
    ).toEqual([{ n: 0 }]);
    const customer = await pd.request(brand.token, { method: 'GET', url: `/api/v1/customers/${customers[0]!.id}` });
    expect(customer.json<CustomerJson>().tags.map((t) => t.id)).toEqual([keep.id]);
    expect((await audit(tag.id)).at(-1)).toEqual({
      action: 'customer_tag.delete',
      details: { tag_name: 'Short-lived', customers_untagged: 2 },
    });
    expect((await listed()).data.map((t) => t.id)).not.toContain(tag.id);
    expectProblem(await api.remove(tag.id), 404, 'tag_not_found');
    expectProblem(await api.tag(customers[0]!.id, tag.id), 404, 'tag_not_found');
  });

  it('caps a brand at 500 tags (422), and a deletion makes room', async () => {
    const shop = await pd.newBrand();
    const shopApi = tagsApi(byKey(pd, shop.token));
    await pd.rawQuery(
      `INSERT INTO customer_tags (merchant_id, id, name, name_key, color, created_at)
       SELECT $1, 'tag_' || lpad(i::text, 26, '0'), 'bulk ' || i, 'bulk ' || i, 'gray', now()
       FROM generate_series(1, 499) AS i`,
      [shop.id],
    );
    const last = await shopApi.create({ name: 'The 500th' });
    expect(last.statusCode, last.body).toBe(201);
    expectProblem(await shopApi.create({ name: 'One too many' }), 422, 'validation_failed');
    expect((await shopApi.list()).json<CustomerTagListView>().data).toHaveLength(500);
    expect((await shopApi.remove(last.json<CustomerTagView>().id)).statusCode).toBe(204);
    expect((await shopApi.create({ name: 'One too many' })).statusCode).toBe(201);
  });
});
