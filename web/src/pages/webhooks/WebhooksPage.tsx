import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Plus, Webhook } from 'lucide-react';
import { activeMembership, useSession } from '../../api/session';
import { useWebhookEndpoints } from '../../api/webhooks';
import { PageHeader } from '../../components/Bits';
import { EmptyState, ErrorState, Notice } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { AddEndpointDialog } from './AddEndpointDialog';
import { EndpointDetail } from './EndpointDetail';
import { EndpointsTable } from './EndpointsTable';

/**
 * Webhook endpoints (owners and admins). The chosen endpoint is in the address (?endpoint=we_…), so the
 * back button and a shared link find it again; without one, the newest is shown.
 */
export default function WebhooksPage() {
  useDocumentTitle('Webhooks');
  const me = activeMembership(useSession().data);
  const endpoints = useWebhookEndpoints();
  const [params, setParams] = useSearchParams();
  const [adding, setAdding] = useState(false);
  const rows = endpoints.data?.data ?? [];
  const selected = rows.find((e) => e.id === params.get('endpoint')) ?? rows[0] ?? null;
  const failing = rows.filter((e) => e.status === 'disabled' && e.disabled_reason === 'failing');

  const select = (id: string | null, focus = true) => {
    setParams(id ? { endpoint: id } : {}, { replace: !focus });
    if (!focus) return;
    // The endpoint's card is below the list (far below on a phone): take the reader there.
    window.requestAnimationFrame(() => {
      const title = document.getElementById('endpoint-title');
      title?.focus({ preventScroll: true });
      const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      title?.scrollIntoView({ block: 'start', behavior: still ? 'auto' : 'smooth' });
    });
  };

  return (
    <>
      <PageHeader
        title="Webhooks"
        subtitle="Paydesk POSTs a signed event to each endpoint as customers, payments, invoices and orders change."
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            <Plus size={18} aria-hidden="true" /> Add endpoint
          </button>
        }
      />
      {failing.map((endpoint) => (
        <Notice
          key={endpoint.id}
          tone="danger"
          title={`Turned off: failing since ${formatDateTime(endpoint.failing_since ?? endpoint.disabled_at)}`}
        >
          <p>
            Every delivery to <span className="mono break-anywhere">{endpoint.url}</span> kept failing for more than two
            days, so Paydesk stopped sending on {formatDateTime(endpoint.disabled_at)}. Its events are kept: fix the
            receiver, send a test event, then turn it on.
          </p>
          {selected?.id !== endpoint.id && (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => select(endpoint.id)}>
              Show this endpoint
            </button>
          )}
        </Notice>
      ))}
      <section className="card table-card" aria-label="Webhook endpoints">
        {endpoints.isError ? (
          <ErrorState
            error={endpoints.error}
            retry={() => void endpoints.refetch()}
            title="Endpoints could not be loaded"
          />
        ) : !endpoints.isPending && rows.length === 0 ? (
          <EmptyState
            title="No endpoints yet"
            icon={<Webhook size={22} />}
            action={
              <button type="button" className="btn btn-secondary" onClick={() => setAdding(true)}>
                <Plus size={16} aria-hidden="true" /> Add endpoint
              </button>
            }
          >
            Add the URL of your server to hear about new customers, payments, refunds, invoices and orders as they
            happen.
          </EmptyState>
        ) : (
          <EndpointsTable
            rows={rows}
            loading={endpoints.isPending}
            selectedId={selected?.id ?? null}
            onSelect={(id) => select(id)}
          />
        )}
      </section>
      {selected && <EndpointDetail key={selected.id} endpoint={selected} onDeleted={() => select(null, false)} />}
      {adding && (
        <AddEndpointDialog
          mayChooseFull={me?.role === 'owner'}
          onClose={() => setAdding(false)}
          onCreated={(id) => select(id, false)}
        />
      )}
    </>
  );
}
