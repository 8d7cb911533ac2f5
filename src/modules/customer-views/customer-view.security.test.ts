import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { expectInvalidFields, expectProblem } from '../../../test/support/customers.js';
import { byKey, type Caller } from '../../../test/support/notes.js';
import { asStaff, newStaff, signIn } from '../../../test/support/staff.js';
import type { SavedViewListResponse, SavedViewResponse } from './customer-view.schemas.js';

const SHARERS: Role[] = ['owner', 'admin', 'manager'];
const NOT_SHARERS: Role[] = ['support', 'viewer'];

describeBackends('saved views: owners, sharing, roles and brands (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let other: TestBrand;
  const staff: Partial<Record<Role, { id: string; call: Caller }>> = {};
  const as = (role: Role) => staff[role]!.call;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    other = await pd.newBrand({ name: 'Other Brand' });
    for (const role of [...SHARERS, ...NOT_SHARERS]) {
      const member = await newStaff(pd, brand, role);
      staff[role] = { id: member.id, call: asStaff(pd, await signIn(pd, member)) };
    }
  });
  afterAll(() => pd?.close());

  const save = async (call: Caller, body: Record<string, unknown>) => {
    const response = await call('POST', '/customer-views', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<SavedViewResponse>();
  };
  const idsSeenBy = async (call: Caller) => {
    const response = await call('GET', '/customer-views');
    expect(response.statusCode, response.body).toBe(200);
    return response.json<SavedViewListResponse>().data.map((v) => v.id);
  };

  it.each([...SHARERS, ...NOT_SHARERS])('%s saves, edits and deletes views of its own', async (role) => {
    const view = await save(as(role), { name: `mine (${role})`, params: { sort: '-total_spent', q: 'karim' } });
    expect(view).toMatchObject({ shared: false, owner: staff[role]!.id });
    expect(await idsSeenBy(as(role))).toContain(view.id);
    expect((await as(role)('PATCH', `/customer-views/${view.id}`, { name: 'renamed' })).statusCode).toBe(200);
    expect((await as(role)('DELETE', `/customer-views/${view.id}`)).statusCode).toBe(204);
  });

  it("another staff member's personal view is invisible: not listed, 404 to change or delete", async () => {
    const view = await save(as('viewer'), { name: 'viewer only', params: { q: 'secret person' } });
    for (const role of ['owner', 'manager', 'support'] as const) {
      expect(await idsSeenBy(as(role))).not.toContain(view.id);
      expectProblem(await as(role)('PATCH', `/customer-views/${view.id}`, { name: 'taken' }), 404, 'view_not_found');
      expectProblem(await as(role)('DELETE', `/customer-views/${view.id}`), 404, 'view_not_found');
    }
    // An API key (owner role) sees shared views only.
    expect(await idsSeenBy(byKey(pd, brand.token))).not.toContain(view.id);
    expectProblem(await byKey(pd, brand.token)('DELETE', `/customer-views/${view.id}`), 404, 'view_not_found');
    expect(await idsSeenBy(as('viewer'))).toContain(view.id);
  });

  it.each(NOT_SHARERS)('%s may not share a view (403 customer_views.share), at creation or later', async (role) => {
    const refused = await as(role)('POST', '/customer-views', { name: 'for all', shared: true, params: {} });
    expect(expectProblem(refused, 403, 'forbidden').permission).toBe('customer_views.share');
    const own = await save(as(role), { name: 'to share', params: {} });
    const patch = await as(role)('PATCH', `/customer-views/${own.id}`, { shared: true });
    expect(expectProblem(patch, 403, 'forbidden').permission).toBe('customer_views.share');
    expect(await idsSeenBy(as('owner'))).not.toContain(own.id);
  });

  it('a shared view: everyone in the brand sees it; its creator or a sharer changes it, others may not (403)', async () => {
    const view = await save(as('manager'), { name: 'Team view', shared: true, params: { has_payments: false } });
    expect(view).toMatchObject({ shared: true, owner: null });
    for (const role of [...SHARERS, ...NOT_SHARERS]) expect(await idsSeenBy(as(role))).toContain(view.id);
    expect(await idsSeenBy(byKey(pd, brand.token))).toContain(view.id);

    for (const role of NOT_SHARERS) {
      const patch = await as(role)('PATCH', `/customer-views/${view.id}`, { name: 'hijacked' });
      expect(expectProblem(patch, 403, 'forbidden').permission).toBe('customer_views.share');
      expectProblem(await as(role)('DELETE', `/customer-views/${view.id}`), 403, 'forbidden');
    }
    const renamed = await as('admin')('PATCH', `/customer-views/${view.id}`, { name: 'Team view (admin)' });
    expect(renamed.statusCode, renamed.body).toBe(200);

    // Un-sharing makes it the caller's own: the others no longer see it.
    const unshared = await as('manager')('PATCH', `/customer-views/${view.id}`, { shared: false });
    expect(unshared.json<SavedViewResponse>()).toMatchObject({ shared: false, owner: staff.manager!.id });
    expect(await idsSeenBy(as('viewer'))).not.toContain(view.id);
    expect(await idsSeenBy(as('admin'))).not.toContain(view.id);
    const audit = await pd.rawQuery(
      "SELECT details FROM audit_events WHERE target_id = $1 AND action = 'customer_view.update' ORDER BY id",
      [view.id],
    );
    expect(audit.map((e) => (e.details as { changed: string[] }).changed)).toEqual([['name'], ['shared']]);
  });

  it('the creator of a shared view may still change it after losing customer_views.share; other supports may not', async () => {
    const member = await newStaff(pd, brand, 'manager');
    const creator = asStaff(pd, await signIn(pd, member));
    const view = await save(creator, { name: 'made as manager', shared: true, params: {} });
    const demoted = await byKey(pd, brand.token)('PATCH', `/staff/${member.id}`, { role: 'support' });
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect((await creator('PATCH', `/customer-views/${view.id}`, { name: 'still mine to rename' })).statusCode).toBe(
      200,
    );
    expectProblem(await as('support')('PATCH', `/customer-views/${view.id}`, { name: 'not mine' }), 403, 'forbidden');
    // Sharing anew is what needs the permission: un-share, then share again, is refused now.
    expect((await creator('PATCH', `/customer-views/${view.id}`, { shared: false })).statusCode).toBe(200);
    expectProblem(await creator('PATCH', `/customer-views/${view.id}`, { shared: true }), 403, 'forbidden');
    expect((await creator('DELETE', `/customer-views/${view.id}`)).statusCode).toBe(204);
  });

  it('an API key has no views of its own: 422 naming shared, unless shared (with customer_views.share)', async () => {
    const ownerKey = byKey(pd, brand.token);
    expectInvalidFields(await ownerKey('POST', '/customer-views', { name: 'mine', params: {} }), ['shared']);
    const shared = await save(ownerKey, { name: 'integration view', shared: true, params: { source: 'api' } });
    expect(shared).toMatchObject({ shared: true, owner: null });
    expectInvalidFields(await ownerKey('PATCH', `/customer-views/${shared.id}`, { shared: false }), ['shared']);
    const viewerKey = byKey(pd, await pd.keyFor(brand, 'viewer'));
    expectProblem(
      await viewerKey('POST', '/customer-views', { name: 'x', shared: true, params: {} }),
      403,
      'forbidden',
    );
    expect(await idsSeenBy(viewerKey)).toContain(shared.id);
  });

  it('a developer (no customers.read) has no views', async () => {
    const developer = byKey(pd, await pd.keyFor(brand, 'developer'));
    expect(expectProblem(await developer('GET', '/customer-views'), 403, 'forbidden').permission).toBe(
      'customers.read',
    );
    expectProblem(
      await developer('POST', '/customer-views', { name: 'x', shared: true, params: {} }),
      403,
      'forbidden',
    );
  });

  it("another brand's views are invisible: not listed, 404 to change or delete", async () => {
    const theirs = await save(byKey(pd, other.token), { name: 'their view', shared: true, params: {} });
    const ours = byKey(pd, brand.token);
    expect(await idsSeenBy(ours)).not.toContain(theirs.id);
    expect(await idsSeenBy(as('owner'))).not.toContain(theirs.id);
    expectProblem(await ours('PATCH', `/customer-views/${theirs.id}`, { name: 'mine now' }), 404, 'view_not_found');
    expectProblem(await ours('DELETE', `/customer-views/${theirs.id}`), 404, 'view_not_found');
    expect(await idsSeenBy(byKey(pd, other.token))).toEqual([theirs.id]);
  });

  it("a tag filter naming another brand's tag is refused (422 params.tag)", async () => {
    const theirTag = (await byKey(pd, other.token)('POST', '/customer-tags', { name: 'Theirs' })).json<{
      id: string;
    }>();
    expectInvalidFields(await as('manager')('POST', '/customer-views', { name: 'x', params: { tag: theirTag.id } }), [
      'params.tag',
    ]);
  });
});
