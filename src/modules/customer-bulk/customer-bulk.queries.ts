import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { isId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import type { CustomerBulkJobs } from './customer-bulk.jobs.js';
import { findBulkJob } from './customer-bulk.repository.js';
import type { CustomerBulkJobView } from './customer-bulk.schemas.js';
import { toBulkJobView } from './customer-bulk.view.js';

export function bulkJobNotFound(id: string): DomainError {
  return new DomainError('bulk_job_not_found', `No bulk action ${id.slice(0, 60)} in this brand`);
}

/** GET /customer-bulk-jobs/{id}: for anyone who reads customers (the job holds ids, codes and counts only). */
export async function getBulkJob(
  ctx: AppContext,
  principal: Principal,
  id: string,
  jobs: CustomerBulkJobs,
): Promise<CustomerBulkJobView> {
  requirePermission(principal, 'customers.read');
  if (!isId('bulk', id)) throw bulkJobNotFound(id);
  let row = await findBulkJob(ctx.db, principal.merchantId, id);
  if (!row) throw bulkJobNotFound(id);
  if (!row.finished_at && !jobs.isLive(id) && (await jobs.failInterrupted(principal.merchantId)) > 0) {
    row = (await findBulkJob(ctx.db, principal.merchantId, id)) ?? row;
  }
  return toBulkJobView(row);
}
