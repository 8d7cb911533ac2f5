/**
 * Sort keys of live customers (migration 0010), kept in step with `customers` by triggers: never
 * written by the application. `last_payment_key` is last_payment_at, -infinity when never paid (the
 * driver reads -infinity as an invalid Date: select it as text or epoch, see customer-list.repository.ts).
 */
export interface CustomerRankTable {
  merchant_id: string;
  customer_id: string;
  total_spent_minor: number;
  transactions_count: number;
  last_payment_key: Date;
  /** Copies of the customer's search tokens and index key (migration 0011): a ranked walk tests them here. */
  search_tokens: number[];
  index_key_id: number | null;
  /** Copies of filter columns (migration 0012): the customer's source, suspended_at set, user_id set. */
  source: string | null;
  suspended: boolean;
  has_user: boolean;
}

/** The KPI's maintained count of live customers: a brand's count is the sum of its slots (triggers write it). */
export interface CustomerCountTable {
  merchant_id: string;
  slot: number;
  customers: number | string;
}
