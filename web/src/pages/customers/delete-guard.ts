import { plural } from '../../lib/format';

/** What points at a customer and keeps them from being deleted (the server's 409 has_transactions counts). */
export interface CustomerReferences {
  payments?: number | undefined;
  invoices?: number | undefined;
  orders?: number | undefined;
}

/**
 * Why Delete is not possible, as a sentence for staff ("Has 2 payments: …"), or null when nothing is
 * known to stand in the way. The server decides in the end; this only says it up front.
 */
export function deleteBlockedReason(references: CustomerReferences, mayErase: boolean): string | null {
  const parts = [
    references.payments ? plural(references.payments, 'payment') : null,
    references.invoices ? plural(references.invoices, 'invoice') : null,
    references.orders ? plural(references.orders, 'order') : null,
  ].filter((part): part is string => part !== null);
  if (parts.length === 0) return null;
  const has = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  const instead = mayErase
    ? 'Erase their personal data instead.'
    : 'An owner or admin can erase their personal data instead.';
  return `Has ${has}: a customer with payments, invoices or orders cannot be deleted. ${instead}`;
}

/** The counts of a 409 has_transactions problem, whatever else it carries. */
export function referencesOfProblem(problem: Record<string, unknown>): CustomerReferences {
  const count = (key: string) => (typeof problem[key] === 'number' ? (problem[key] as number) : undefined);
  return { payments: count('transactions_count'), invoices: count('invoices_count'), orders: count('orders_count') };
}
