import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { CheckCircle2, Clock } from 'lucide-react';
import { isApiError, publicApi } from '../../api/client';
import type { PublicCheckout } from '../../api/types';
import { EmptyState, ErrorState, Spinner } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { PaymentForm } from './PaymentForm';
import { PublicShell } from './PublicShell';

/** /checkout/{token}: a one-off checkout session a shop created through the API. */
export default function CheckoutPage() {
  const { token = '' } = useParams();
  const path = `/checkout/${encodeURIComponent(token)}`;
  const checkout = useQuery({ queryKey: ['public', path], queryFn: () => publicApi.get<PublicCheckout>(path) });

  if (checkout.isPending) {
    return (
      <PublicShell title="Checkout">
        <div className="public-card card center">
          <Spinner />
        </div>
      </PublicShell>
    );
  }
  if (checkout.isError) {
    return (
      <PublicShell title="Checkout">
        <div className="public-card card">
          {isApiError(checkout.error, 410) ? (
            <EmptyState title="This checkout has expired" icon={<Clock size={22} />}>
              Go back to the shop and start again.
            </EmptyState>
          ) : isApiError(checkout.error, 404) ? (
            <EmptyState title="Checkout not found">
              The address may be incomplete. Go back to the shop and start again.
            </EmptyState>
          ) : (
            <ErrorState error={checkout.error} retry={() => void checkout.refetch()} />
          )}
        </div>
      </PublicShell>
    );
  }
  const c = checkout.data;
  return (
    <PublicShell brand={c.brand_name} title="Checkout">
      <div className="public-card card split">
        <div className="public-summary">
          <p className="public-kicker">Pay {c.brand_name}</p>
          <h1>{c.description ?? 'Checkout'}</h1>
          <p className="public-amount">{formatMoney(c.amount)}</p>
          {c.status === 'open' && <p className="muted small">Open until {formatDateTime(c.expires_at)}</p>}
        </div>
        <div className="public-form">
          {c.status === 'complete' ? (
            <EmptyState title="Already paid" icon={<CheckCircle2 size={22} />}>
              This checkout has been paid. There is nothing more to do.
            </EmptyState>
          ) : c.status === 'expired' ? (
            <EmptyState title="This checkout has expired" icon={<Clock size={22} />}>
              Go back to the shop and start again.
            </EmptyState>
          ) : (
            <PaymentForm path={path} currency={c.amount.currency} amount={c.amount} />
          )}
        </div>
      </div>
    </PublicShell>
  );
}
