import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, TEST_MASTER_KEY, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { createPaymentLink, pay, payer } from '../../../test/support/payments.js';
import { createPaydesk } from '../../app.js';
import { parseConfig } from '../../config.js';
import { runCli } from '../../cli/cli.js';
import { createBrand } from '../brands/brand.service.js';
import { createApiKey } from '../api-keys/api-key.service.js';

describeBackends('reconcile (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let otherBrand: TestBrand;
  let customerId: string;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    otherBrand = await pd.newBrand();
    const link = await createPaymentLink(pd, brand, { amount: 2500 });
    const body = payer();
    for (let i = 0; i < 3; i++)
      customerId = (await pay(pd, link.url, body)).json<{ customer_id: string }>().customer_id;
  });
  afterAll(() => pd.close());

  const reconcile = (token: string, fix: boolean) =>
    pd.request(token, { method: 'POST', url: '/api/v1/reconcile', payload: { fix } });

  it('finds nothing when payments kept the aggregates in step', async () => {
    const report = (await reconcile(brand.token, false)).json();
    expect(report).toMatchObject({ merchant_id: brand.id, drift: [], fixed: 0 });
    expect(report.customers_checked).toBe(1);
  });

  it('reports a drift a test injected, fixes it with fix, and then agrees', async () => {
    await pd.rawQuery('UPDATE customers SET total_spent_minor = 99, transactions_count = 7 WHERE id = $1', [
      customerId,
    ]);
    const found = (await reconcile(brand.token, false)).json();
    expect(found.drift).toEqual([
      expect.objectContaining({
        customer_id: customerId,
        stored: expect.objectContaining({ transactions_count: 7, total_spent_minor: 99 }),
        ledger: expect.objectContaining({ transactions_count: 3, total_spent_minor: 7500 }),
      }),
    ]);
    expect(found.fixed).toBe(0);
    const [stillWrong] = await pd.rawQuery('SELECT total_spent_minor FROM customers WHERE id = $1', [customerId]);
    expect(Number(stillWrong!.total_spent_minor)).toBe(99);

    expect((await reconcile(otherBrand.token, false)).json().drift).toEqual([]);

    const fixed = (await reconcile(brand.token, true)).json();
    expect(fixed.fixed).toBe(1);
    const [row] = await pd.rawQuery('SELECT total_spent_minor, transactions_count FROM customers WHERE id = $1', [
      customerId,
    ]);
    expect(Number(row!.total_spent_minor)).toBe(7500);
    expect(Number(row!.transactions_count)).toBe(3);
    expect((await reconcile(brand.token, false)).json().drift).toEqual([]);
  });

  it('is for owners and admins only', async () => {
    const response = await reconcile(await pd.keyFor(brand, 'manager'), false);
    expect(response.statusCode).toBe(403);
  });
});

describe('npm run paydesk -- reconcile (embedded database, no server running)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-reconcile-'));
  const env = {
    PAYDESK_DATA_DIR: dataDir,
    PAYDESK_MASTER_KEY: TEST_MASTER_KEY,
    PAYDESK_DEMO: '0',
    LOG_LEVEL: 'silent',
  };
  let customerId: string;
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  beforeAll(async () => {
    const paydesk = await createPaydesk(parseConfig(env));
    try {
      const brand = await createBrand(paydesk.ctx, { name: 'CLI brand', country: 'BD', baseCurrency: 'BDT' });
      const { token } = await createApiKey(paydesk.ctx, { merchantId: brand.id, name: 'cli', role: 'owner' });
      const link = await paydesk.app.inject({
        method: 'POST',
        url: '/api/v1/payment-links',
        headers: { authorization: `Bearer ${token}` },
        payload: { title: 'CLI', currency: 'BDT', amount: 1000 },
      });
      const paid = await paydesk.app.inject({ method: 'POST', url: `/api/public${link.json().url}`, payload: payer() });
      customerId = paid.json().customer_id;
      await paydesk.ctx.db
        .updateTable('customers')
        .set({ total_spent_minor: 1 })
        .where('id', '=', customerId)
        .execute();
    } finally {
      await paydesk.close();
    }
  });

  async function run(args: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(['reconcile', ...args], {
      env,
      out: { write: (t: string) => (out += t) },
      err: { write: (t: string) => (err += t) },
      signal: new AbortController().signal,
    });
    return { code, out, err };
  }

  it('lists the drift with exit 3, fixes it with --fix, then exits 0', async () => {
    const found = await run([]);
    expect(found.code, found.err).toBe(3);
    expect(found.out).toContain(`${customerId}: total_spent 1 → 1000`);
    const fixed = await run(['--fix']);
    expect(fixed.code, fixed.err).toBe(0);
    expect(fixed.out).toContain('1 drifted, 1 fixed');
    const clean = await run(['--json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.out)[0].drift).toEqual([]);
  });
});
