import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectProblem, newCustomer } from '../../../test/support/customers.js';
import { customerBody, startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  acceptInvitationRequest,
  asStaff,
  newStaff,
  signIn,
  signInRequest,
  staffAudit,
  tokenOf,
  type TestStaff,
} from '../../../test/support/staff.js';

describeBackends('staff management and brands (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let admin: TestStaff;
  let ownerCall: ReturnType<typeof asStaff>;
  let adminCall: ReturnType<typeof asStaff>;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand({ name: 'Brand A' });
    owner = await newStaff(paydesk, brand, 'owner');
    admin = await newStaff(paydesk, brand, 'admin');
    ownerCall = asStaff(paydesk, await signIn(paydesk, owner));
    adminCall = asStaff(paydesk, await signIn(paydesk, admin));
  });
  afterAll(() => paydesk?.close());

  it('records customers added by staff as added in the dashboard, by API keys as through the API', async () => {
    const byStaff = await ownerCall('POST', '/customers', customerBody());
    expect(byStaff.statusCode, byStaff.body).toBe(201);
    expect(byStaff.json().source).toBe('dashboard');
    const byKey = await paydesk.request(brand.token, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: customerBody(),
    });
    expect(byKey.json().source).toBe('api');
  });

  it('lets owners and admins list and invite staff, and nobody else', async () => {
    const list = await adminCall('GET', '/staff');
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((s: { id: string; role: string }) => [s.id, s.role])).toEqual([
      [owner.id, 'owner'],
      [admin.id, 'admin'],
    ]);
    const invited = await adminCall('POST', '/staff', { email: 'New.Support@Example.com', role: 'support' });
    expect(invited.statusCode, invited.body).toBe(201);
    expect(invited.json()).toMatchObject({
      object: 'staff_invitation',
      email: 'new.support@example.com',
      role: 'support',
      status: 'pending',
    });
    // Invited is not added: the person joins when they accept, with their own name and password.
    expect((await adminCall('GET', '/staff')).json().data).toHaveLength(2);
    const accepted = await acceptInvitationRequest(paydesk, tokenOf(invited.json().accept_url), {
      name: ' Sam ',
      password: 'support password',
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().staff).toMatchObject({ email: 'new.support@example.com', name: 'Sam' });

    const support = asStaff(
      paydesk,
      await signIn(paydesk, { email: 'new.support@example.com', password: 'support password' }),
    );
    for (const [method, url, body] of [
      ['GET', '/staff', undefined],
      ['POST', '/staff', { email: 'x@example.com', role: 'viewer' }],
      ['GET', '/staff-invitations', undefined],
      ['PATCH', `/staff/${admin.id}`, { role: 'viewer' }],
      ['DELETE', `/staff/${admin.id}`, undefined],
    ] as const) {
      expect(expectProblem(await support(method, url, body), 403, 'forbidden').permission).toMatch(/^staff\./);
    }
    expect((await adminCall('GET', '/staff')).json().data).toHaveLength(3);
  });

  it('validates an invitation: a valid email and role only (name and password are the invited person’s), a member is not invited twice', async () => {
    const withPassword = await ownerCall('POST', '/staff', {
      email: 'nopw@example.com',
      name: 'N',
      role: 'viewer',
      password: 'twelve chars',
    });
    expect(
      expectProblem(withPassword, 422, 'validation_failed')
        .errors!.map((e) => e.field)
        .sort(),
    ).toEqual(['name', 'password']);
    expectProblem(
      await ownerCall('POST', '/staff', { email: 'not-an-email', role: 'viewer' }),
      422,
      'validation_failed',
    );
    expect(
      expectProblem(await ownerCall('POST', '/staff', { email: ' ', role: 'viewer' }), 422, 'validation_failed').errors,
    ).toEqual([{ field: 'email', reason: expect.any(String) }]);
    expectProblem(
      await ownerCall('POST', '/staff', { email: 'r@example.com', role: 'emperor' }),
      422,
      'validation_failed',
    );
    expectProblem(
      await ownerCall('POST', '/staff', { email: admin.email.toUpperCase(), role: 'viewer' }),
      409,
      'staff_exists',
    );
  });

  it('keeps the owner out of reach of admins, and never leaves a brand without an owner', async () => {
    expectProblem(await adminCall('PATCH', `/staff/${owner.id}`, { role: 'admin' }), 403, 'forbidden');
    expectProblem(await adminCall('DELETE', `/staff/${owner.id}`), 403, 'forbidden');
    expectProblem(await adminCall('PATCH', `/staff/${admin.id}`, { role: 'owner' }), 403, 'forbidden');
    expectProblem(await adminCall('POST', '/staff', { email: 'o2@example.com', role: 'owner' }), 403, 'forbidden');

    expectProblem(await ownerCall('PATCH', `/staff/${owner.id}`, { role: 'admin' }), 409, 'owner_required');
    expectProblem(await ownerCall('DELETE', `/staff/${owner.id}`), 409, 'owner_required');
    const roles = await paydesk.rawQuery(
      `SELECT role FROM staff_memberships WHERE merchant_id = $1 AND staff_id = $2`,
      [brand.id, owner.id],
    );
    expect(roles).toEqual([{ role: 'owner' }]);

    // With a second owner, the first may step down.
    const promoted = await ownerCall('PATCH', `/staff/${admin.id}`, { role: 'owner' });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ id: admin.id, role: 'owner' });
    expect((await ownerCall('PATCH', `/staff/${owner.id}`, { role: 'admin' })).json()).toMatchObject({ role: 'admin' });
    // Roles apply at once to signed-in sessions: the former owner is now an admin.
    expectProblem(await ownerCall('DELETE', `/staff/${admin.id}`), 403, 'forbidden');
    expect((await adminCall('PATCH', `/staff/${owner.id}`, { role: 'owner' })).statusCode).toBe(200);
    expect((await adminCall('PATCH', `/staff/${admin.id}`, { role: 'admin' })).statusCode).toBe(200);

    const changes = (await staffAudit(paydesk, brand.id)).filter((e) => e.action === 'staff.role_change');
    expect(changes.map((e) => [e.target_id, e.details.from, e.details.to])).toEqual([
      [admin.id, 'admin', 'owner'],
      [owner.id, 'owner', 'admin'],
      [owner.id, 'admin', 'owner'],
      [admin.id, 'owner', 'admin'],
    ]);
    expect(changes[0]).toMatchObject({ actor_type: 'staff', actor_id: owner.id, ip: '127.0.0.1' });
  });

  it('changes what a session may do when its role changes, and removes access with the membership', async () => {
    const person = await newStaff(paydesk, brand, 'support');
    const call = asStaff(paydesk, await signIn(paydesk, person));
    expect((await call('POST', '/customers', customerBody())).statusCode).toBe(201);
    expect((await adminCall('PATCH', `/staff/${person.id}`, { role: 'viewer' })).statusCode).toBe(200);
    expectProblem(await call('POST', '/customers', customerBody()), 403, 'forbidden');
    expect((await call('GET', '/customers')).statusCode).toBe(200);

    expect((await adminCall('DELETE', `/staff/${person.id}`)).statusCode).toBe(204);
    // In no brand any more: the account and its sessions are gone.
    expectProblem(await call('GET', '/customers'), 401, 'unauthenticated');
    expectProblem(await signInRequest(paydesk, person.email, person.password), 401, 'invalid_credentials');
    expectProblem(await adminCall('DELETE', `/staff/${person.id}`), 404, 'staff_not_found');
    const removed = (await staffAudit(paydesk, brand.id)).filter((e) => e.action === 'staff.remove');
    expect(removed.at(-1)).toMatchObject({
      target_id: person.id,
      actor_id: admin.id,
      details: { role: 'viewer', account_deleted: true },
    });
    const added = (await staffAudit(paydesk, brand.id)).filter(
      (e) => e.action === 'staff.add' && e.target_id === person.id,
    );
    expect(added).toHaveLength(1);
  });

  it("keeps every brand apart: another brand's staff and customers are not found, switching is for members only", async () => {
    const other = await paydesk.newBrand({ name: 'Brand B' });
    const theirCustomer = await newCustomer(paydesk, other);
    const ourCustomer = await newCustomer(paydesk, brand);
    const stranger = await newStaff(paydesk, other, 'admin');

    expectProblem(await ownerCall('POST', '/session/active-brand', { brand_id: other.id }), 404, 'brand_not_found');
    expectProblem(await ownerCall('POST', '/session/active-brand', { brand_id: 'brd_nope' }), 404, 'brand_not_found');
    expectProblem(await ownerCall('GET', `/customers/${theirCustomer.id}`), 404, 'customer_not_found');
    const ours = (await ownerCall('GET', '/customers?limit=100')).json().data.map((c: { id: string }) => c.id);
    expect(ours).toContain(ourCustomer.id);
    expect(ours).not.toContain(theirCustomer.id);
    expectProblem(await ownerCall('PATCH', `/staff/${stranger.id}`, { role: 'viewer' }), 404, 'staff_not_found');
    expectProblem(await ownerCall('DELETE', `/staff/${stranger.id}`), 404, 'staff_not_found');
    expect((await ownerCall('GET', '/staff')).json().data.map((s: { id: string }) => s.id)).not.toContain(stranger.id);

    // Brand B invites our admin: the answer says nothing of the account, which joins only by accepting
    // with its own password.
    const invited = await paydesk.request(other.token, {
      method: 'POST',
      url: '/api/v1/staff',
      payload: { email: admin.email, role: 'viewer' },
    });
    expect(invited.statusCode).toBe(201);
    expect(JSON.stringify(invited.json())).not.toContain(admin.id);
    const members = await paydesk.request(other.token, { method: 'GET', url: '/api/v1/staff' });
    expect(members.json().data.map((s: { id: string }) => s.id)).not.toContain(admin.id);
    const accepted = await acceptInvitationRequest(paydesk, tokenOf(invited.json().accept_url), {
      password: admin.password,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().staff.id).toBe(admin.id);

    const session = await signIn(paydesk, admin);
    expect(session.body.brands.map((b) => [b.id, b.role])).toEqual([
      [brand.id, 'admin'],
      [other.id, 'viewer'],
    ]);
    expect(session.body.active_brand_id).toBe(brand.id);
    const call = asStaff(paydesk, session);
    const idsNow = async () => (await call('GET', '/customers?limit=100')).json().data.map((c: { id: string }) => c.id);
    expect(await idsNow()).toContain(ourCustomer.id);

    const switched = await call('POST', '/session/active-brand', { brand_id: other.id });
    expect(switched.json()).toMatchObject({ active_brand_id: other.id });
    expect(await idsNow()).toEqual([theirCustomer.id]);
    expectProblem(await call('GET', `/customers/${ourCustomer.id}`), 404, 'customer_not_found');
    expectProblem(await call('GET', '/staff'), 403, 'forbidden'); // a viewer in brand B
    expect((await call('GET', '/session')).json().active_brand_id).toBe(other.id);

    expect((await call('POST', '/session/active-brand', { brand_id: brand.id })).statusCode).toBe(200);
    expect(await idsNow()).toContain(ourCustomer.id);
    expect(await idsNow()).not.toContain(theirCustomer.id);

    // Taken out of brand B while B is active: the session keeps no access there.
    await call('POST', '/session/active-brand', { brand_id: other.id });
    expect(
      (await paydesk.request(other.token, { method: 'DELETE', url: `/api/v1/staff/${admin.id}` })).statusCode,
    ).toBe(204);
    expectProblem(await call('GET', '/customers'), 403, 'forbidden');
    expect((await call('GET', '/session')).json()).toMatchObject({ active_brand_id: null, brands: [{ id: brand.id }] });
    expect((await call('POST', '/session/active-brand', { brand_id: brand.id })).statusCode).toBe(200);
  });
});
