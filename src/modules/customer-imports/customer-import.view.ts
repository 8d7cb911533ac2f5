import type { ImportTally } from './customer-import.batch.js';
import type { CustomerImportView } from './customer-import.schemas.js';
import type { CustomerImportRow } from './customer-import.table.js';

/** Rows of the report shown in the job itself (the dashboard's table); the rest is in GET …/report. */
const PROBLEMS_SHOWN = 100;

/** The job as the API shows it; `live` is the progress of a job this process runs, ahead of its row. */
export function toImportView(row: CustomerImportRow, live?: ImportTally): CustomerImportView {
  const counts = live ?? row;
  const rows = row.report.rows ?? [];
  const total = row.rows_total;
  return {
    id: row.id,
    object: 'customer_import',
    status: row.status,
    mode: row.mode,
    update_existing: row.update_existing,
    dry_run: row.dry_run,
    filename: row.filename,
    rows_total: total,
    rows_done: counts.rows_done,
    progress: total ? Math.min(1, counts.rows_done / total) : row.finished_at ? 1 : 0,
    imported: counts.imported,
    updated: counts.updated,
    skipped: counts.skipped,
    failed: counts.failed,
    mapping: row.report.mapping ?? {},
    unknown_columns: row.report.unknown_columns ?? [],
    problems: rows.slice(0, PROBLEMS_SHOWN),
    report_rows: rows.length,
    report_truncated: row.report.rows_truncated ?? false,
    error: row.error,
    created_at: row.created_at.toISOString(),
    finished_at: row.finished_at?.toISOString() ?? null,
  };
}
