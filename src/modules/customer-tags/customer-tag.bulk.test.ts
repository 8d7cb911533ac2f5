import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { customersApi, expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { byKey, type Caller } from '../../../test/support/notes.js';
import { DomainError } from '../../errors.js';
import { newId } from '../../ids.js';
import { tagCustomers, untagCustomers } from './customer-tag-link.service.js';
import type { CustomerTagListView, CustomerTagView } from './customer-tag.schemas.js';

// Bulk tag and untag (the service functions bulk actions call), and what a customer's life does to
// its tags: merge (the survivor gets both customers' tags), erase, delete.
describeBackends('customer tags: bulk and customer lifecycle (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let owner: Caller;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    owner = byKey(pd, brand.token);
  });
  afterAll(() => pd?.close());

  const newTag = async (name: string): Promise<CustomerTagView> => {
    const response = await owner('POST', '/customer-tags', { name });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const tagIdsOf = async (customerId: string) =>
    (
      await pd.rawQuery('SELECT tag_id FROM customer_tag_links WHERE merchant_id = $1 AND customer_id = $2', [
        brand.id,
        customerId,
      ])
    )
      .map((r) => r.tag_id as string)
      .sort();
  const eventsOf = async (type: string, tagId: string) =>
    (
      await pd.rawQuery(
        `SELECT customer_id FROM customer_events WHERE merchant_id = $1 AND type = $2 AND refs->>'tag' = $3`,
        [brand.id, type, tagId],
      )
    )
      .map((r) => r.customer_id as string)
      .sort();
  const countOf = async (tagId: string) =>
    (await owner('GET', '/customer-tags')).json<CustomerTagListView>().data.find((t) => t.id === tagId)?.customers;
  const erase = (id: string) => owner('POST', `/customers/${id}/erase`, { reason: 'Erasure request, ticket 14' });
  const merge = (survivor: string, source: string) =>
    owner('POST', `/customers/${survivor}/merge`, { source_customer: source });

  it('tags many customers in one call; each refusal says why; one event per customer changed', async () => {
    const tag = await newTag('Bulk');
    const [a, b, c, merged, erased] = await Promise.all([1, 2, 3, 4, 5].map(() => newCustomer(pd, brand)));
    expect((await merge(c!.id, merged!.id)).statusCode).toBe(200);
    expect((await erase(erased!.id)).statusCode).toBe(200);
    const theirs = await newCustomer(pd, await pd.newBrand());
    const missing = newId('cus');
    await owner('POST', `/customers/${a!.id}/tags`, { tag: tag.id });

    const outcome = await tagCustomers(pd.ctx, brand.principal, tag.id, [
      a!.id,
      b!.id,
      c!.id,
      b!.id,
      merged!.id,
      erased!.id,
      theirs.id,
      missing,
      'not-an-id',
    ]);
    expect(outcome.applied).toEqual([a!.id, b!.id, c!.id]);
    expect(outcome.refused).toEqual([
      { customer: merged!.id, code: 'customer_merged', reason: expect.stringContaining(c!.id) },
      { customer: erased!.id, code: 'customer_erased', reason: expect.any(String) },
      { customer: theirs.id, code: 'customer_not_found', reason: expect.any(String) },
      { customer: missing, code: 'customer_not_found', reason: expect.any(String) },
      { customer: 'not-an-id', code: 'customer_not_found', reason: expect.any(String) },
    ]);
    // a had it already (its event came from the single tag): b and c are new.
    expect(await eventsOf('customer.tagged', tag.id)).toEqual([a!.id, b!.id, c!.id].sort());
    expect(await countOf(tag.id)).toBe(3);
    expect(await tagIdsOf(erased!.id)).toEqual([]);

    const again = await tagCustomers(pd.ctx, brand.principal, tag.id, [a!.id, b!.id]);
    expect(again).toEqual({ applied: [a!.id, b!.id], refused: [] });
    expect(await eventsOf('customer.tagged', tag.id)).toHaveLength(3);

    const untagged = await untagCustomers(pd.ctx, brand.principal, tag.id, [a!.id, b!.id, erased!.id, theirs.id]);
    expect(untagged.applied).toEqual([a!.id, b!.id, erased!.id]);
    expect(untagged.refused).toEqual([{ customer: theirs.id, code: 'customer_not_found', reason: expect.any(String) }]);
    expect(await eventsOf('customer.untagged', tag.id)).toEqual([a!.id, b!.id].sort());
    expect(await countOf(tag.id)).toBe(1);
  });

  it('refuses a tag the brand does not have (tag_not_found) and writes nothing', async () => {
    const customer = await newCustomer(pd, brand);
    const theirTag = (
      await byKey(pd, (await pd.newBrand()).token)('POST', '/customer-tags', { name: 'x' })
    ).json<CustomerTagView>();
    for (const tagId of [theirTag.id, newId('tag'), 'VIP']) {
      const attempt = tagCustomers(pd.ctx, brand.principal, tagId, [customer.id]);
      await expect(attempt).rejects.toBeInstanceOf(DomainError);
      await expect(attempt).rejects.toMatchObject({ code: 'tag_not_found' });
    }
    expect(await tagIdsOf(customer.id)).toEqual([]);
  });

  it('needs customers.tag', async () => {
    const tag = await newTag('Guarded');
    const customer = await newCustomer(pd, brand);
    const viewer = { ...brand.principal, role: 'viewer' as const };
    await expect(tagCustomers(pd.ctx, viewer, tag.id, [customer.id])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(untagCustomers(pd.ctx, viewer, tag.id, [customer.id])).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('tags a thousand and more customers in one call', async () => {
    const tag = await newTag('Many');
    const ids = (
      await pd.rawQuery(
        `INSERT INTO customers (merchant_id, id, name_enc, email_enc, email_bidx, data_key_id, index_key_id, source,
            metadata, created_at, updated_at)
         SELECT $1, 'cus_' || lpad(i::text, 26, '0'), '\\x'::bytea, '\\x'::bytea, sha256(($1 || i)::bytea), d.key_id,
            x.key_id, 'api', '{}'::jsonb, now(), now()
         FROM generate_series(1, 1203) AS i,
           brand_keys d, brand_keys x
         WHERE d.merchant_id = $1 AND d.purpose = 'data' AND d.state = 'active'
           AND x.merchant_id = $1 AND x.purpose = 'index' AND x.state = 'active'
         RETURNING id`,
        [brand.id],
      )
    ).map((r) => r.id as string);
    const outcome = await tagCustomers(pd.ctx, brand.principal, tag.id, ids);
    expect(outcome.applied).toHaveLength(1203);
    expect(outcome.refused).toEqual([]);
    expect(await countOf(tag.id)).toBe(1203);
    expect(await eventsOf('customer.tagged', tag.id)).toHaveLength(1203);
    expect((await untagCustomers(pd.ctx, brand.principal, tag.id, ids)).applied).toHaveLength(1203);
    expect(await countOf(tag.id)).toBe(0);
  });

  it('a merge gives the survivor the union of both customers’ tags; the merged id keeps none', async () => {
    const [only, both, theirs] = [await newTag('Survivor only'), await newTag('Both'), await newTag('Source only')];
    const survivor = await newCustomer(pd, brand);
    const source = await newCustomer(pd, brand);
    for (const tag of [only, both]) await owner('POST', `/customers/${survivor.id}/tags`, { tag: tag.id });
    for (const tag of [both, theirs]) await owner('POST', `/customers/${source.id}/tags`, { tag: tag.id });

    const merged = await merge(survivor.id, source.id);
    expect(merged.statusCode, merged.body).toBe(200);
    expect(
      merged
        .json<CustomerJson>()
        .tags.map((t) => t.id)
        .sort(),
    ).toEqual([only.id, both.id, theirs.id].sort());
    expect(await tagIdsOf(survivor.id)).toEqual([only.id, both.id, theirs.id].sort());
    expect(await tagIdsOf(source.id)).toEqual([]);
    expect(await countOf(both.id)).toBe(1);
    const audit = await pd.rawQuery(
      "SELECT details FROM audit_events WHERE merchant_id = $1 AND action = 'customer.merge' AND target_id = $2",
      [brand.id, survivor.id],
    );
    expect(audit[0]!.details).toMatchObject({ moved: { customer_tags: 1 } });

    // The merged id answers 409 naming the survivor, for tagging and untagging alike.
    expectProblem(await owner('POST', `/customers/${source.id}/tags`, { tag: only.id }), 409, 'customer_merged');
    expectProblem(await owner('DELETE', `/customers/${source.id}/tags/${only.id}`), 409, 'customer_merged');
  });

  it('an erased customer keeps its tags (not personal data), takes no new one (409), and may be untagged', async () => {
    const [kept, later] = [await newTag('Before erase'), await newTag('After erase')];
    const customer = await newCustomer(pd, brand);
    await owner('POST', `/customers/${customer.id}/tags`, { tag: kept.id });
    expect((await erase(customer.id)).statusCode).toBe(200);
    expect(await tagIdsOf(customer.id)).toEqual([kept.id]);
    expectProblem(await owner('POST', `/customers/${customer.id}/tags`, { tag: later.id }), 409, 'customer_erased');
    const untagged = await owner('DELETE', `/customers/${customer.id}/tags/${kept.id}`);
    expect(untagged.statusCode, untagged.body).toBe(200);
    expect(await tagIdsOf(customer.id)).toEqual([]);
  });

  it('deleting a customer deletes its tag links (cascade) and the counts follow', async () => {
    const tag = await newTag('Deleted with the customer');
    const customer = await newCustomer(pd, brand);
    await owner('POST', `/customers/${customer.id}/tags`, { tag: tag.id });
    expect(await countOf(tag.id)).toBe(1);
    expect((await customersApi(pd, brand.token).remove(customer.id)).statusCode).toBe(204);
    expect(await tagIdsOf(customer.id)).toEqual([]);
    expect(await countOf(tag.id)).toBe(0);
  });
});
