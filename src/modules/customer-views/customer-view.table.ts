import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { CustomerListParams } from '../customers/index.js';

/** Saved views of the customers list (migration 0010): per staff member, or shared (owner_staff_id null). */
export interface CustomerViewTable {
  merchant_id: string;
  id: string;
  name: string;
  owner_staff_id: string | null;
  /** Sort and filters as the list's query parameters, without q and without cursor or limit. */
  query: ColumnType<Omit<CustomerListParams, 'q'>, string, string>;
  /** The search text sealed with the field cipher under the brand's data key; null without one. */
  q_enc: Buffer | null;
  data_key_id: number | null;
  created_by_type: string;
  created_by_id: string;
  created_at: Date;
  updated_at: Date;
}

export type CustomerViewRow = Selectable<CustomerViewTable>;
export type NewCustomerViewRow = Insertable<CustomerViewTable>;
