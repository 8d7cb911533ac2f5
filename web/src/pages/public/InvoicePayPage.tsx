import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { CheckCircle2 } from 'lucide-react';
import { isApiError, publicApi } from '../../api/client';
import type { PublicInvoice } from '../../api/types';
import { EmptyState, ErrorState, Spinner } from '../../components/States';
import { formatDay } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { PaymentForm } from './PaymentForm';
import { PublicShell } from './PublicShell';

/** /invoice/{token}: an open invoice, its lines, and the form to pay it. */
export default function InvoicePayPage() {
  const { token = '' } = useParams();
  const path = `/invoice/${encodeURIComponent(token)}`;
  const invoice = useQuery({ queryKey: ['public', path], queryFn: () => publicApi.get<PublicInvoice>(path) });

  if (invoice.isPending) {
    return (
      <PublicShell title="Invoice">
        <div className="public-card card center">
          <Spinner />
        </div>
      </PublicShell>
    );
  }
  if (invoice.isError) {
    return (
      <PublicShell title="Invoice">
        <div className="public-card card">
          {isApiError(invoice.error, 404) ? (
            <EmptyState title="Invoice not found">
              The link may be incomplete. Ask whoever sent it for a new one.
            </EmptyState>
          ) : (
            <ErrorState error={invoice.error} retry={() => void invoice.refetch()} />
          )}
        </div>
      </PublicShell>
    );
  }
  const inv = invoice.data;
  return (
    <PublicShell brand={inv.brand_name} title={`Invoice ${inv.number}`}>
      <div className="public-card card split">
        <div className="public-summary">
          <p className="public-kicker">Invoice from {inv.brand_name}</p>
          <h1>{inv.number}</h1>
          {inv.due_date && <p className="muted small">Due {formatDay(inv.due_date)}</p>}
          <InvoiceLines invoice={inv} />
          {inv.memo && <p className="memo">{inv.memo}</p>}
        </div>
        <div className="public-form">
          {inv.status === 'paid' ? (
            <EmptyState title="This invoice is paid" icon={<CheckCircle2 size={22} />}>
              Thank you. There is nothing more to do.
            </EmptyState>
          ) : inv.status === 'void' ? (
            <EmptyState title="This invoice cannot be paid">
              It was cancelled. Ask {inv.brand_name} for a new one.
            </EmptyState>
          ) : (
            <PaymentForm path={path} currency={inv.total.currency} amount={inv.total} payerKnown={inv.customer_known} />
          )}
        </div>
      </div>
    </PublicShell>
  );
}

function InvoiceLines({ invoice }: { invoice: PublicInvoice }) {
  return (
    <table className="table table-compact invoice-lines">
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col" className="num">
            Qty
          </th>
          <th scope="col" className="num">
            Amount
          </th>
        </tr>
      </thead>
      <tbody>
        {invoice.line_items.map((line, i) => (
          <tr key={i}>
            <td>
              {line.description}
              <span className="cell-sub">{formatMoney(line.unit_amount)} each</span>
            </td>
            <td className="num">{line.quantity}</td>
            <td className="num">{formatMoney(line.amount)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            Total
          </th>
          <td className="num">
            <strong>{formatMoney(invoice.total)}</strong>
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
