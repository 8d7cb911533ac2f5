import type { ColumnType, Insertable, Selectable } from 'kysely';

export type TransactionType = 'payment' | 'refund';
export type TransactionStatus = 'pending' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded';
export type TransactionSource = 'checkout' | 'payment_link' | 'invoice' | 'order';
/** A card at the gateway, or an offline payment recorded by staff (an order's cash on delivery). */
export type PaymentMethod = 'card' | 'cash' | 'bank_transfer' | 'mobile_money';

export interface TransactionTable {
  merchant_id: string;
  id: string;
  type: TransactionType;
  status: TransactionStatus;
  source: TransactionSource;
  amount_minor: number;
  currency: string;
  base_amount_minor: number | null;
  base_currency: string;
  exchange_rate: ColumnType<string | null, string | null, string | null>;
  amount_refunded_minor: ColumnType<number, number | undefined, number>;
  base_amount_refunded_minor: ColumnType<number, number | undefined, number>;
  customer_id: string | null;
  invoice_id: string | null;
  payment_link_id: string | null;
  checkout_session_id: string | null;
  order_id: ColumnType<string | null, string | null | undefined, string | null>;
  method: ColumnType<PaymentMethod, PaymentMethod | undefined, PaymentMethod>;
  /** What the payer or staff gave to find an offline payment again (a bank or mobile-money reference). */
  reference: ColumnType<string | null, string | null | undefined, string | null>;
  refunded_transaction_id: string | null;
  gateway: string;
  gateway_reference: string | null;
  card_brand: string | null;
  card_last4: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: Date;
  succeeded_at: Date | null;
  updated_at: Date;
}

export type TransactionRow = Selectable<TransactionTable>;
export type NewTransactionRow = Insertable<TransactionTable>;
