import type { Insertable, Selectable } from 'kysely';

/** The team's notes on a customer; the body sealed under the brand's data key, bound to the row. */
export interface CustomerNoteTable {
  merchant_id: string;
  id: string;
  customer_id: string;
  /** Who wrote it: a staff member or an API key (audit actor types). */
  author_type: string;
  author_id: string;
  body_enc: Buffer;
  data_key_id: number;
  created_at: Date;
  updated_at: Date;
}

export type CustomerNoteRow = Selectable<CustomerNoteTable>;
export type NewCustomerNoteRow = Insertable<CustomerNoteTable>;
