import { useState, type FormEvent } from 'react';
import { CheckCircle2, ExternalLink } from 'lucide-react';
import { isApiError } from '../../api/client';
import { useOrderAction, useRecordOrderPayment } from '../../api/orders';
import type { CheckoutSession, OfflineMethod, Order } from '../../api/types';
import { CopyButton } from '../../components/Bits';
import { Dialog } from '../../components/Dialog';
import { InputField, SelectField } from '../../components/Field';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { absoluteUrl, formatDateTime } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { METHOD_LABELS } from '../payments/TransactionsTable';

const OFFLINE_METHODS: OfflineMethod[] = ['cash', 'bank_transfer', 'mobile_money'];

/** Money the brand received outside Paydesk: the order becomes paid and the ledger gets the payment. */
export function RecordPaymentDialog({ order, onClose }: { order: Order; onClose: () => void }) {
  const record = useRecordOrderPayment();
  const toast = useToast();
  const [method, setMethod] = useState<OfflineMethod>('cash');
  const [reference, setReference] = useState('');
  const error = record.error;
  const fieldErrors = isApiError(error, 422) ? error.fieldErrors() : {};
  const otherError = error && Object.keys(fieldErrors).length === 0 ? error.message : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate(
      { id: order.id, method, ...(reference.trim() ? { reference: reference.trim() } : {}) },
      {
        onSuccess: (paid) => {
          toast(`${paid.number} is paid (${METHOD_LABELS[method].toLowerCase()})`);
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      title="Record payment"
      size="small"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="record-payment" className="btn btn-primary" disabled={record.isPending}>
            {record.isPending ? 'Recording…' : `Record ${formatMoney(order.total)}`}
          </button>
        </>
      }
    >
      <p>
        Record that {order.number} was paid in full, {formatMoney(order.total)}, outside Paydesk. It shows in
        Transactions and in the customer's total.
      </p>
      {otherError && <Notice tone="danger">{otherError}</Notice>}
      <form id="record-payment" onSubmit={submit} noValidate>
        <SelectField
          label="Method"
          name="method"
          value={method}
          onChange={(e) => setMethod(e.target.value as OfflineMethod)}
          error={fieldErrors.method}
        >
          {OFFLINE_METHODS.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABELS[m]}
            </option>
          ))}
        </SelectField>
        <InputField
          label="Reference"
          name="reference"
          optional
          autoComplete="off"
          maxLength={200}
          placeholder={method === 'cash' ? 'e.g. receipt 1042' : 'e.g. BK8H2K1M3N'}
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          error={fieldErrors.reference}
          hint="The transfer or mobile-money transaction ID, or a receipt number."
        />
      </form>
    </Dialog>
  );
}

/** The checkout page of an order, for the buyer to pay by card; the same link until it expires. */
export function PayOnlineDialog({ session, onClose }: { session: CheckoutSession; onClose: () => void }) {
  const url = absoluteUrl(session.url);
  return (
    <Dialog
      title="Pay online"
      onClose={onClose}
      footer={
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <div className="success-panel">
        <CheckCircle2 size={28} aria-hidden="true" className="success-icon" />
        <p>
          Send this link to the buyer: they pay <strong>{formatMoney(session.amount)}</strong> by card, and the order is
          marked paid.
        </p>
        <p className="share-url mono" data-testid="checkout-url">
          {url}
        </p>
        <p className="muted small">The link works until {formatDateTime(session.expires_at)}.</p>
        <div className="button-row">
          <CopyButton text={url} label="Copy link" />
          <a className="btn btn-secondary btn-small" href={session.url} target="_blank" rel="noreferrer">
            <ExternalLink size={15} aria-hidden="true" /> Open payment page
          </a>
        </div>
      </div>
    </Dialog>
  );
}

export function CancelOrderDialog({ order, onClose }: { order: Order; onClose: () => void }) {
  const action = useOrderAction();
  const toast = useToast();
  return (
    <Dialog
      title={`Cancel ${order.number}?`}
      size="small"
      onClose={onClose}
      initialFocus="[data-autofocus]"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} data-autofocus>
            Keep it
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={action.isPending}
            onClick={() =>
              action.mutate(
                { id: order.id, action: 'cancel' },
                {
                  onSuccess: (cancelled) => {
                    toast(`${cancelled.number} was cancelled`);
                    onClose();
                  },
                },
              )
            }
          >
            {action.isPending ? 'Cancelling…' : 'Cancel order'}
          </button>
        </>
      }
    >
      <p>
        The order for {formatMoney(order.total)} can no longer be paid
        {order.checkout_session ? ', and its payment link stops working' : ''}. This cannot be undone.
      </p>
      {action.isError && <Notice tone="danger">{action.error.message}</Notice>}
    </Dialog>
  );
}
