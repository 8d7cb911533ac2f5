import type { ColumnType, Insertable, Selectable } from 'kysely';

export interface CheckoutSessionTable {
  merchant_id: string;
  id: string;
  token: string;
  amount_minor: number;
  currency: string;
  description: string | null;
  /** "expired" is not stored: it is open past expires_at. */
  status: 'open' | 'complete';
  pending_transaction_id: string | null;
  expires_at: Date;
  transaction_id: string | null;
  customer_id: string | null;
  /** The order this checkout pays, if it was made for one. */
  order_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  completed_at: Date | null;
}

export type CheckoutSessionRow = Selectable<CheckoutSessionTable>;
export type NewCheckoutSessionRow = Insertable<CheckoutSessionTable>;
