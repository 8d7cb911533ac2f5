import type { ColumnType, Insertable, Selectable } from 'kysely';

export const IMPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export type ImportMode = 'all_or_nothing' | 'skip_invalid';

/** What a report row says happened to a line of the file. */
export type RowStatus = 'failed' | 'skipped' | 'updated';

/** One line of the report: where, what and why; never a contact value. */
export interface ReportRow {
  line: number;
  status: RowStatus;
  field: string | null;
  reason: string;
  /** The existing customer a duplicate or an update concerns. */
  customer: string | null;
}

/** The `report` column: how the columns were read, and the problem rows (capped; counts stay exact). */
export interface ImportReport {
  /** Header → field (`email`, `name`, `metadata.crm_id`, …). */
  mapping: Record<string, string>;
  unknown_columns: string[];
  rows: ReportRow[];
  /** True when more rows had something to say than the report keeps. */
  rows_truncated: boolean;
}

/** CSV import jobs (migration 0009): status, progress, counts and the problem rows. */
export interface CustomerImportTable {
  merchant_id: string;
  id: string;
  status: ImportStatus;
  mode: ImportMode;
  update_existing: boolean;
  dry_run: boolean;
  filename: string | null;
  actor_type: string;
  actor_id: string;
  rows_total: number | null;
  rows_done: ColumnType<number, number | undefined, number>;
  imported: ColumnType<number, number | undefined, number>;
  updated: ColumnType<number, number | undefined, number>;
  skipped: ColumnType<number, number | undefined, number>;
  failed: ColumnType<number, number | undefined, number>;
  report: ColumnType<Partial<ImportReport>, string | undefined, string>;
  error: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export type CustomerImportRow = Selectable<CustomerImportTable>;
export type NewCustomerImportRow = Insertable<CustomerImportTable>;
