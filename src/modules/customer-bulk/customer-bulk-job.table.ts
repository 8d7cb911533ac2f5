import type { ColumnType, Insertable, Selectable } from 'kysely';

export const BULK_ACTIONS = ['tag', 'untag', 'delete', 'suspend', 'resume', 'export'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** One customer the action left alone, and why (a closed error code and its message; nothing personal). */
export interface BulkRefusal {
  customer: string;
  code: string;
  reason: string;
}

/** Bulk actions on the customers list (migration 0010): a selection of ids, or everything a view matches. */
export interface CustomerBulkJobTable {
  merchant_id: string;
  id: string;
  action: BulkAction;
  /** {tag: 'tag_…'} for tag and untag, {reason} for suspend. */
  params: ColumnType<Record<string, string>, string, string>;
  /** {ids: [...]} or {view: list query parameters}. */
  selection: ColumnType<Record<string, unknown>, string, string>;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  total: number | null;
  done: ColumnType<number, number | undefined, number>;
  succeeded: ColumnType<number, number | undefined, number>;
  refusals: ColumnType<BulkRefusal[], string | undefined, string>;
  refused: ColumnType<number, number | undefined, number>;
  error: string | null;
  actor_type: string;
  actor_id: string;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export type CustomerBulkJobRow = Selectable<CustomerBulkJobTable>;
export type NewCustomerBulkJobRow = Insertable<CustomerBulkJobTable>;
