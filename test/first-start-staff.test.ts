import { afterAll, expect, it } from 'vitest';
import { describeBackends } from '../test/support/backends.js';
import { expectProblem } from '../test/support/customers.js';
import { startTestPaydesk, type TestPaydesk } from '../test/support/harness.js';
import { startAnotherPaydesk } from '../test/support/keys.js';
import { asStaff, signIn, signInRequest } from '../test/support/staff.js';
import { DEFAULT_ADMIN_EMAIL, ensureConfiguredAdmin, prepareFirstStart } from '../src/cli/first-start.js';
import type { Paydesk } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { ROLE_PERMISSIONS } from '../src/modules/access/permissions.js';

const OWNER_OF_DEMO_BRAND = (id: string) => ({
  id,
  name: 'Demo Brand',
  role: 'owner',
  permissions: [...ROLE_PERMISSIONS.owner],
});

describeBackends('owner account at first start (%s)', (backend) => {
  const opened: Array<TestPaydesk | Paydesk> = [];
  afterAll(async () => {
    for (const p of opened.reverse()) await p.close();
  });

  it('creates an owner with a password chosen and shown once when none is configured', async () => {
    const paydesk = await startTestPaydesk(backend);
    opened.push(paydesk);
    const report = (await prepareFirstStart(paydesk.ctx))!;
    expect(report.admin.email).toBe(DEFAULT_ADMIN_EMAIL);
    expect(report.admin.newPassword).toMatch(/^[\w-]{20}$/);
    const session = await signIn(paydesk, { email: DEFAULT_ADMIN_EMAIL, password: report.admin.newPassword! });
    expect(session.body.brands).toEqual([OWNER_OF_DEMO_BRAND(report.brandId)]);
    expect((await asStaff(paydesk, session)('GET', '/staff')).statusCode).toBe(200);
    // Only its hash is kept.
    expect(JSON.stringify(await paydesk.rawQuery('SELECT * FROM staff'))).not.toContain(report.admin.newPassword);
  });

  it('uses PAYDESK_ADMIN_EMAIL/PASSWORD, and on later starts makes sure that account owns the first brand', async () => {
    const paydesk = await startTestPaydesk(backend, {
      PAYDESK_ADMIN_EMAIL: 'Boss@Shop.example',
      PAYDESK_ADMIN_PASSWORD: 'first password 1',
    });
    opened.push(paydesk);
    const report = (await prepareFirstStart(paydesk.ctx))!;
    expect(report.admin).toEqual({ email: 'boss@shop.example', passwordReset: false });
    const first = await signIn(paydesk, { email: 'boss@shop.example', password: 'first password 1' });
    expect(first.body.brands).toEqual([OWNER_OF_DEMO_BRAND(report.brandId)]);
    const second = await paydesk.newBrand({ name: 'Second' });

    // The same settings again: nothing changes, the session lives on.
    const same = await startAnotherPaydesk(paydesk, {
      PAYDESK_ADMIN_EMAIL: 'boss@shop.example',
      PAYDESK_ADMIN_PASSWORD: 'first password 1',
    });
    opened.push(same);
    expect(await prepareFirstStart(same.ctx)).toBeUndefined();
    expect(await ensureConfiguredAdmin(same.ctx)).toEqual({ email: 'boss@shop.example', passwordReset: false });
    expect((await asStaff(paydesk, first)('GET', '/session')).statusCode).toBe(200);

    // A new password resets it and signs the account out everywhere.
    const reset = await startAnotherPaydesk(paydesk, {
      PAYDESK_ADMIN_EMAIL: 'boss@shop.example',
      PAYDESK_ADMIN_PASSWORD: 'second password 2',
    });
    opened.push(reset);
    expect(await ensureConfiguredAdmin(reset.ctx)).toEqual({ email: 'boss@shop.example', passwordReset: true });
    expectProblem(await asStaff(paydesk, first)('GET', '/session'), 401, 'unauthenticated');
    expectProblem(await signInRequest(paydesk, 'boss@shop.example', 'first password 1'), 401, 'invalid_credentials');
    expect((await signInRequest(paydesk, 'boss@shop.example', 'second password 2')).statusCode).toBe(200);

    // A demoted owner is made owner again; the account stays out of the second brand.
    await paydesk.rawQuery(`UPDATE staff_memberships SET role = 'viewer'`);
    await ensureConfiguredAdmin(reset.ctx);
    const after = await signIn(paydesk, { email: 'boss@shop.example', password: 'second password 2' });
    expect(after.body.brands).toEqual([OWNER_OF_DEMO_BRAND(report.brandId)]);
    expect(after.body.brands.map((b) => b.id)).not.toContain(second.id);

    // Another email on a later start: a new owner of the first brand, its chosen password shown once.
    const another = await startAnotherPaydesk(paydesk, { PAYDESK_ADMIN_EMAIL: 'second.owner@shop.example' });
    opened.push(another);
    const created = (await ensureConfiguredAdmin(another.ctx))!;
    expect(created).toMatchObject({ email: 'second.owner@shop.example', newPassword: expect.any(String) });
    const session = await signIn(paydesk, { email: created.email, password: created.newPassword! });
    expect(session.body.brands).toEqual([OWNER_OF_DEMO_BRAND(report.brandId)]);
    // Nothing configured: nothing done.
    const plain = await startAnotherPaydesk(paydesk);
    opened.push(plain);
    expect(await ensureConfiguredAdmin(plain.ctx)).toBeUndefined();
  });

  it('reads PAYDESK_ADMIN_EMAIL (lower-cased) and PAYDESK_ADMIN_PASSWORD (as given, 12+ characters)', async () => {
    expect(() => parseConfig({ PAYDESK_ADMIN_PASSWORD: 'too short' })).toThrow(
      /PAYDESK_ADMIN_PASSWORD: must be at least 12/,
    );
    expect(() => parseConfig({ PAYDESK_ADMIN_EMAIL: 'not an email' })).toThrow(/PAYDESK_ADMIN_EMAIL/);
    expect(
      parseConfig({ PAYDESK_ADMIN_EMAIL: ' Boss@Shop.example ', PAYDESK_ADMIN_PASSWORD: ' spaces count ' }).admin,
    ).toEqual({
      email: 'boss@shop.example',
      password: ' spaces count ',
    });
  });
});
