import type { AppContext } from '../../context.js';
import type { Principal } from '../access/index.js';
import { matchingCustomerIds } from '../customers/index.js';
import { applyToBatch } from './customer-bulk.actions.js';
import { updateBulkJob } from './customer-bulk.repository.js';
import type { CustomerBulkJobView } from './customer-bulk.schemas.js';
import { auditBulk, type BulkPlan } from './customer-bulk.service.js';
import { toBulkJobView } from './customer-bulk.view.js';
import type { CustomerBulkJobRow } from './customer-bulk-job.table.js';

/** Customers per batch: per-customer actions commit one by one; tag and untag one transaction per batch. */
export const BULK_BATCH_SIZE = { each: 100, tags: 500 } as const;

/** The refusals a job row keeps; `refused` counts them all. */
export const REFUSALS_KEPT = 1000;

export interface BulkHooks {
  /** Stops after the current batch (what is done stays done). */
  signal?: AbortSignal | undefined;
  /** The caller's address, for the per-customer audit rows. */
  ip?: string | undefined;
  batchSize?: number | undefined;
}

/**
 * Runs a prepared job batch by batch: each batch through the action's own service (its timeline
 * events and audit rows), then the job's progress (its heartbeat too). At the end the counts,
 * the status and the job's one customers.bulk audit row commit together. Never throws for what a
 * customer refuses; an unexpected error or a stop ends the job failed, with what was done counted.
 */
export async function runBulkJob(
  ctx: AppContext,
  principal: Principal,
  job: CustomerBulkJobRow,
  plan: BulkPlan,
  hooks: BulkHooks = {},
): Promise<CustomerBulkJobView> {
  const { merchant_id: merchantId, id } = job;
  const row: CustomerBulkJobRow = { ...job, status: 'running', refusals: [...job.refusals] };
  const progress = () => ({
    status: row.status,
    total: row.total,
    done: row.done,
    succeeded: row.succeeded,
    refused: row.refused,
    refusals: JSON.stringify(row.refusals),
    error: row.error,
    updated_at: ctx.clock(),
  });
  await updateBulkJob(ctx.db, merchantId, id, progress());

  const tags = plan.work.action === 'tag' || plan.work.action === 'untag';
  const size = hooks.batchSize ?? (tags ? BULK_BATCH_SIZE.tags : BULK_BATCH_SIZE.each);
  try {
    for await (const ids of selected(ctx, principal, plan, size)) {
      if (hooks.signal?.aborted) {
        row.error = `Stopped when the server shut down, after ${row.done} customers; run the action again for the rest`;
        break;
      }
      const outcome = await applyToBatch(ctx, principal, plan.work, ids, { id, ip: hooks.ip });
      row.done += ids.length;
      row.succeeded += outcome.succeeded;
      row.refused += outcome.refusals.length;
      row.refusals.push(...outcome.refusals.slice(0, Math.max(0, REFUSALS_KEPT - row.refusals.length)));
      await updateBulkJob(ctx.db, merchantId, id, progress());
    }
  } catch (error) {
    ctx.logger.error({ err: error, bulkJobId: id }, 'customer bulk action failed');
    row.error = `Stopped on an unexpected error after ${row.done} customers; run the action again for the rest`;
  }

  const now = ctx.clock();
  row.status = row.error === null ? 'succeeded' : 'failed';
  if (row.total === null && row.error === null) row.total = row.done;
  row.updated_at = now;
  row.finished_at = now;
  await ctx.db.transaction().execute(async (trx) => {
    await updateBulkJob(trx, merchantId, id, { ...progress(), finished_at: now });
    await auditBulk(trx, principal, row);
  });
  return toBulkJobView(row);
}

/** The selection in batches: the ids as given, or every customer the view matches (newest first, whatever its sort). */
async function* selected(
  ctx: AppContext,
  principal: Principal,
  plan: BulkPlan,
  size: number,
): AsyncGenerator<string[]> {
  if ('ids' in plan.selection) {
    const { ids } = plan.selection;
    for (let i = 0; i < ids.length; i += size) yield ids.slice(i, i + size);
    return;
  }
  // Created-at never changes, so the walk neither skips nor repeats a customer the action changes.
  const { sort: _sort, ...filters } = plan.selection.view;
  yield* matchingCustomerIds(ctx, principal, filters, size);
}
