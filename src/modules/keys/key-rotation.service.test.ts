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
import type { AppContext } from '../../context.js';
import { Keyring } from '../../crypto/keyring.js';
import { listBrandKeys } from '../brands/brand.repository.js';
import { createCustomer } from '../customers/customer.service.js';
import { beginRotation, finishRotation, rotateBrandKey } from './key-rotation.service.js';
import type { RotationProgress } from './key-rotation.types.js';

const contact = () => customerBody() as { name: string; email: string };

/** A second server's view: its own key cache, loaded before whatever the test does next. */
async function staleServer(paydesk: TestPaydesk, merchantId: string): Promise<AppContext> {
  const keyring = new Keyring(Buffer.from(TEST_MASTER_KEY, 'base64'), listBrandKeys);
  await keyring.forBrand(paydesk.ctx.db, merchantId);
  return { ...paydesk.ctx, keyring };
}

describeBackends('data key rotation (%s)', (backend) => {
  let paydesk: TestPaydesk;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
  });
  afterAll(() => paydesk?.close());

  describe('stopped after its first batch, then resumed', () => {
    let brand: TestBrand;
    let before: Awaited<ReturnType<typeof readContacts>>;
    beforeAll(async () => {
      brand = await paydesk.newBrand();
      await createCustomers(paydesk, brand, 23, (i) =>
        customerBody(i % 3 === 0 ? { phone: `0171100${String(i).padStart(4, '0')}` } : {}),
      );
      before = await readContacts(paydesk, brand);
    });

    it('stops cleanly after one batch: rows under both keys, all readable, old key kept', async () => {
      const controller = new AbortController();
      const { plan, outcome } = await rotateBrandKey(paydesk.ctx, CLI_TEST, brand.id, 'data', {
        batchSize: 5,
        settleMs: 0,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'sweeping' && p.done > 0) controller.abort();
        },
      });
      expect(plan).toMatchObject({ started: true, activeKeyId: 3, oldKeyIds: [1] });
      expect(outcome).toMatchObject({ status: 'stopped', done: 5, total: 23, retiredKeyIds: [] });
      expect(await rowsPerKey(paydesk, brand.id, 'data')).toEqual({ 1: 18, 3: 5 });
      expect(await readContacts(paydesk, brand)).toEqual(before);
      expect(await keyRows(paydesk, brand.id)).toEqual([
        { key_id: 1, purpose: 'data', state: 'decrypt_only', has_material: true, has_retired_at: false },
        { key_id: 2, purpose: 'index', state: 'active', has_material: true, has_retired_at: false },
        { key_id: 3, purpose: 'data', state: 'active', has_material: true, has_retired_at: false },
      ]);
    });

    it('writes new customers under the new key at once', async () => {
      const [id] = await createCustomers(paydesk, brand, 1);
      const [row] = await paydesk.rawQuery('SELECT data_key_id FROM customers WHERE merchant_id = $1 AND id = $2', [
        brand.id,
        id,
      ]);
      expect(row?.data_key_id).toBe(3);
      before = await readContacts(paydesk, brand);
    });

    it('resumes without a new key, reads stay whole between batches, and the old key is destroyed', async () => {
      const during: Array<Awaited<ReturnType<typeof readContacts>>> = [];
      const phases: RotationProgress['phase'][] = [];
      const { plan, outcome } = await rotateBrandKey(paydesk.ctx, CLI_TEST, brand.id, 'data', {
        batchSize: 5,
        settleMs: 0,
        onProgress: async (p) => {
          phases.push(p.phase);
          if (p.phase === 'sweeping' && p.done > 0) during.push(await readContacts(paydesk, brand));
        },
      });
      expect(plan).toMatchObject({ started: false, activeKeyId: 3, oldKeyIds: [1] });
      expect(outcome).toMatchObject({
        status: 'completed',
        done: 18,
        total: 18,
        retiredKeyIds: [1],
        pendingKeyIds: [],
        problems: [],
      });
      expect(during.length).toBeGreaterThanOrEqual(3);
      for (const snapshot of during) expect(snapshot).toEqual(before);
      expect(phases).toContain('settling');
      expect(phases.at(-1)).toBe('retiring');

      expect(await rowsPerKey(paydesk, brand.id, 'data')).toEqual({ 3: 24 });
      expect(await readContacts(paydesk, brand)).toEqual(before);
      const [old] = await keyRows(paydesk, brand.id);
      expect(old).toEqual({ key_id: 1, purpose: 'data', state: 'retired', has_material: false, has_retired_at: true });
    });

    it('audits the start, the stop and the retirement', async () => {
      const events = await auditEvents(paydesk, brand.id);
      expect(events.map((e) => e.action)).toEqual([
        'keys.rotation_started',
        'keys.rotation_stopped',
        'keys.key_retired',
      ]);
      expect(events[0]).toMatchObject({
        actor_type: 'cli',
        actor_id: 'test',
        target_type: 'brand_key',
        target_id: '3',
        details: { purpose: 'data', key_id: 3, previous_key_id: 1 },
      });
      expect(events[1]?.details).toEqual({ purpose: 'data', key_id: 3, rows_done: 5, rows_total: 23 });
      expect(events[2]).toMatchObject({ target_id: '1', details: { purpose: 'data', key_id: 1 } });
    });

    it('starts a fresh rotation once the last one finished', async () => {
      const { plan, outcome } = await rotateBrandKey(paydesk.ctx, CLI_TEST, brand.id, 'data', { settleMs: 0 });
      expect(plan).toMatchObject({ started: true, activeKeyId: 4, oldKeyIds: [3] });
      expect(outcome).toMatchObject({ status: 'completed', done: 24, retiredKeyIds: [3] });
      expect(await readContacts(paydesk, brand)).toEqual(before);
    });
  });

  describe('servers that cached the old key', () => {
    it('rows a stale server writes after the switch are swept before the old key is retired', async () => {
      const brand = await paydesk.newBrand();
      await createCustomers(paydesk, brand, 4);
      const stale = await staleServer(paydesk, brand.id);
      let lateId: string | undefined;
      const { outcome } = await rotateBrandKey(paydesk.ctx, CLI_TEST, brand.id, 'data', {
        settleMs: 300,
        onProgress: async (p) => {
          if (p.phase !== 'settling' || lateId) return;
          lateId = (await createCustomer(stale, brand.principal, contact(), { source: 'api' })).customer.id;
          const [row] = await paydesk.rawQuery('SELECT data_key_id FROM customers WHERE id = $1', [lateId]);
          expect(row?.data_key_id).toBe(1); // written under the old key, after the sweep passed
        },
      });
      expect(lateId).toBeDefined();
      expect(outcome).toMatchObject({ status: 'completed', done: 5, retiredKeyIds: [1] });
      expect(await rowsPerKey(paydesk, brand.id, 'data')).toEqual({ 3: 5 });
      expect(Object.keys(await readContacts(paydesk, brand))).toContain(lateId);
    });

    it('a write under a key retired meanwhile fails, rather than store a row nobody can read', async () => {
      const brand = await paydesk.newBrand();
      await createCustomers(paydesk, brand, 2);
      const stale = await staleServer(paydesk, brand.id);
      await rotateBrandKey(paydesk.ctx, CLI_TEST, brand.id, 'data', { settleMs: 0 });
      await expect(createCustomer(stale, brand.principal, contact(), { source: 'api' })).rejects.toThrow(
        /data key 1 of brand .* is retired/,
      );
      expect(await rowsPerKey(paydesk, brand.id, 'data')).toEqual({ 3: 2 });
    });

    it('does not retire a key some row still uses', async () => {
      const brand = await paydesk.newBrand();
      await createCustomers(paydesk, brand, 3);
      await beginRotation(paydesk.ctx, CLI_TEST, brand.id, 'data');
      // Stopped before any batch: every row is still under key 1.
      const controller = new AbortController();
      controller.abort();
      const stopped = await finishRotation(paydesk.ctx, CLI_TEST, brand.id, 'data', {
        signal: controller.signal,
        settleMs: 0,
      });
      expect(stopped).toMatchObject({ status: 'stopped', done: 0, total: 3, pendingKeyIds: [1] });
      expect((await keyRows(paydesk, brand.id))[0]).toMatchObject({ state: 'decrypt_only', has_material: true });
    });
  });

  describe('a ciphertext copied into another row', () => {
    it('fails to decrypt there: the API answers 500 without the value, the sweep reports the row and keeps the key', async () => {
      const brand = await paydesk.newBrand();
      const [a, b] = await createCustomers(paydesk, brand, 2, (i) => customerBody({ name: `Copied Name ${i}` }));
      await paydesk.rawQuery(
        `UPDATE customers SET name_enc = (SELECT name_enc FROM customers WHERE merchant_id = $1 AND id = $2)
          WHERE merchant_id = $1 AND id = $3`,
        [brand.id, a, b],
      );
      const response = await paydesk.request(brand.token, { method: 'GET', url: `/api/v1/customers/${b}` });
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('Copied Name');

      const { outcome } = await rotateBrandKey(paydesk.ctx, CLI_TEST, brand.id, 'data', { settleMs: 0 });
      expect(outcome).toMatchObject({
        status: 'needs_attention',
        done: 1,
        problems: [{ customerId: b, reason: 'undecryptable' }],
        retiredKeyIds: [],
        pendingKeyIds: [1],
      });
      expect((await keyRows(paydesk, brand.id))[0]).toMatchObject({ state: 'decrypt_only', has_material: true });
    });
  });
});
