import type { AppContext } from '../../context.js';
import { type Principal, requirePermission } from '../access/index.js';
import { actorOf, type AuditActor, recordAudit } from '../audit/index.js';
import { countCustomers, lockCustomerRow, writeCustomerAggregates } from '../customers/index.js';
import { findAggregateDrift, ledgerAggregates, type AggregateDrift } from './reconcile.repository.js';

export interface ReconcileReport {
  merchant_id: string;
  customers_checked: number;
  drift: AggregateDrift[];
  fixed: number;
}

/**
 * Proves every customer's aggregates (transactions count, total spent, last payment) against the
 * transactions ledger; with fix, rewrites the drifted ones from the ledger. Each fix runs under the
 * customer's row lock and recomputes there, so a payment landing meanwhile is never lost.
 */
export async function reconcileBrand(
  ctx: AppContext,
  merchantId: string,
  options: { fix: boolean; actor: AuditActor },
): Promise<ReconcileReport> {
  const customersChecked = await countCustomers(ctx.db, merchantId);
  const drift = await findAggregateDrift(ctx.db, merchantId);
  let fixed = 0;
  if (options.fix) {
    for (const item of drift) {
      await ctx.db.transaction().execute(async (trx) => {
        if (!(await lockCustomerRow(trx, merchantId, item.customer_id))) return;
        await writeCustomerAggregates(
          trx,
          merchantId,
          item.customer_id,
          await ledgerAggregates(trx, merchantId, item.customer_id),
        );
        fixed++;
      });
    }
    if (fixed > 0) {
      await recordAudit(ctx.db, {
        merchantId,
        actor: options.actor,
        action: 'customers.reconcile_fix',
        details: { customers_fixed: fixed },
      });
    }
  }
  return { merchant_id: merchantId, customers_checked: customersChecked, drift, fixed };
}

/** POST /reconcile: the caller's brand, for owners and admins; dates as ISO text. */
export async function reconcileAsCaller(ctx: AppContext, principal: Principal, fix: boolean) {
  requirePermission(principal, 'brand.manage');
  const report = await reconcileBrand(ctx, principal.merchantId, { fix, actor: actorOf(principal) });
  const iso = (a: AggregateDrift['stored']) => ({ ...a, last_payment_at: a.last_payment_at?.toISOString() ?? null });
  return {
    ...report,
    drift: report.drift.map((d) => ({ customer_id: d.customer_id, stored: iso(d.stored), ledger: iso(d.ledger) })),
  };
}
