import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import {
  customerBody,
  startTestPaydesk,
  TEST_MASTER_KEY,
  type TestBrand,
  type TestPaydesk,
} from '../../../test/support/harness.js';
import {
  auditEvents,
  CLI_TEST,
  createCustomers,
  keyRows,
  readContacts,
  rowsPerKey,
} from '../../../test/support/keys.js';
import { Keyring } from '../../crypto/keyring.js';
import { listBrandKeys } from '../brands/brand.repository.js';
import { createCustomer } from '../customers/customer.service.js';
import { beginRotation, finishRotation, rotateBrandKey } from './key-rotation.service.js';

const emailOf = (i: number) => `person.${i}@example.com`;

describeBackends('search index rebuild (%s)', (backend) => {
  let paydesk: TestPaydesk;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
  });
  afterAll(() => paydesk?.close());

  describe('stopped halfway, then resumed', () => {
    let brand: TestBrand;
    let ids: string[];
    let before: Awaited<ReturnType<typeof readContacts>>;
    const post = (payload: Record<string, unknown>) =>
      paydesk.request(brand.token, { method: 'POST', url: '/api/v1/customers', payload });
    const put = (payload: Record<string, unknown>) =>
      paydesk.request(brand.token, { method: 'PUT', url: '/api/v1/customers', payload });

    beforeAll(async () => {
      brand = await paydesk.newBrand();
      ids = await createCustomers(paydesk, brand, 12, (i) =>
        customerBody({ name: `Rebuild Person ${i}`, email: emailOf(i), ...(i === 0 ? { phone: '01711000111' } : {}) }),
      );
      before = await readContacts(paydesk, brand);
    });

    it('rows are under both index keys after the first batch; lookups and uniqueness hold for both', async () => {
      const controller = new AbortController();
      const { plan, outcome } = await rotateBrandKey(paydesk.ctx, CLI_TEST, brand.id, 'index', {
        batchSize: 5,
        settleMs: 0,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'sweeping' && p.done > 0) controller.abort();
        },
      });
      expect(plan).toMatchObject({ started: true, activeKeyId: 3, oldKeyIds: [2] });
      expect(outcome).toMatchObject({ status: 'stopped', done: 5, total: 12 });
      expect(await rowsPerKey(paydesk, brand.id, 'index')).toEqual({ 2: 7, 3: 5 });
      expect(await readContacts(paydesk, brand)).toEqual(before);

      // Ids sort like creation time, so the first five created were re-indexed, the rest not.
      for (const i of [0, 11]) {
        const duplicate = await post(customerBody({ email: emailOf(i).toUpperCase() }));
        expect(duplicate.statusCode).toBe(409);
        expect(duplicate.json().customer_id).toBe(ids[i]);
        const upsert = await put({ name: `Renamed ${i}`, email: emailOf(i) });
        expect(upsert.statusCode).toBe(200);
        expect(upsert.json().id).toBe(ids[i]);
      }
    });

    it('resumed, it finishes: one index key, the old one destroyed, lookups and search work', async () => {
      before = await readContacts(paydesk, brand);
      const { plan, outcome } = await rotateBrandKey(paydesk.ctx, CLI_TEST, brand.id, 'index', {
        batchSize: 5,
        settleMs: 0,
      });
      expect(plan).toMatchObject({ started: false, activeKeyId: 3 });
      expect(outcome).toMatchObject({ status: 'completed', retiredKeyIds: [2], problems: [] });
      expect(await rowsPerKey(paydesk, brand.id, 'index')).toEqual({ 3: 12 });
      expect((await keyRows(paydesk, brand.id))[1]).toEqual({
        key_id: 2,
        purpose: 'index',
        state: 'retired',
        has_material: false,
        has_retired_at: true,
      });
      // The data key was not touched.
      expect(await rowsPerKey(paydesk, brand.id, 'data')).toEqual({ 1: 12 });
      expect(await readContacts(paydesk, brand)).toEqual(before);

      for (const i of [0, 6, 11]) {
        const duplicate = await post(customerBody({ email: ` ${emailOf(i).toUpperCase()} ` }));
        expect(duplicate.statusCode).toBe(409);
        expect(duplicate.json().customer_id).toBe(ids[i]);
        const upsert = await put({ name: `Person ${i} again`, email: emailOf(i) });
        expect(upsert.statusCode).toBe(200);
        expect(upsert.json().id).toBe(ids[i]);
      }
      const [distinct] = await paydesk.rawQuery(
        'SELECT count(*)::int AS n, count(DISTINCT email_bidx)::int AS d FROM customers WHERE merchant_id = $1',
        [brand.id],
      );
      expect(distinct).toEqual({ n: 12, d: 12 });

      const search = await paydesk.request(brand.token, {
        method: 'GET',
        url: `/api/v1/customers?q=${encodeURIComponent('person.6@')}`,
      });
      expect(search.statusCode).toBe(200);
      expect(search.json().data.map((c: { id: string }) => c.id)).toEqual([ids[6]]);
    });

    it('audits the rebuild', async () => {
      const events = await auditEvents(paydesk, brand.id);
      expect(events.map((e) => [e.action, e.details.purpose])).toEqual([
        ['keys.rotation_started', 'index'],
        ['keys.rotation_stopped', 'index'],
        ['keys.key_retired', 'index'],
      ]);
    });
  });

  it('a duplicate email written by a stale server during the switch is reported, not crashed on, and blocks retirement until merged', async () => {
    const brand = await paydesk.newBrand();
    await createCustomers(paydesk, brand, 3);
    // A second server that loaded the brand's keys before the switch.
    const keyring = new Keyring(Buffer.from(TEST_MASTER_KEY, 'base64'), listBrandKeys);
    await keyring.forBrand(paydesk.ctx.db, brand.id);
    const stale = { ...paydesk.ctx, keyring };

    await beginRotation(paydesk.ctx, CLI_TEST, brand.id, 'index');
    const first = await createCustomer(
      paydesk.ctx,
      brand.principal,
      { name: 'Dup One', email: 'dup@example.com' },
      { source: 'api' },
    );
    // The stale server knows only the old index key, so it cannot see the first row's email.
    const second = await createCustomer(
      stale,
      brand.principal,
      { name: 'Dup Two', email: 'dup@example.com' },
      { source: 'api' },
    );

    const outcome = await finishRotation(paydesk.ctx, CLI_TEST, brand.id, 'index', { settleMs: 0, batchSize: 2 });
    expect(outcome).toMatchObject({
      status: 'needs_attention',
      done: 3,
      retiredKeyIds: [],
      pendingKeyIds: [2],
      problems: [{ customerId: second.customer.id, reason: 'duplicate_email', otherCustomerId: first.customer.id }],
    });
    expect(await rowsPerKey(paydesk, brand.id, 'index')).toEqual({ 2: 1, 3: 4 });
    expect(Object.keys(await readContacts(paydesk, brand))).toHaveLength(5);

    // A person merges them (here: deletes the duplicate); running again finishes.
    const removed = await paydesk.request(brand.token, {
      method: 'DELETE',
      url: `/api/v1/customers/${second.customer.id}`,
    });
    expect(removed.statusCode).toBe(204);
    const again = await finishRotation(paydesk.ctx, CLI_TEST, brand.id, 'index', { settleMs: 0 });
    expect(again).toMatchObject({ status: 'completed', retiredKeyIds: [2] });
  });
});
