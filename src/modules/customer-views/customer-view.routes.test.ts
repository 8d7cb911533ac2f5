import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { expectInvalidFields, expectProblem } from '../../../test/support/customers.js';
import type { Caller } from '../../../test/support/notes.js';
import { asStaff, newStaff, signIn, type TestStaff } from '../../../test/support/staff.js';
import { FieldDecryptError } from '../../crypto/field-cipher.js';
import { newId } from '../../ids.js';
import { openViewSearch } from './customer-view.view.js';
import type { SavedViewListResponse, SavedViewResponse } from './customer-view.schemas.js';

const SEARCH = 'rahim.uddin@example.com';

describeBackends('saved views of the customers list (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let manager: TestStaff;
  let me: Caller;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    manager = await newStaff(pd, brand, 'manager');
    me = asStaff(pd, await signIn(pd, manager));
  });
  afterAll(() => pd?.close());

  const create = async (body: Record<string, unknown>) => {
    const response = await me('POST', '/customer-views', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<SavedViewResponse>();
  };
  const list = async () => {
    const response = await me('GET', '/customer-views');
    expect(response.statusCode, response.body).toBe(200);
    return response.json<SavedViewListResponse>();
  };
  const rawView = async (id: string) =>
    (
      await pd.rawQuery(
        'SELECT name, owner_staff_id, query, q_enc, data_key_id, created_by_type, created_by_id FROM customer_views WHERE id = $1',
        [id],
      )
    )[0]!;
  const auditOf = async (id: string) =>
    pd.rawQuery('SELECT action, details FROM audit_events WHERE merchant_id = $1 AND target_id = $2 ORDER BY id', [
      brand.id,
      id,
    ]);

  it('saves a personal view with sort, filters and search; lists it with the search opened', async () => {
    const params = {
      sort: '-total_spent',
      source: 'payment_link,checkout',
      created_gte: '2026-01-01T00:00:00Z',
      total_spent_gte: 5000,
      has_payments: true,
      q: SEARCH,
    };
    const view = await create({ name: '  Top   spenders ', params });
    expect(view).toEqual({
      id: expect.stringMatching(/^view_/),
      object: 'customer_view',
      name: 'Top spenders',
      shared: false,
      params,
      owner: manager.id,
      created_at: expect.any(String),
      updated_at: view.created_at,
    });
    expect((await list()).data).toContainEqual(view);
    expect(await rawView(view.id)).toMatchObject({
      owner_staff_id: manager.id,
      created_by_type: 'staff',
      created_by_id: manager.id,
      query: {
        sort: '-total_spent',
        source: 'payment_link,checkout',
        created_gte: '2026-01-01T00:00:00Z',
        total_spent_gte: 5000,
        has_payments: true,
      },
      data_key_id: 1,
    });
  });

  it('keeps the search text sealed at rest (not in the row, not in the audit trail), bound to its row', async () => {
    const view = await create({ name: 'Sealed search', params: { q: SEARCH } });
    const row = await rawView(view.id);
    const sealed = row.q_enc as Uint8Array;
    expect(Buffer.from(sealed).includes(Buffer.from(SEARCH))).toBe(false);
    expect(Buffer.from(sealed).includes(Buffer.from('rahim'))).toBe(false);
    expect(JSON.stringify(row.query)).not.toContain('rahim');
    const audit = await auditOf(view.id);
    expect(audit).toEqual([
      { action: 'customer_view.create', details: { shared: false, parameters: [], has_search: true } },
    ]);
    expect(JSON.stringify(audit)).not.toContain('rahim');

    // Bound to its brand and row: the same ciphertext on another view (or brand) does not open.
    const keys = await pd.ctx.keyring.forBrand(pd.ctx.db, brand.id);
    const opened = { merchant_id: brand.id, id: view.id, q_enc: Buffer.from(sealed) };
    expect(openViewSearch(keys, opened)).toBe(SEARCH);
    expect(() => openViewSearch(keys, { ...opened, id: newId('view') })).toThrow(FieldDecryptError);
    expect(() => openViewSearch(keys, { ...opened, merchant_id: 'brd_other' })).toThrow(FieldDecryptError);
  });

  it('a view without a search holds no ciphertext and no key', async () => {
    const view = await create({ name: 'No search', params: { status: 'suspended' } });
    expect(view.params).toEqual({ status: 'suspended' });
    expect(await rawView(view.id)).toMatchObject({ q_enc: null, data_key_id: null, query: { status: 'suspended' } });
    // An empty search is none.
    const empty = await create({ name: 'Empty search', params: { q: '  ' } });
    expect(empty.params).toEqual({});
    expect(await rawView(empty.id)).toMatchObject({ q_enc: null, data_key_id: null });
  });

  it('lists the views by name', async () => {
    await create({ name: 'zz last', params: {} });
    await create({ name: 'AA first', params: {} });
    const names = (await list()).data.map((v) => v.name);
    expect(names[0]).toBe('AA first');
    expect(names.at(-1)).toBe('zz last');
  });

  it.each([
    [{ name: 'x', params: { sort: 'name' } }, ['params.sort']],
    [{ name: 'x', params: { source: 'nowhere' } }, ['params.source']],
    [{ name: 'x', params: { created_gte: 'yesterday' } }, ['params.created_gte']],
    [
      { name: 'x', params: { created_gte: '2026-02-01T00:00:00Z', created_lt: '2026-01-01T00:00:00Z' } },
      ['params.created_lt'],
    ],
    [{ name: 'x', params: { total_spent_gte: -1 } }, ['params.total_spent_gte']],
    [{ name: 'x', params: { total_spent_gte: '100' } }, ['params.total_spent_gte']],
    [{ name: 'x', params: { has_payments: 'yes' } }, ['params.has_payments']],
    [{ name: 'x', params: { status: 'gone' } }, ['params.status']],
    [{ name: 'x', params: { tag: 'VIP' } }, ['params.tag']],
    [{ name: 'x', params: { tag: newId('tag') } }, ['params.tag']],
    [{ name: 'x', params: { limit: 10 } }, ['params.limit']],
    [{ name: 'x', params: { q: 'x'.repeat(201) } }, ['params.q']],
    [{ name: 'x' }, ['params']],
    [{ name: '', params: {} }, ['name']],
    [{ name: 'x'.repeat(61), params: {} }, ['name']],
    [{ name: 'bell\u0007', params: {} }, ['name']],
    [{ name: 'x', params: {}, shared: 'yes' }, ['shared']],
  ])('422 for %j naming the field; nothing saved', async (body, fields) => {
    const before = (await list()).data.length;
    expectInvalidFields(await me('POST', '/customer-views', body), fields);
    expect((await list()).data).toHaveLength(before);
  });

  it('takes a tag filter naming one of the brand’s tags', async () => {
    const tag = (
      await pd.request(brand.token, { method: 'POST', url: '/api/v1/customer-tags', payload: { name: 'VIP' } })
    ).json<{ id: string }>();
    const view = await create({ name: 'VIPs', params: { tag: tag.id, sort: '-last_payment_at' } });
    expect(view.params).toEqual({ tag: tag.id, sort: '-last_payment_at' });
  });

  it('renames, changes params (re-sealing the search), audits what changed; the same values again change nothing', async () => {
    const view = await create({ name: 'Editable', params: { q: 'first search' } });
    const patched = await me('PATCH', `/customer-views/${view.id}`, {
      name: 'Edited',
      params: { q: 'second search', sort: 'created_at' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const edited = patched.json<SavedViewResponse>();
    expect(edited).toMatchObject({ id: view.id, name: 'Edited', params: { q: 'second search', sort: 'created_at' } });
    expect(edited.updated_at >= view.updated_at).toBe(true);
    expect((await list()).data).toContainEqual(edited);

    const same = await me('PATCH', `/customer-views/${view.id}`, {
      name: 'Edited',
      params: { sort: 'created_at', q: 'second search' },
    });
    expect(same.json()).toEqual(edited);
    // Dropping the search removes its ciphertext and key.
    const cleared = await me('PATCH', `/customer-views/${view.id}`, { params: { sort: 'created_at' } });
    expect(cleared.json<SavedViewResponse>().params).toEqual({ sort: 'created_at' });
    expect(await rawView(view.id)).toMatchObject({ q_enc: null, data_key_id: null });

    const audit = await auditOf(view.id);
    expect(audit.map((e) => e.action)).toEqual([
      'customer_view.create',
      'customer_view.update',
      'customer_view.update',
    ]);
    expect(audit[1]!.details).toEqual({
      shared: false,
      parameters: ['sort'],
      has_search: true,
      changed: ['name', 'params'],
    });
    expect(JSON.stringify(audit)).not.toMatch(/first|second/);
    expectInvalidFields(await me('PATCH', `/customer-views/${view.id}`, { params: { sort: 'email' } }), [
      'params.sort',
    ]);
    expectInvalidFields(await me('PATCH', `/customer-views/${view.id}`, { name: ' ' }), ['name']);
  });

  it('deletes a view (audited); then it is a 404', async () => {
    const view = await create({ name: 'Doomed', params: { q: SEARCH } });
    const removed = await me('DELETE', `/customer-views/${view.id}`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await list()).data.map((v) => v.id)).not.toContain(view.id);
    expect((await auditOf(view.id)).map((e) => e.action)).toEqual(['customer_view.create', 'customer_view.delete']);
    expectProblem(await me('DELETE', `/customer-views/${view.id}`), 404, 'view_not_found');
    expectProblem(await me('PATCH', `/customer-views/${view.id}`, { name: 'Back' }), 404, 'view_not_found');
    expectProblem(await me('PATCH', '/customer-views/view_nope', { name: 'Back' }), 404, 'view_not_found');
  });
});
