import type { ColumnType, Insertable, Selectable } from 'kysely';

export type OrderStatus = 'open' | 'paid' | 'fulfilled' | 'cancelled';
export type OrderPaymentMethod = 'card' | 'cash' | 'bank_transfer' | 'mobile_money';

/** A line as stored: no personal data (like an invoice's lines). */
export interface StoredOrderLine {
  description: string;
  quantity: number;
  unit_amount_minor: number;
}

export interface OrderTable {
  merchant_id: string;
  id: string;
  number: number;
  status: OrderStatus;
  customer_id: string | null;
  user_id: string | null;
  currency: string;
  line_items: ColumnType<StoredOrderLine[], string, string>;
  total_minor: number;
  /** The buyer's {name, email, phone} sealed as JSON, kept when no customer holds them. */
  buyer_enc: Buffer | null;
  data_key_id: number | null;
  checkout_session_id: ColumnType<string | null, string | null | undefined, string | null>;
  transaction_id: ColumnType<string | null, string | null | undefined, string | null>;
  payment_method: ColumnType<
    OrderPaymentMethod | null,
    OrderPaymentMethod | null | undefined,
    OrderPaymentMethod | null
  >;
  payment_reference: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  updated_at: Date;
  paid_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  fulfilled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type OrderRow = Selectable<OrderTable>;
export type NewOrderRow = Insertable<OrderTable>;
