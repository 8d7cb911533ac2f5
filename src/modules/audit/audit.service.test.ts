import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { listBrandAudit, recordAudit, SYSTEM_MERCHANT_ID } from './audit.service.js';

describeBackends('audit log (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
  });
  afterAll(() => paydesk?.close());

  it('records events per brand, newest first, with actor, target, address and details', async () => {
    const actor = { type: 'api_key' as const, id: 'key_1' };
    await recordAudit(paydesk.ctx.db, {
      merchantId: brand.id,
      actor,
      action: 'keys.rotation_started',
      target: { type: 'brand_key', id: '3' },
      ip: '203.0.113.7',
      details: { purpose: 'data', key_id: 3 },
    });
    await recordAudit(paydesk.ctx.db, [
      { merchantId: brand.id, actor, action: 'keys.key_retired', details: { key_id: 1 } },
      { merchantId: SYSTEM_MERCHANT_ID, actor: { type: 'cli', id: 'ops' }, action: 'keys.master_rotated' },
    ]);
    const events = await listBrandAudit(paydesk.ctx.db, brand.id, { limit: 10 });
    expect(events.map((e) => e.action)).toEqual(['keys.key_retired', 'keys.rotation_started']);
    expect(events[1]).toMatchObject({
      merchant_id: brand.id,
      actor_type: 'api_key',
      actor_id: 'key_1',
      target_type: 'brand_key',
      target_id: '3',
      ip: '203.0.113.7',
      details: { purpose: 'data', key_id: 3 },
    });
    expect(events[1]?.id).toMatch(/^aud_/);
    expect(events[1]?.occurred_at).toBeInstanceOf(Date);
    const older = await listBrandAudit(paydesk.ctx.db, brand.id, { limit: 10, beforeId: events[0]!.id });
    expect(older.map((e) => e.action)).toEqual(['keys.rotation_started']);
    const system = await listBrandAudit(paydesk.ctx.db, SYSTEM_MERCHANT_ID, {
      limit: 10,
      action: 'keys.master_rotated',
    });
    expect(system).toHaveLength(1);
  });

  it('refuses details that look like personal data', async () => {
    const event = (details: Record<string, unknown>) =>
      recordAudit(paydesk.ctx.db, {
        merchantId: brand.id,
        actor: { type: 'system', id: 'test' },
        action: 'keys.key_retired',
        details: details as never,
      });
    await expect(event({ email: 'a@example.com' })).rejects.toThrow(/personal data/);
    await expect(event({ customer: { Phone: '+880' } })).rejects.toThrow(/details\.customer\.Phone/);
    await expect(event({ customer_id: 'cus_1', count: 2 })).resolves.toBeUndefined();
  });

  it('rejects an address that is not one', async () => {
    await expect(
      recordAudit(paydesk.ctx.db, {
        merchantId: brand.id,
        actor: { type: 'system', id: 't' },
        action: 'keys.key_retired',
        ip: 'nope',
      }),
    ).rejects.toThrow();
  });
});
