import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { contactBody, expectNoRawContact } from '../../../test/support/contact-data.js';
import { customersApi, expectInvalidFields, expectProblem, newCustomer } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { auditEvents } from '../../../test/support/keys.js';

interface AuditJson {
  id: string;
  object: 'audit_event';
  occurred_at: string;
  actor: { type: string; id: string };
  action: string;
  target: { type: string; id: string } | null;
  ip: string | null;
  details: Record<string, unknown>;
}
interface AuditListJson {
  data: AuditJson[];
  has_more: boolean;
  next_cursor: string | null;
}

describeBackends('audit log API (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
  });
  afterAll(() => paydesk?.close());

  const audit = (token: string, query = '') =>
    paydesk.request(token, { method: 'GET', url: `/api/v1/audit${query ? `?${query}` : ''}` });
  const reveal = (id: string, reason: string) =>
    paydesk.request(brand.token, { method: 'POST', url: `/api/v1/customers/${id}/reveal`, payload: { reason } });

  it('audits a deletion in the same transaction; a refused or missing delete writes nothing', async () => {
    const customer = await newCustomer(paydesk, brand, contactBody());
    const manager = await paydesk.keyFor(brand, 'manager');
    expectProblem(
      await customersApi(paydesk, await paydesk.keyFor(brand, 'support')).remove(customer.id),
      403,
      'forbidden',
    );
    expect((await customersApi(paydesk, manager).remove(customer.id)).statusCode).toBe(204);
    expectProblem(await customersApi(paydesk, manager).remove(customer.id), 404, 'customer_not_found');
    const deletions = (await auditEvents(paydesk, brand.id)).filter((e) => e.action === 'customer.delete');
    expect(deletions).toEqual([
      expect.objectContaining({
        actor_type: 'api_key',
        target_type: 'customer',
        target_id: customer.id,
        ip: '127.0.0.1',
        details: {},
      }),
    ]);
    const [row] = await paydesk.rawQuery('SELECT id FROM api_keys WHERE token_hint = $1 AND merchant_id = $2', [
      manager.slice(-4),
      brand.id,
    ]);
    expect(deletions[0]!.actor_id).toBe(row!.id);
    const listed = (await audit(brand.token, 'action=customer.delete')).json<AuditListJson>().data;
    expect(listed).toEqual([
      expect.objectContaining({
        object: 'audit_event',
        action: 'customer.delete',
        target: { type: 'customer', id: customer.id },
        ip: '127.0.0.1',
      }),
    ]);
  });

  it('pages newest first with a keyset cursor and filters by action', async () => {
    const customer = await newCustomer(paydesk, brand, contactBody());
    for (let i = 1; i <= 5; i++) await reveal(customer.id, `paging reason ${i}`);
    const seen: AuditJson[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditListJson = (
        await audit(brand.token, `action=customer.reveal&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.next_cursor;
      expect(page.has_more).toBe(cursor !== null);
    } while (cursor);
    expect(seen.map((e) => e.details.reason)).toEqual([5, 4, 3, 2, 1].map((i) => `paging reason ${i}`));
    expect(new Set(seen.map((e) => e.id)).size).toBe(5);
    const all = (await audit(brand.token, 'limit=100')).json<AuditListJson>().data;
    expect([...all].sort((a, b) => (a.id < b.id ? 1 : -1))).toEqual(all);
    expect(new Set(all.map((e) => e.action))).toEqual(new Set(['customer.delete', 'customer.reveal']));
  });

  it('holds no contact data in clear, even when a reason quotes it', async () => {
    const customer = await newCustomer(paydesk, brand, contactBody());
    await reveal(customer.id, `asked by ${customer.email} from ${customer.phone}`);
    const response = await audit(brand.token, 'limit=100');
    expectNoRawContact(response.body, customer);
    expect(response.body).not.toContain(customer.name);
  });

  it('is for owners and admins only', async () => {
    expect((await audit(await paydesk.keyFor(brand, 'admin'))).statusCode).toBe(200);
    for (const role of ['manager', 'support', 'viewer', 'developer'] as const) {
      expect(expectProblem(await audit(await paydesk.keyFor(brand, role)), 403, 'forbidden').permission).toBe(
        'audit.read',
      );
    }
  });

  it('refuses an unknown action, a foreign cursor and an out-of-range limit (422)', async () => {
    expectInvalidFields(await audit(brand.token, 'action=customer.hack'), ['action']);
    expectInvalidFields(await audit(brand.token, 'cursor=WyJ4Il0'), ['cursor']);
    expectInvalidFields(await audit(brand.token, 'limit=0'), ['limit']);
  });
});
