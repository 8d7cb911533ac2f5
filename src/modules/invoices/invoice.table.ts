import type { ColumnType, Insertable, Selectable } from 'kysely';

export interface InvoiceLineItem {
  description: string;
  quantity: number;
  unit_amount_minor: number;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void';

export interface InvoiceTable {
  merchant_id: string;
  id: string;
  /** Per brand, from brand_counters: INV-000001, INV-000002, … */
  number: number;
  status: InvoiceStatus;
  customer_id: string | null;
  currency: string;
  line_items: ColumnType<InvoiceLineItem[], string, string>;
  total_minor: number;
  memo: string | null;
  /** date: kept as YYYY-MM-DD text. */
  due_date: ColumnType<string | null, string | null, string | null>;
  token: string | null;
  pending_transaction_id: string | null;
  transaction_id: string | null;
  created_at: Date;
  finalized_at: Date | null;
  paid_at: Date | null;
  voided_at: Date | null;
}

export type InvoiceRow = Selectable<InvoiceTable>;
export type NewInvoiceRow = Insertable<InvoiceTable>;
