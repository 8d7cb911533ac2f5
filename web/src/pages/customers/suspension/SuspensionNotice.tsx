import { SUSPENSION_REASON_LABELS } from '../../../api/customer-suspension';
import type { Customer } from '../../../api/types';
import { Notice } from '../../../components/States';
import { formatDateTime } from '../../../lib/format';

/** What staff see on a suspended customer's profile: since when and why (the payer is never told). */
export function SuspensionNotice({ customer }: { customer: Customer }) {
  const suspension = customer.suspension;
  if (customer.status !== 'suspended' || !suspension) return null;
  return (
    <Notice tone="warning" title="Payments from this customer are refused">
      <span data-testid="suspension">
        Suspended {formatDateTime(suspension.suspended_at)} · Reason: {SUSPENSION_REASON_LABELS[suspension.reason]}.
        Payment pages, checkouts, invoices and orders refuse new payments from this customer's email.
      </span>
    </Notice>
  );
}
