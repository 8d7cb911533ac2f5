import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { auditEvents, createCustomers, readContacts, startAnotherPaydesk } from '../../../test/support/keys.js';
import type { Paydesk } from '../../app.js';
import type { RotationJobView } from './key.schemas.js';

describeBackends('key admin API (%s)', (backend) => {
  let paydesk: TestPaydesk;
  // The server under test: the same database, with a short wait for other servers' key caches.
  let server: Paydesk;
  let brand: TestBrand;
  const call = (token: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
    server.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  const settled = async (token: string): Promise<RotationJobView> => {
    for (let i = 0; i < 200; i++) {
      const job = (await call(token, 'GET', '/keys/rotations/current')).json<RotationJobView>();
      if (job.state !== 'running' && job.state !== 'stopping') return job;
      await sleep(25);
    }
    throw new Error('rotation did not finish');
  };

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    server = await startAnotherPaydesk(paydesk, {}, { rotationSettleMs: 1_500 });
    brand = await paydesk.newBrand();
    await createCustomers(paydesk, brand, 12);
  });
  afterAll(async () => {
    await server?.close();
    await paydesk?.close();
  });

  it('is for owners and admins only', async () => {
    for (const role of ['manager', 'support', 'viewer', 'developer'] as const) {
      const token = await paydesk.keyFor(brand, role);
      expect((await call(token, 'GET', '/keys')).statusCode).toBe(403);
      const post = await call(token, 'POST', '/keys/rotations', { purpose: 'data' });
      expect(post.statusCode).toBe(403);
      expect(post.json().code).toBe('forbidden');
    }
    const admin = await paydesk.keyFor(brand, 'admin');
    expect((await call(admin, 'GET', '/keys')).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/keys' })).statusCode).toBe(401);
  });

  it("shows the brand's keys with the rows under each, and no rotation yet", async () => {
    const status = await call(brand.token, 'GET', '/keys');
    expect(status.json()).toMatchObject({
      object: 'key_status',
      merchant_id: brand.id,
      keys: [
        { key_id: 1, purpose: 'data', state: 'active', rows: 12, retired_at: null },
        { key_id: 2, purpose: 'index', state: 'active', rows: 12, retired_at: null },
      ],
      unfinished: [],
      rotation: null,
    });
    const current = await call(brand.token, 'GET', '/keys/rotations/current');
    expect(current.statusCode).toBe(404);
    expect(current.json().code).toBe('rotation_not_found');
  });

  it('validates the request', async () => {
    const bad = await call(brand.token, 'POST', '/keys/rotations', { purpose: 'everything', batch_size: 0 });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['batch_size', 'purpose']);
  });

  it('runs a rotation in the background: stop it, resume it, follow it to the end', async () => {
    const before = await readContacts(paydesk, brand);
    const started = await call(brand.token, 'POST', '/keys/rotations', { purpose: 'data', batch_size: 2 });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toMatchObject({
      object: 'key_rotation',
      purpose: 'data',
      state: 'running',
      new_key: true,
      active_key_id: 3,
      old_key_ids: [1],
    });

    const again = await call(brand.token, 'POST', '/keys/rotations', { purpose: 'index' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'rotation_in_progress', rotation_id: started.json().id });

    const stopping = await call(brand.token, 'DELETE', '/keys/rotations/current');
    expect(stopping.statusCode).toBe(202);
    const stopped = await settled(brand.token);
    expect(stopped.state).toBe('stopped');
    expect(await readContacts(paydesk, brand)).toEqual(before);
    expect((await call(brand.token, 'GET', '/keys')).json().unfinished).toEqual(['data']);

    const resumed = await call(brand.token, 'POST', '/keys/rotations', { purpose: 'data', batch_size: 5 });
    expect(resumed.json()).toMatchObject({ new_key: false, active_key_id: 3 });
    const done = await settled(brand.token);
    expect(done).toMatchObject({
      state: 'completed',
      phase: null,
      retired_key_ids: [1],
      pending_key_ids: [],
      problems: [],
      error: null,
    });
    expect(stopped.rows_done + done.rows_done).toBe(12);
    expect(await readContacts(paydesk, brand)).toEqual(before);

    const status = (await call(brand.token, 'GET', '/keys')).json();
    expect(status.keys).toMatchObject([
      { key_id: 1, state: 'retired', rows: 0 },
      { key_id: 2, state: 'active', rows: 12 },
      { key_id: 3, state: 'active', rows: 12 },
    ]);
    expect(status.rotation).toMatchObject({ id: resumed.json().id, state: 'completed' });
  });

  it('audits with the API key and the address of the caller', async () => {
    const events = await auditEvents(paydesk, brand.id);
    const started = events.find((e) => e.action === 'keys.rotation_started');
    expect(started).toMatchObject({ actor_type: 'api_key', actor_id: brand.principal.actor.id, ip: '127.0.0.1' });
    expect(events.map((e) => e.action)).toEqual(['keys.rotation_started', 'keys.rotation_stopped', 'keys.key_retired']);
  });

  it("never touches another brand's keys", async () => {
    const other = await paydesk.newBrand();
    await call(other.token, 'POST', '/keys/rotations', { purpose: 'index' });
    expect(await settled(other.token)).toMatchObject({ state: 'completed', retired_key_ids: [2] });
    const mine = (await call(brand.token, 'GET', '/keys')).json();
    expect(mine.keys.map((k: { key_id: number; state: string }) => [k.key_id, k.state])).toEqual([
      [1, 'retired'],
      [2, 'active'],
      [3, 'active'],
    ]);
  });
});
