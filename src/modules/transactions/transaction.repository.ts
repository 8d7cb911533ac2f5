import type { Executor } from '../../db/database.js';
import { newestFirstPage, type PageCursor } from '../../db/keyset.js';
import { sql } from 'kysely';
import { takeBackTotalSpent } from '../customers/index.js';
import type {
  NewTransactionRow,
  PaymentMethod,
  TransactionRow,
  TransactionStatus,
  TransactionType,
} from './transaction.table.js';

const COLUMNS = [
  'merchant_id',
  'id',
  'type',
  'status',
  'source',
  'amount_minor',
  'currency',
  'base_amount_minor',
  'base_currency',
  'amount_refunded_minor',
  'base_amount_refunded_minor',
  'customer_id',
  'invoice_id',
  'payment_link_id',
  'checkout_session_id',
  'order_id',
  'method',
  'reference',
  'refunded_transaction_id',
  'gateway',
  'gateway_reference',
  'card_brand',
  'card_last4',
  'failure_code',
  'failure_message',
  'created_at',
  'succeeded_at',
  'updated_at',
] as const;
const rate = sql<string | null>`exchange_rate::text`.as('exchange_rate');

export async function insertTransaction(db: Executor, row: NewTransactionRow): Promise<void> {
  await db.insertInto('transactions').values(row).execute();
}

/** The gateway column of a payment staff recorded by hand, and of its refunds. */
export const OFFLINE_GATEWAY = 'offline';

/** Money staff took outside the gateway (an order paid in cash, by bank transfer or mobile money). */
export interface OfflinePayment {
  merchantId: string;
  id: string;
  orderId: string;
  method: Exclude<PaymentMethod, 'card'>;
  reference: string | null;
  amountMinor: number;
  currency: string;
  baseAmountMinor: number;
  baseCurrency: string;
  exchangeRate: string | null;
  customerId: string | null;
  now: Date;
}

/** Recorded succeeded at once: there is no gateway to wait for, and no card. */
export async function insertOfflinePayment(db: Executor, p: OfflinePayment): Promise<void> {
  await insertTransaction(db, {
    merchant_id: p.merchantId,
    id: p.id,
    type: 'payment',
    status: 'succeeded',
    source: 'order',
    amount_minor: p.amountMinor,
    currency: p.currency,
    base_amount_minor: p.baseAmountMinor,
    base_currency: p.baseCurrency,
    exchange_rate: p.exchangeRate,
    customer_id: p.customerId,
    invoice_id: null,
    payment_link_id: null,
    checkout_session_id: null,
    order_id: p.orderId,
    method: p.method,
    reference: p.reference,
    refunded_transaction_id: null,
    gateway: OFFLINE_GATEWAY,
    gateway_reference: null,
    card_brand: null,
    card_last4: null,
    failure_code: null,
    failure_message: null,
    created_at: p.now,
    succeeded_at: p.now,
    updated_at: p.now,
  });
}

export async function findTransaction(
  db: Executor,
  merchantId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<TransactionRow | undefined> {
  const query = db
    .selectFrom('transactions')
    .select([...COLUMNS, rate])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export interface TransactionFilter {
  status?: TransactionStatus | undefined;
  type?: TransactionType | undefined;
  customerId?: string | undefined;
}

export async function listTransactionsPage(
  db: Executor,
  merchantId: string,
  page: { limit: number; after?: PageCursor | undefined } & TransactionFilter,
): Promise<TransactionRow[]> {
  let query = db
    .selectFrom('transactions')
    .select([...COLUMNS, rate])
    .where('merchant_id', '=', merchantId);
  if (page.status) query = query.where('status', '=', page.status);
  if (page.type) query = query.where('type', '=', page.type);
  if (page.customerId) query = query.where('customer_id', '=', page.customerId);
  return newestFirstPage(query, page).execute();
}

/** Reserves a refund's amount on its payment (so concurrent refunds never exceed it). */
export async function reserveRefund(
  db: Executor,
  merchantId: string,
  paymentId: string,
  amountMinor: number,
  baseMinor: number,
) {
  await db
    .updateTable('transactions')
    .set((eb) => ({
      amount_refunded_minor: eb('amount_refunded_minor', '+', amountMinor),
      base_amount_refunded_minor: eb('base_amount_refunded_minor', '+', baseMinor),
    }))
    .where('merchant_id', '=', merchantId)
    .where('id', '=', paymentId)
    .execute();
}

export async function updateTransaction(
  db: Executor,
  merchantId: string,
  id: string,
  changes: Partial<
    Pick<
      TransactionRow,
      'status' | 'gateway_reference' | 'failure_code' | 'failure_message' | 'succeeded_at' | 'updated_at'
    >
  >,
): Promise<void> {
  await db
    .updateTable('transactions')
    .set(changes)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}

/**
 * refunded / partially_refunded from what refunds have taken back. After a failed refund only a
 * payment some refund already succeeded on is touched (the failed one's reservation is gone).
 */
export async function setRefundStatus(
  db: Executor,
  merchantId: string,
  paymentId: string,
  now: Date,
  options: { afterFailure?: boolean } = {},
) {
  let query = db
    .updateTable('transactions')
    .set((eb) => ({
      status: eb
        .case()
        .when('amount_refunded_minor', '>=', eb.ref('amount_minor'))
        .then(sql.lit<TransactionStatus>('refunded'))
        .else(sql.lit<TransactionStatus>('partially_refunded'))
        .end(),
      updated_at: now,
    }))
    .where('merchant_id', '=', merchantId)
    .where('id', '=', paymentId);
  if (options.afterFailure) query = query.where('status', 'in', ['refunded', 'partially_refunded']);
  await query.execute();
}

/** A refund's outcome: the refund, its payment's status and the customer's total spent together. */
export async function settleRefund(
  db: Executor,
  s: {
    merchantId: string;
    refundId: string;
    paymentId: string;
    customerId: string | null;
    baseMinor: number;
    /** The gateway's refund reference; null for an offline refund. */
    reference: string | null;
    now: Date;
  },
): Promise<void> {
  await db
    .updateTable('transactions')
    .set({ status: 'succeeded', gateway_reference: s.reference, succeeded_at: s.now, updated_at: s.now })
    .where('merchant_id', '=', s.merchantId)
    .where('id', '=', s.refundId)
    .execute();
  await setRefundStatus(db, s.merchantId, s.paymentId, s.now);
  if (s.customerId) await takeBackTotalSpent(db, s.merchantId, s.customerId, s.baseMinor);
}
