import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { refundable, useRefund } from '../../api/payments';
import type { Transaction } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { InputField } from '../../components/Field';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { formatMoney, parseMajor, toMajorString } from '../../lib/money';
import { METHOD_LABELS } from './TransactionsTable';

/** Refunds what is left of a payment, or a part of it. */
export function RefundDialog({ transaction, onClose }: { transaction: Transaction; onClose: () => void }) {
  const left = refundable(transaction);
  const [amount, setAmount] = useState(toMajorString(left.amount, left.currency));
  const refund = useRefund();
  const toast = useToast();
  const minor = parseMajor(amount, left.currency);
  const invalid = minor === null || minor <= 0 || minor > left.amount;
  const serverError = refund.error;
  const fieldError = isApiError(serverError, 422) ? serverError.fieldErrors().amount : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid || minor === null) return;
    refund.mutate(
      { id: transaction.id, ...(minor === left.amount ? {} : { amount: minor }) },
      {
        onSuccess: (created) => {
          toast(`Refunded ${formatMoney(created.amount)}`);
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      title="Refund payment"
      size="small"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="refund-form" className="btn btn-danger" disabled={refund.isPending || invalid}>
            {refund.isPending
              ? 'Refunding…'
              : `Refund ${minor !== null && !invalid ? formatMoney({ amount: minor, currency: left.currency }) : ''}`}
          </button>
        </>
      }
    >
      <p>
        Payment of <strong>{formatMoney(transaction.amount)}</strong>
        {transaction.customer_name ? ` by ${transaction.customer_name}` : ''}. Up to {formatMoney(left)} can be
        refunded.
      </p>
      {transaction.method !== 'card' && (
        <Notice tone="info">
          Paid in {METHOD_LABELS[transaction.method].toLowerCase()}, outside Paydesk: hand the money back the same way.
          Paydesk records the refund.
        </Notice>
      )}
      {serverError && !fieldError && <Notice tone="danger">{serverError.message}</Notice>}
      <form id="refund-form" onSubmit={submit} noValidate>
        <InputField
          label={`Amount (${left.currency})`}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={
            fieldError ??
            (amount && invalid
              ? `Enter an amount between 0 and ${toMajorString(left.amount, left.currency)}`
              : undefined)
          }
        />
      </form>
    </Dialog>
  );
}
