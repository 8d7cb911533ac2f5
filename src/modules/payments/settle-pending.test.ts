import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { describeBackends } from '../../../test/support/backends.js';
import { newCustomer } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  CARDS,
  createCheckout,
  ledgerRows,
  openInvoice,
  paid,
  pay,
  payer,
  setAutoRegister,
} from '../../../test/support/payments.js';
import type { AppContext } from '../../context.js';
import type { PaymentGateway } from '../../gateways/gateway.js';
import { reconcileBrand } from '../reconcile/index.js';
import { payCheckout, payInvoice } from './public.service.js';
import { PendingPaymentSettler, settlePendingPayments } from './settle-pending.js';

const card = { number: CARDS.ok.number.replace(/ /g, ''), exp_month: 12, exp_year: 2099, cvc: '123' };

// A crash between the charge and its record (pay.service.ts steps 3 and 4) leaves a pending
// payment; the settle job asks the gateway and records it as takePayment would have.
describeBackends('settling pending payments (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  /** Charges the gateway was asked for, per idempotency key (the transaction id). */
  const chargeCalls = new Map<string, number>();

  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    await setAutoRegister(pd, brand, true);
  });
  afterAll(() => pd.close());

  /**
   * The process "dies" at a step: statements whose text matches fail as if the database had gone,
   * and the gateway cannot be reached for a refund (or, with failCharge, for the charge either).
   */
  function crashingContext(failing: RegExp, options: { failCharge?: boolean; failRefund?: boolean } = {}): AppContext {
    const plugin: KyselyPlugin = {
      transformQuery(args) {
        if (failing.test(JSON.stringify(args.node))) throw new Error('Connection terminated unexpectedly');
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const gateway = pd.ctx.gateway;
    const crashing: PaymentGateway = {
      name: gateway.name,
      charge: async (request) => {
        if (options.failCharge) throw new Error('the process died before the charge');
        chargeCalls.set(request.idempotencyKey, (chargeCalls.get(request.idempotencyKey) ?? 0) + 1);
        return gateway.charge(request);
      },
      refund: async (request) => {
        if (options.failRefund ?? true) throw new Error('the process died before the refund');
        return gateway.refund(request);
      },
      findCharge: (key) => gateway.findCharge(key),
    };
    return { ...pd.ctx, db: pd.ctx.db.withPlugin(plugin), gateway: crashing };
  }
  const recordSteps = /UPDATE transactions SET status = '(succeeded|failed)'/;

  async function pendingOf(where: string, params: unknown[]) {
    const rows = await ledgerRows(pd, brand, `status = 'pending' AND ${where}`, params);
    expect(rows).toHaveLength(1);
    return String(rows[0]!.id);
  }
  async function transaction(id: string) {
    const [row] = await pd.rawQuery(
      'SELECT status, customer_id, gateway_reference, failure_code, base_amount_minor FROM transactions WHERE merchant_id = $1 AND id = $2',
      [brand.id, id],
    );
    return row;
  }
  async function expectReconciled() {
    const report = await reconcileBrand(pd.ctx, brand.id, { fix: false, actor: { type: 'cli', id: 'test' } });
    expect(report.drift).toEqual([]);
  }

  it('records a charge whose record was lost: the customer is charged once, with one record and their aggregates', async () => {
    const customer = await newCustomer(pd, brand, { name: 'Billed Customer' });
    const invoice = await openInvoice(pd, brand, { customer_id: customer.id });
    const token = invoice.public_url.split('/').pop()!;
    await expect(payInvoice(crashingContext(recordSteps), token, { card })).rejects.toThrow();
    const id = await pendingOf('invoice_id = $2', [invoice.id]);
    expect(await pd.ctx.gateway.findCharge(id)).toMatchObject({ status: 'succeeded' });

    // A payment younger than the threshold may still be in flight: the default run leaves it alone.
    expect(await settlePendingPayments(pd.ctx)).toEqual({ checked: 0, completed: [], voided: [], left: [] });
    const report = await settlePendingPayments(pd.ctx, { olderThanMs: 0 });
    expect(report).toEqual({ checked: 1, completed: [id], voided: [], left: [] });

    expect(await transaction(id)).toMatchObject({ status: 'succeeded', customer_id: customer.id, failure_code: null });
    expect((await transaction(id))?.gateway_reference).toMatch(/^test_ch_/);
    expect(chargeCalls.get(id)).toBe(1);
    expect(await pd.ctx.gateway.findCharge(id)).toMatchObject({ status: 'succeeded' });
    const [paidInvoice] = await pd.rawQuery(
      'SELECT status, transaction_id, pending_transaction_id FROM invoices WHERE id = $1',
      [invoice.id],
    );
    expect(paidInvoice).toEqual({ status: 'paid', transaction_id: id, pending_transaction_id: null });
    const [aggregates] = await pd.rawQuery(
      `SELECT c.transactions_count, c.total_spent_minor, r.transactions_count AS rank_count, r.total_spent_minor AS rank_total
       FROM customers c JOIN customer_ranks r ON r.merchant_id = c.merchant_id AND r.customer_id = c.id WHERE c.id = $1`,
      [customer.id],
    );
    expect(aggregates).toEqual({ transactions_count: 1, total_spent_minor: 50000, rank_count: 1, rank_total: 50000 });
    const events = await pd.rawQuery(
      "SELECT type FROM customer_events WHERE merchant_id = $1 AND customer_id = $2 AND type LIKE 'payment%'",
      [brand.id, customer.id],
    );
    expect(events.map((e) => e.type)).toEqual(['payment.succeeded']);
    await expectReconciled();

    // Settled once: running it again finds nothing.
    expect(await settlePendingPayments(pd.ctx, { olderThanMs: 0 })).toMatchObject({ checked: 0 });
  });

  it('voids a payment the gateway never charged, and frees its checkout for the next try', async () => {
    const session = await createCheckout(pd, brand);
    const crashed = crashingContext(recordSteps, { failCharge: true });
    await expect(payCheckout(crashed, session.token, { ...payer(), card })).rejects.toThrow();
    const id = await pendingOf('checkout_session_id = $2', [session.id]);
    const busy = await pay(pd, `/checkout/${session.token}`, payer());
    expect(busy.json()).toMatchObject({ code: 'payment_in_progress' });

    const report = await settlePendingPayments(pd.ctx, { olderThanMs: 0 });
    expect(report).toEqual({ checked: 1, completed: [], voided: [id], left: [] });
    expect(await transaction(id)).toMatchObject({ status: 'failed', failure_code: 'not_charged', customer_id: null });
    expect(chargeCalls.has(id)).toBe(false);

    const result = paid(await pay(pd, `/checkout/${session.token}`, payer()));
    expect(result.transaction_id).not.toBe(id);
    expect(result.customer_id).toMatch(/^cus_/);
    await expectReconciled();
  });

  it('voids a charge the undo refunded but could not record', async () => {
    const session = await createCheckout(pd, brand);
    await expect(
      payCheckout(crashingContext(recordSteps, { failRefund: false }), session.token, { ...payer(), card }),
    ).rejects.toThrow();
    const id = await pendingOf('checkout_session_id = $2', [session.id]);
    expect(await pd.ctx.gateway.findCharge(id)).toMatchObject({ status: 'refunded' });

    expect(await settlePendingPayments(pd.ctx, { olderThanMs: 0 })).toMatchObject({ voided: [id] });
    expect(await transaction(id)).toMatchObject({ status: 'failed', failure_code: 'recording_failed' });
    paid(await pay(pd, `/checkout/${session.token}`, payer()));
    await expectReconciled();
  });

  it("settles at the server's start: close() waits for the run", async () => {
    const session = await createCheckout(pd, brand);
    await expect(payCheckout(crashingContext(recordSteps), session.token, { ...payer(), card })).rejects.toThrow();
    const id = await pendingOf('checkout_session_id = $2', [session.id]);

    const settler = new PendingPaymentSettler(pd.ctx, { olderThanMs: 0 }).start();
    await settler.close();
    // A checkout with no customer behind it: the payer's contact died with the request.
    expect(await transaction(id)).toMatchObject({ status: 'succeeded', customer_id: null });
    const [complete] = await pd.rawQuery('SELECT status, transaction_id FROM checkout_sessions WHERE id = $1', [
      session.id,
    ]);
    expect(complete).toEqual({ status: 'complete', transaction_id: id });
    await expectReconciled();
  });
});
