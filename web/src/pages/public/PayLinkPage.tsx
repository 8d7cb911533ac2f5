import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { isApiError, publicApi } from '../../api/client';
import type { PublicPaymentLink } from '../../api/types';
import { EmptyState, ErrorState, Spinner } from '../../components/States';
import { formatMoney } from '../../lib/money';
import { PaymentForm } from './PaymentForm';
import { PublicShell } from './PublicShell';

function describeRange(link: PublicPaymentLink): string {
  if (link.min_amount && link.max_amount) return `${formatMoney(link.min_amount)} to ${formatMoney(link.max_amount)}`;
  return link.min_amount ? `at least ${formatMoney(link.min_amount)}` : `at most ${formatMoney(link.max_amount)}`;
}

/** /pay/{slug}: a payment link, fixed price or an amount the client chooses. */
export default function PayLinkPage() {
  const { slug = '' } = useParams();
  const path = `/pay/${encodeURIComponent(slug)}`;
  const link = useQuery({ queryKey: ['public', path], queryFn: () => publicApi.get<PublicPaymentLink>(path) });

  if (link.isPending) {
    return (
      <PublicShell title="Payment">
        <div className="public-card card center">
          <Spinner />
        </div>
      </PublicShell>
    );
  }
  if (link.isError) {
    return (
      <PublicShell title="Payment">
        <div className="public-card card">
          {isApiError(link.error, 404) ? (
            <EmptyState title="This payment link is not available">
              It may have been switched off or mistyped. Ask whoever sent it for a new one.
            </EmptyState>
          ) : (
            <ErrorState error={link.error} retry={() => void link.refetch()} />
          )}
        </div>
      </PublicShell>
    );
  }
  const l = link.data;
  return (
    <PublicShell brand={l.brand_name} title={l.title}>
      <div className="public-card card split">
        <div className="public-summary">
          <p className="public-kicker">Pay {l.brand_name}</p>
          <h1>{l.title}</h1>
          {l.description && <p className="muted">{l.description}</p>}
          {l.amount_type === 'fixed' ? (
            <p className="public-amount">{formatMoney(l.amount)}</p>
          ) : (
            <p className="public-amount-note">
              You choose the amount{l.min_amount || l.max_amount ? ` (${describeRange(l)})` : ''}.
            </p>
          )}
        </div>
        <div className="public-form">
          <PaymentForm
            path={path}
            currency={l.currency}
            amount={l.amount_type === 'fixed' ? l.amount : null}
            minAmount={l.min_amount}
            maxAmount={l.max_amount}
          />
        </div>
      </div>
    </PublicShell>
  );
}
