import { useState } from 'react';
import { KeyRound, Power, PowerOff, Send, Trash2 } from 'lucide-react';
import { useSendTestWebhook, useUpdateWebhookEndpoint, type WebhookEndpoint } from '../../api/webhooks';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { formatDate, formatDateTime } from '../../lib/format';
import { DeliveriesTable } from './DeliveriesTable';
import { DeleteEndpointDialog, RotateSecretDialog } from './EndpointDialogs';
import { ContactDataBadge, EndpointStatus, EventChips } from './EndpointsTable';

/** One endpoint: what it receives, what can be done with it, and its recent deliveries. */
export function EndpointDetail({ endpoint, onDeleted }: { endpoint: WebhookEndpoint; onDeleted: () => void }) {
  const test = useSendTestWebhook();
  const update = useUpdateWebhookEndpoint();
  const toast = useToast();
  const [dialog, setDialog] = useState<'rotate' | 'delete' | null>(null);
  const enabled = endpoint.status === 'enabled';
  const rotationEnds = endpoint.secret_rotation_ends_at;
  const error = test.error ?? update.error;

  const turn = (on: boolean) =>
    update.mutate(
      { id: endpoint.id, enabled: on },
      {
        onSuccess: () =>
          toast(on ? 'Endpoint turned on: waiting deliveries go out now' : 'Endpoint turned off: deliveries wait'),
      },
    );

  return (
    <section className="card endpoint-detail" aria-labelledby="endpoint-title">
      <div className="endpoint-head">
        <div className="endpoint-name">
          <h2 id="endpoint-title" tabIndex={-1}>
            <span className="visually-hidden">Endpoint </span>
            <span className="mono break-anywhere">{endpoint.url}</span>
          </h2>
          {endpoint.description && <p className="muted">{endpoint.description}</p>}
        </div>
        <div className="endpoint-status">
          <EndpointStatus endpoint={endpoint} />
        </div>
      </div>
      <div className="button-row endpoint-actions">
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={!enabled || test.isPending}
          title={enabled ? undefined : 'Turn the endpoint on to send'}
          onClick={() => test.mutate(endpoint.id, { onSuccess: () => toast('Test event queued') })}
        >
          <Send size={15} aria-hidden="true" /> Send test event
        </button>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => setDialog('rotate')}>
          <KeyRound size={15} aria-hidden="true" /> Rotate secret
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={update.isPending}
          onClick={() => turn(!enabled)}
        >
          {enabled ? <PowerOff size={15} aria-hidden="true" /> : <Power size={15} aria-hidden="true" />}
          {enabled ? 'Turn off' : 'Turn on'}
        </button>
        <button type="button" className="btn btn-ghost btn-small btn-danger-text" onClick={() => setDialog('delete')}>
          <Trash2 size={15} aria-hidden="true" /> Delete
        </button>
      </div>
      {error && <Notice tone="danger">{error.message}</Notice>}
      {rotationEnds && new Date(rotationEnds).getTime() > Date.now() && (
        <Notice tone="info">The previous secret also signs until {formatDateTime(rotationEnds)}.</Notice>
      )}
      <dl className="facts endpoint-facts">
        <div className="wide">
          <dt>Events</dt>
          <dd>
            <EventChips events={endpoint.events} />
          </dd>
        </div>
        <div>
          <dt>Email and phone</dt>
          <dd>
            <ContactDataBadge value={endpoint.contact_data} />
          </dd>
        </div>
        <div>
          <dt>Added</dt>
          <dd>{formatDate(endpoint.created_at)}</dd>
        </div>
        <div className="wide">
          <dt>ID</dt>
          <dd className="mono">{endpoint.id}</dd>
        </div>
      </dl>
      <DeliveriesTable key={endpoint.id} endpointId={endpoint.id} />
      {dialog === 'rotate' && <RotateSecretDialog endpoint={endpoint} onClose={() => setDialog(null)} />}
      {dialog === 'delete' && (
        <DeleteEndpointDialog endpoint={endpoint} onClose={() => setDialog(null)} onDeleted={onDeleted} />
      )}
    </section>
  );
}
