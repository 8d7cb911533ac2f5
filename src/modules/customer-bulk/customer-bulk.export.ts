import type { AppContext } from '../../context.js';
import { isId } from '../../ids.js';
import type { Principal } from '../access/index.js';
import { exportCustomers, type CustomerExport } from '../customers/index.js';
import { bulkJobNotFound } from './customer-bulk.queries.js';
import { findBulkJob } from './customer-bulk.repository.js';
import type { StoredSelection } from './customer-bulk.view.js';

/**
 * GET /customer-bulk-jobs/{id}/export: the CSV of an export job's selected ids, through the
 * customers export (its masking and its audit row). Only export jobs of ids have one; a view's
 * export is the list's own export URL.
 */
export async function exportBulkSelection(
  ctx: AppContext,
  principal: Principal,
  id: string,
  options: { ip?: string | undefined } = {},
): Promise<CustomerExport> {
  if (!isId('bulk', id)) throw bulkJobNotFound(id);
  const row = await findBulkJob(ctx.db, principal.merchantId, id);
  const selection = row?.selection as StoredSelection | undefined;
  if (!row || row.action !== 'export' || !selection || !('ids' in selection)) throw bulkJobNotFound(id);
  return exportCustomers(ctx, principal, { ids: selection.ids.join(',') }, options);
}
