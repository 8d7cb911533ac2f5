import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { cli } from '../../test/support/cli.js';
import { createPaydesk, type Paydesk } from '../app.js';
import { parseConfig } from '../config.js';
import { writeServerAddress } from './server-address.js';
import { createBrand } from '../modules/brands/brand.service.js';
import { createCheckoutSession } from '../modules/checkout/checkout-session.service.js';
import { payCheckout } from '../modules/payments/index.js';

// `paydesk settle-pending` on the embedded database: refused while a server holds it (the server
// settles by itself), and run on the database once the server is stopped.
describe('paydesk settle-pending', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let server: Paydesk | undefined;
  let merchantId: string;
  let sessionId: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-cli-settle-'));
    env = { PAYDESK_DATA_DIR: dataDir };
    server = await createPaydesk(parseConfig({ ...env, PAYDESK_DEMO: '0', LOG_LEVEL: 'silent' }));
    const { ctx } = server;
    const brand = await createBrand(ctx, { name: 'CLI settle', country: 'BD', baseCurrency: 'BDT' });
    merchantId = brand.id;
    const principal = { merchantId, role: 'owner' as const, actor: { type: 'cli' as const, id: 'test' } };
    const session = await createCheckoutSession(ctx, principal, { amount: 5000, currency: 'BDT' });
    sessionId = session.id;
    // The process dies before the charge: the payment stays pending and holds the checkout.
    const dead: KyselyPlugin = {
      transformQuery(args) {
        if (JSON.stringify(args.node).includes("SET status = 'failed'")) throw new Error('Connection terminated');
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const crashed = {
      ...ctx,
      db: ctx.db.withPlugin(dead),
      gateway: { ...ctx.gateway, name: ctx.gateway.name, charge: () => Promise.reject(new Error('died')) },
    };
    const card = { number: '4242424242424242', exp_month: 12, exp_year: 2099, cvc: '123' };
    const token = session.url.split('/').pop()!;
    await expect(payCheckout(crashed, token, { name: 'Payer', email: 'payer@example.com', card })).rejects.toThrow();
    writeServerAddress(dataDir, await server.app.listen({ port: 0, host: '127.0.0.1' }));
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is refused while a server holds the embedded database, which settles by itself', async () => {
    const run = await cli(env, ['settle-pending']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/settles pending payments itself/);
  });

  it('settles on the stopped database: the never-charged payment is voided and its checkout freed', async () => {
    await server!.close();
    server = undefined;
    expect((await cli(env, ['settle-pending', '--older-than', 'soon'])).code).toBe(2);
    // Younger than the default 15 minutes: left alone.
    expect(await cli(env, ['settle-pending'])).toMatchObject({ code: 0, out: 'No pending payments to settle.\n' });

    const run = await cli(env, ['settle-pending', '--older-than', '0', '--json']);
    expect(run.code, run.err).toBe(0);
    const report = JSON.parse(run.out) as { checked: number; voided: string[] };
    expect(report).toMatchObject({ checked: 1, completed: [], left: [] });
    expect(report.voided).toHaveLength(1);

    const again = await cli(env, ['settle-pending', '--older-than', '0']);
    expect(again.out).toBe('No pending payments to settle.\n');
    server = await createPaydesk(parseConfig({ ...env, PAYDESK_DEMO: '0', LOG_LEVEL: 'silent' }));
    const [row] = (
      await server.ctx.db
        .selectFrom('checkout_sessions')
        .select(['status', 'pending_transaction_id'])
        .where('merchant_id', '=', merchantId)
        .where('id', '=', sessionId)
        .execute()
    ).map((r) => ({ ...r }));
    expect(row).toEqual({ status: 'open', pending_transaction_id: null });
  });
});
