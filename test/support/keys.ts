import { createPaydesk, type Paydesk, type PaydeskOptions } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import type { Initiator } from '../../src/modules/keys/key-rotation.types.js';
import { customerBody, TEST_MASTER_KEY, type TestBrand, type TestPaydesk } from './harness.js';

/* Helpers for key rotation tests (src/modules/keys, src/cli). */

export const CLI_TEST: Initiator = { actor: { type: 'cli', id: 'test' } };

/** Creates n customers through the API; returns their ids. */
export async function createCustomers(
  paydesk: TestPaydesk,
  brand: TestBrand,
  n: number,
  body: (i: number) => Record<string, unknown> = () => customerBody(),
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const response = await paydesk.request(brand.token, { method: 'POST', url: '/api/v1/customers', payload: body(i) });
    if (response.statusCode !== 201) throw new Error(`create customer: ${response.statusCode} ${response.body}`);
    ids.push(response.json<{ id: string }>().id);
  }
  return ids;
}

export type Contacts = Record<string, { name: string; email: string; phone: string | null }>;

/** Every customer of the brand as the API shows it (decrypted), by id. */
export async function readContacts(paydesk: Pick<TestPaydesk, 'request'>, brand: TestBrand): Promise<Contacts> {
  const contacts: Contacts = {};
  let cursor: string | null = null;
  do {
    const response = await paydesk.request(brand.token, {
      method: 'GET',
      url: `/api/v1/customers?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    });
    if (response.statusCode !== 200) throw new Error(`list customers: ${response.statusCode} ${response.body}`);
    const page = response.json<{
      data: Array<{ id: string; name: string; email: string; phone: string | null }>;
      next_cursor: string | null;
    }>();
    for (const c of page.data) contacts[c.id] = { name: c.name, email: c.email, phone: c.phone };
    cursor = page.next_cursor;
  } while (cursor);
  return contacts;
}

export async function keyRows(paydesk: TestPaydesk, merchantId: string) {
  return (await paydesk.rawQuery(
    `SELECT key_id, purpose, state, wrapped_key IS NOT NULL AS has_material, retired_at IS NOT NULL AS has_retired_at
       FROM brand_keys WHERE merchant_id = $1 ORDER BY key_id`,
    [merchantId],
  )) as Array<{ key_id: number; purpose: string; state: string; has_material: boolean; has_retired_at: boolean }>;
}

/** How many of the brand's customers sit under each key of a purpose: { keyId: rows }. */
export async function rowsPerKey(
  paydesk: TestPaydesk,
  merchantId: string,
  purpose: 'data' | 'index',
): Promise<Record<number, number>> {
  const column = purpose === 'data' ? 'data_key_id' : 'index_key_id';
  const rows = await paydesk.rawQuery(
    `SELECT ${column} AS key_id, count(*)::int AS n FROM customers WHERE merchant_id = $1 GROUP BY 1`,
    [merchantId],
  );
  return Object.fromEntries(rows.map((r) => [Number(r.key_id), Number(r.n)]));
}

export async function auditEvents(paydesk: TestPaydesk, merchantId: string) {
  return (await paydesk.rawQuery(
    `SELECT actor_type, actor_id, action, target_type, target_id, host(ip) AS ip, details
       FROM audit_events WHERE merchant_id = $1 ORDER BY id`,
    [merchantId],
  )) as Array<{
    actor_type: string;
    actor_id: string;
    action: string;
    target_type: string | null;
    target_id: string | null;
    ip: string | null;
    details: Record<string, unknown>;
  }>;
}

/**
 * Another Paydesk on the test's database (a second server, or the same one restarted with other
 * settings). Closing it leaves the database open for the test.
 */
export async function startAnotherPaydesk(
  paydesk: TestPaydesk,
  env: Record<string, string> = {},
  options: Omit<PaydeskOptions, 'database'> = {},
): Promise<Paydesk> {
  const database: DatabaseHandle = { ...paydesk.database, close: async () => {} };
  const config = parseConfig({ PAYDESK_MASTER_KEY: TEST_MASTER_KEY, PAYDESK_DEMO: '0', LOG_LEVEL: 'silent', ...env });
  return createPaydesk(config, { ...options, database });
}
