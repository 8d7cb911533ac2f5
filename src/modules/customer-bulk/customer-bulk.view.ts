import type { CustomerListParams } from '../customers/index.js';
import type { CustomerBulkJobView } from './customer-bulk.schemas.js';
import type { CustomerBulkJobRow } from './customer-bulk-job.table.js';

/** What the job row keeps of the selection: ids, or the view's parameters without its search text. */
export type StoredSelection = { ids: string[] } | { view: CustomerListParams; searched?: boolean };

export const EXPORT_PATH = '/api/v1/customers/export';

/**
 * The export of a selection: the view's parameters as they are (its sort orders the file), or for
 * ids the job's own download (1,000 ids in a query string would pass Node's 16 KiB header limit).
 * Null for a view with a search whose text is not at hand (the row does not keep it).
 */
export function exportUrlOf(jobId: string, selection: StoredSelection): string | null {
  if ('ids' in selection) return `/api/v1/customer-bulk-jobs/${jobId}/export`;
  if (selection.searched && selection.view.q === undefined) return null;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(selection.view)) {
    if (value !== undefined) query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${EXPORT_PATH}?${text}` : EXPORT_PATH;
}

/** The job as the API shows it. `selection` is the full one while the request that made the job is at hand. */
export function toBulkJobView(row: CustomerBulkJobRow, selection?: StoredSelection): CustomerBulkJobView {
  const stored = row.selection as StoredSelection;
  return {
    id: row.id,
    object: 'customer_bulk_job',
    action: row.action,
    status: row.status,
    selection: 'ids' in stored ? 'ids' : 'view',
    total: row.total,
    done: row.done,
    succeeded: row.succeeded,
    refused: row.refused,
    refusals: row.refusals,
    ...(row.action === 'export' ? { export_url: exportUrlOf(row.id, selection ?? stored) } : {}),
    error: row.error,
    created_at: row.created_at.toISOString(),
    finished_at: row.finished_at?.toISOString() ?? null,
  };
}
