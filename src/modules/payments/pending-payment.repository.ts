import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { TransactionSource } from '../transactions/index.js';

/*
 * Card payments left pending (a crash between the charge and its record), as the settle job
 * (settle-pending.ts) finds and locks them. The job works across brands, like the outbox would;
 * each row it then touches is addressed by (merchant_id, id).
 */

export interface StalePayment {
  merchant_id: string;
  id: string;
  created_at: Date;
}

/** Pending card payments of this gateway created before `before`, oldest first, after a keyset position. */
export async function findStalePendingPayments(
  db: Executor,
  p: { gateway: string; before: Date; after: StalePayment | null; limit: number },
): Promise<StalePayment[]> {
  const after =
    p.after === null ? sql`` : sql`AND (created_at, id) > (${p.after.created_at}::timestamptz, ${p.after.id})`;
  const { rows } = await sql<StalePayment>`
    SELECT merchant_id, id, created_at FROM transactions
    WHERE status = 'pending' AND type = 'payment' AND method = 'card' AND gateway = ${p.gateway}
      AND created_at < ${p.before}::timestamptz ${after}
    ORDER BY created_at, id LIMIT ${p.limit}`.execute(db);
  return rows;
}

export interface LockedPendingPayment {
  merchant_id: string;
  id: string;
  source: TransactionSource;
  amount_minor: number;
  currency: string;
  base_currency: string;
  checkout_session_id: string | null;
  invoice_id: string | null;
  order_id: string | null;
  /** The brand's rate for the payment's currency now; null when it has none. */
  rate: string | null;
  /** The invoice's customer, or the checkout's order's: whose payment it is whoever typed the card. */
  billed_customer_id: string | null;
}

/**
 * The payment, still pending, under a row lock (held to the end of the caller's transaction);
 * undefined when it is settled already or another process holds it (SKIP LOCKED: that process
 * settles it, this one moves on).
 */
export async function lockPendingPayment(
  trx: Executor,
  merchantId: string,
  id: string,
): Promise<LockedPendingPayment | undefined> {
  const { rows } = await sql<LockedPendingPayment>`
    SELECT t.merchant_id, t.id, t.source, t.amount_minor, t.currency, t.base_currency, t.checkout_session_id,
      t.invoice_id, t.order_id, r.rate::text AS rate, COALESCE(i.customer_id, o.customer_id) AS billed_customer_id
    FROM transactions t
    LEFT JOIN invoices i ON i.merchant_id = t.merchant_id AND i.id = t.invoice_id
    LEFT JOIN orders o ON o.merchant_id = t.merchant_id AND o.id = t.order_id
    LEFT JOIN exchange_rates r ON r.merchant_id = t.merchant_id AND r.currency = t.currency
    WHERE t.merchant_id = ${merchantId} AND t.id = ${id} AND t.status = 'pending'
    FOR UPDATE OF t SKIP LOCKED`.execute(trx);
  const row = rows[0];
  return row && { ...row, amount_minor: Number(row.amount_minor) };
}
