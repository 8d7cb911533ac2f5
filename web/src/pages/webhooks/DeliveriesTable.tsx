import { useState } from 'react';
import { RotateCw, Send } from 'lucide-react';
import {
  useResendWebhookDelivery,
  useWebhookDeliveries,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
} from '../../api/webhooks';
import { Pager, RelativeTime, StatusBadge, StatusFilter } from '../../components/Bits';
import { EmptyState, ErrorState, Notice, SkeletonRows } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { formatDateTime } from '../../lib/format';
import { useCursorStack } from '../../lib/hooks';

const STATUS_OPTIONS: { value: WebhookDeliveryStatus | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'pending', label: 'Pending' },
  { value: 'failed', label: 'Failed' },
];

/** An endpoint's recent deliveries, newest first, each with the outcome of its last attempt. */
export function DeliveriesTable({ endpointId }: { endpointId: string }) {
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const pages = useCursorStack();
  const list = useWebhookDeliveries(endpointId, { status: status || undefined, cursor: pages.cursor });
  const resend = useResendWebhookDelivery();
  const toast = useToast();
  const rows = list.data?.data ?? [];

  return (
    <section className="deliveries" aria-labelledby="deliveries-title">
      <div className="deliveries-header">
        <h3 id="deliveries-title">Recent deliveries</h3>
        <StatusFilter
          options={STATUS_OPTIONS}
          value={status}
          onChange={(value) => {
            setStatus(value);
            pages.reset();
          }}
          label="Show deliveries by status"
        />
      </div>
      {resend.isError && <Notice tone="danger">{resend.error.message}</Notice>}
      {list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} title="Deliveries could not be loaded" />
      ) : !list.isPending && rows.length === 0 ? (
        <EmptyState title={status ? `No ${status} deliveries` : 'No deliveries yet'} icon={<Send size={22} />}>
          Events this endpoint asked for appear here as Paydesk sends them. Send a test event to try the receiver.
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="table table-stack delivery-table">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Code
                </th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Time</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody aria-busy={list.isFetching}>
              {list.isPending ? (
                <SkeletonRows columns={7} rows={3} />
              ) : (
                rows.map((delivery) => (
                  <tr key={delivery.id}>
                    <td className="stack-full">
                      <span className="mono cell-title-plain">{delivery.event_type}</span>
                      <span className="cell-sub mono">{delivery.event_id}</span>
                    </td>
                    <td className="stack-full">
                      <DeliveryStatus delivery={delivery} />
                    </td>
                    <td className="num" data-label="Code">
                      {delivery.last_status_code ?? '—'}
                    </td>
                    <td className="num" data-label="Duration">
                      {delivery.last_duration_ms === null ? '—' : `${delivery.last_duration_ms.toLocaleString()} ms`}
                    </td>
                    <td className="num" data-label="Attempts">
                      {delivery.attempts}
                    </td>
                    <td className="nowrap" data-label="Time">
                      <RelativeTime iso={delivery.last_attempt_at ?? delivery.created_at} />
                    </td>
                    <td className="actions">
                      <button
                        type="button"
                        className="btn btn-ghost btn-small"
                        disabled={resend.isPending}
                        aria-label={`Resend ${delivery.event_type} (${delivery.event_id})`}
                        onClick={() =>
                          resend.mutate(
                            { endpointId, deliveryId: delivery.id },
                            { onSuccess: () => toast(`${delivery.event_type} queued to send again`) },
                          )
                        }
                      >
                        <RotateCw size={15} aria-hidden="true" /> Resend
                      </button>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      <Pager pages={pages} list={list} />
    </section>
  );
}

function DeliveryStatus({ delivery }: { delivery: WebhookDelivery }) {
  const retrying = delivery.status === 'pending' && delivery.attempts > 0;
  return (
    <>
      <StatusBadge status={delivery.status} label={retrying ? 'Retrying' : undefined} />
      {delivery.status !== 'succeeded' && delivery.last_error && (
        <span className="cell-sub">{delivery.last_error.replace(/_/g, ' ')}</span>
      )}
      {retrying && delivery.next_attempt_at && (
        <span className="cell-sub">next try {formatDateTime(delivery.next_attempt_at)}</span>
      )}
    </>
  );
}
