import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import type { Principal } from '../access/index.js';
import { tagCustomers, untagCustomers } from '../customer-tags/index.js';
import { applySuspension } from '../customer-suspension/index.js';
import { deleteCustomer, type SuspensionReason } from '../customers/index.js';
import type { BulkAction, BulkRefusal } from './customer-bulk-job.table.js';

/** What a job does to each batch of customers; built once per job from its request. */
export interface BulkWork {
  action: Exclude<BulkAction, 'export'>;
  tag?: string | undefined;
  reason?: SuspensionReason | undefined;
  /** Staff's words for suspend: kept in memory for the run, never in the job row. */
  note?: string | undefined;
}

export interface BatchOutcome {
  succeeded: number;
  refusals: BulkRefusal[];
}

/**
 * One batch, through each action's own service, so every rule, timeline event and audit row of the
 * single action holds: a customer the action refuses (a DomainError: has_transactions, merged,
 * erased, another brand's id as not found) is listed with its code and message; anything else stops
 * the job.
 */
export async function applyToBatch(
  ctx: AppContext,
  principal: Principal,
  work: BulkWork,
  ids: string[],
  job: { id: string; ip?: string | undefined },
): Promise<BatchOutcome> {
  switch (work.action) {
    case 'tag':
    case 'untag': {
      const change = work.action === 'tag' ? tagCustomers : untagCustomers;
      const { applied, refused } = await change(ctx, principal, work.tag!, ids);
      return { succeeded: applied.length, refusals: refused };
    }
    case 'delete':
      return eachCustomer(ids, (id) => deleteCustomer(ctx, principal, id, job.ip));
    case 'suspend':
      return eachCustomer(ids, (id) =>
        applySuspension(
          ctx,
          principal,
          id,
          { reason: work.reason!, note: work.note },
          { ip: job.ip, bulkJobId: job.id },
        ),
      );
    case 'resume':
      return eachCustomer(ids, (id) => applySuspension(ctx, principal, id, null, { ip: job.ip, bulkJobId: job.id }));
  }
}

async function eachCustomer(ids: string[], act: (id: string) => Promise<unknown>): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { succeeded: 0, refusals: [] };
  for (const id of ids) {
    try {
      await act(id);
      outcome.succeeded++;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcome.refusals.push({ customer: id, code: error.code, reason: error.message });
    }
  }
  return outcome;
}
