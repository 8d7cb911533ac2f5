import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { isId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { customerNotFound } from './customer.access.js';
import { requireLiveCustomer } from './customer.merged.js';
import {
  countCustomerReferences,
  deleteCustomer as deleteCustomerRow,
  lockCustomerRow,
} from './customer.repository.js';

/**
 * DELETE /customers/{id}: refused while any payment, invoice or order points at the customer. Audited in
 * the same transaction, so there is no deletion without its trail.
 */
export async function deleteCustomer(ctx: AppContext, principal: Principal, id: string, ip?: string): Promise<void> {
  requirePermission(principal, 'customers.delete');
  const { merchantId } = principal;
  if (!isId('cus', id)) throw customerNotFound(id);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await lockCustomerRow(trx, merchantId, id))) throw customerNotFound(id);
    // A merged id is a pointer kept for good (it answers with its survivor): not deleted.
    await requireLiveCustomer(trx, merchantId, id, { erased: 'allow' });
    // Counted under the row lock: a payment linking to this customer waits for it (or we for it).
    const { transactions, invoices, orders } = await countCustomerReferences(trx, merchantId, id);
    if (transactions > 0 || invoices > 0 || orders > 0) {
      throw new DomainError(
        'has_transactions',
        `Customer ${id} has ${count(transactions, 'transaction')}, ${count(invoices, 'invoice')} and ${count(orders, 'order')}; a customer with payment history cannot be deleted`,
        { transactions_count: transactions, invoices_count: invoices, orders_count: orders },
      );
    }
    await deleteCustomerRow(trx, merchantId, id);
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'customer.delete',
      target: { type: 'customer', id },
      ip,
    });
  });
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
