import type { Insertable, Selectable, Updateable } from 'kysely';

export interface PaymentLinkTable {
  merchant_id: string;
  id: string;
  slug: string;
  title: string;
  description: string | null;
  currency: string;
  /** Set: a fixed amount. Null: the client chooses, within min/max when set. */
  amount_minor: number | null;
  min_amount_minor: number | null;
  max_amount_minor: number | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export type PaymentLinkRow = Selectable<PaymentLinkTable>;
export type NewPaymentLinkRow = Insertable<PaymentLinkTable>;
export type PaymentLinkChanges = Updateable<PaymentLinkTable>;
