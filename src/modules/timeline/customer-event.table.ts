import type { ColumnType, Insertable, Selectable } from 'kysely';

/**
 * What happened to a customer, one row per event, appended in the transaction of the change. Types,
 * ids and actors only: nothing personal is stored here in clear.
 */
export interface CustomerEventTable {
  merchant_id: string;
  id: string;
  customer_id: string;
  type: string;
  actor_type: string;
  actor_id: string;
  /** Ids of what the event is about ({order: 'ord_…'}, {user: 'usr_…'}) and closed facts (source, fields). */
  refs: ColumnType<Record<string, string | string[]>, string, never>;
  created_at: Date;
}

export type CustomerEventRow = Selectable<CustomerEventTable>;
export type NewCustomerEventRow = Insertable<CustomerEventTable>;
