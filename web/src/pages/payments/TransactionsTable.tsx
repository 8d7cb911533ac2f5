import { Link } from 'react-router';
import { RotateCcw } from 'lucide-react';
import type { Transaction } from '../../api/types';
import { StatusBadge } from '../../components/Bits';
import { SkeletonRows } from '../../components/States';
import { TruncatedText } from '../../components/TruncatedText';
import { formatDate, formatDateTime, formatTime } from '../../lib/format';
import { formatMoney } from '../../lib/money';

const SOURCES: Record<Transaction['source'], string> = {
  checkout: 'Checkout',
  payment_link: 'Payment link',
  invoice: 'Invoice',
  order: 'Order',
};

/** How a payment was made: a card at the gateway, or money staff received and recorded (an order). */
export const METHOD_LABELS: Record<Transaction['method'], string> = {
  card: 'Card',
  cash: 'Cash',
  bank_transfer: 'Bank transfer',
  mobile_money: 'Mobile money',
};

export function canRefund(transaction: Transaction): boolean {
  return (
    transaction.type === 'payment' &&
    (transaction.status === 'succeeded' || transaction.status === 'partially_refunded') &&
    transaction.amount_refunded.amount < transaction.amount.amount
  );
}

interface TransactionsTableProps {
  rows: Transaction[];
  loading?: boolean;
  showCustomer?: boolean;
  onRefund?: ((transaction: Transaction) => void) | undefined;
}

/** Payments and refunds, newest first; on a phone each row becomes a small card (narrow.css). */
export function TransactionsTable({ rows, loading, showCustomer = true, onRefund }: TransactionsTableProps) {
  const columns = 5 + (showCustomer ? 1 : 0);
  return (
    <div className="table-scroll">
      <table className="table table-stack transactions-table">
        <thead>
          <tr>
            <th scope="col">Date</th>
            {showCustomer && (
              <th scope="col" className="cell-fill">
                Customer
              </th>
            )}
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Status</th>
            <th scope="col">Method</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {loading ? (
            <SkeletonRows columns={columns} rows={5} />
          ) : (
            rows.map((t) => (
              <tr key={t.id}>
                <td className="stack-full">
                  <DateTime iso={t.succeeded_at ?? t.created_at} />
                  <span className="cell-sub mono truncate id-sub" title={t.id}>
                    {t.id}
                  </span>
                </td>
                {showCustomer && (
                  <td className="cell-fill stack-full">
                    {t.customer_id ? (
                      <Link
                        to={`/customers/${t.customer_id}`}
                        className="truncate"
                        title={t.customer_name ?? undefined}
                      >
                        {t.customer_name ?? t.customer_id}
                      </Link>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                )}
                <td className="num" data-label="Amount">
                  <span className={t.type === 'refund' ? 'amount-negative' : undefined}>
                    {t.type === 'refund' ? '−' : ''}
                    {formatMoney(t.amount)}
                  </span>
                  {t.base_amount && t.base_amount.currency !== t.amount.currency && (
                    <span className="cell-sub">{formatMoney(t.base_amount)}</span>
                  )}
                  {t.amount_refunded.amount > 0 && (
                    <span className="cell-sub">{formatMoney(t.amount_refunded)} refunded</span>
                  )}
                </td>
                <td>
                  <StatusBadge
                    status={t.status}
                    label={t.type === 'refund' ? `refund ${t.status.replace(/_/g, ' ')}` : undefined}
                  />
                  {t.failure_message && <TruncatedText className="cell-sub" text={t.failure_message} />}
                </td>
                <td className="nowrap" data-label="Method">
                  {t.card ? `${capitalize(t.card.brand)} •••• ${t.card.last4}` : METHOD_LABELS[t.method]}
                  <span className="cell-sub">
                    {t.order_id ? (
                      <Link to={`/orders/${t.order_id}`}>{SOURCES.order}</Link>
                    ) : (
                      (SOURCES[t.source] ?? t.source)
                    )}
                  </span>
                  {t.reference && <TruncatedText className="cell-sub reference" text={t.reference} />}
                </td>
                <td className="actions">
                  {onRefund && canRefund(t) && (
                    <button
                      type="button"
                      className="btn btn-ghost btn-small"
                      onClick={() => onRefund(t)}
                      aria-label={`Refund ${t.id}`}
                    >
                      <RotateCcw size={15} aria-hidden="true" /> Refund
                    </button>
                  )}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The date and the time, each whole: in a narrow column the time moves to the next line. */
function DateTime({ iso }: { iso: string }) {
  return (
    <time className="cell-title-plain" dateTime={iso} title={formatDateTime(iso)}>
      <span className="nowrap">{formatDate(iso)}</span> <span className="nowrap">{formatTime(iso)}</span>
    </time>
  );
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
