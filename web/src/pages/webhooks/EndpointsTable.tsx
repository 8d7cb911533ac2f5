import type { WebhookEndpoint } from '../../api/webhooks';
import { StatusBadge } from '../../components/Bits';
import { SkeletonRows } from '../../components/States';
import { TruncatedText } from '../../components/TruncatedText';
import { formatDateTime } from '../../lib/format';

/** Chips shown before "+N more" (whose title lists the rest). */
const CHIPS = 3;

/** The brand's endpoints; choosing one (its URL) shows it below. On a phone each row is a small card. */
export function EndpointsTable({
  rows,
  loading,
  selectedId,
  onSelect,
}: {
  rows: WebhookEndpoint[];
  loading: boolean;
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <div className="table-scroll">
      <table className="table table-stack webhook-table">
        <thead>
          <tr>
            <th scope="col" className="url-cell">
              Endpoint
            </th>
            <th scope="col">Events</th>
            <th scope="col">Status</th>
            <th scope="col">Email and phone</th>
          </tr>
        </thead>
        <tbody>
          {loading ? (
            <SkeletonRows columns={4} rows={2} />
          ) : (
            rows.map((endpoint) => {
              const selected = endpoint.id === selectedId;
              return (
                <tr key={endpoint.id} className={selected ? 'row-selected' : undefined}>
                  <td className="url-cell stack-full">
                    {/* Truncated on screen; the whole URL shows on hover (title) and while focused (CSS). */}
                    <button
                      type="button"
                      className="url-button"
                      title={endpoint.url}
                      aria-current={selected ? 'true' : undefined}
                      onClick={() => onSelect(endpoint.id)}
                    >
                      <span className="truncate mono">{endpoint.url}</span>
                    </button>
                    {endpoint.description && <TruncatedText className="cell-sub" text={endpoint.description} />}
                  </td>
                  <td className="stack-full">
                    <EventChips events={endpoint.events} limit={CHIPS} />
                  </td>
                  <td data-label="Status">
                    <EndpointStatus endpoint={endpoint} />
                  </td>
                  <td data-label="Email and phone">
                    <ContactDataBadge value={endpoint.contact_data} />
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}

export function EventChips({ events, limit }: { events: WebhookEndpoint['events']; limit?: number }) {
  if (events.includes('*')) {
    return (
      <ul className="event-chips" aria-label="Events">
        <li className="event-chip event-chip-all">All events</li>
      </ul>
    );
  }
  const shown = limit === undefined ? events : events.slice(0, limit);
  const rest = events.slice(shown.length);
  return (
    <ul className="event-chips" aria-label="Events">
      {shown.map((type) => (
        <li key={type} className="event-chip mono">
          {type}
        </li>
      ))}
      {rest.length > 0 && (
        <li className="event-chip event-chip-more" title={rest.join(', ')}>
          +{rest.length} more<span className="visually-hidden">: {rest.join(', ')}</span>
        </li>
      )}
    </ul>
  );
}

/** Enabled, failing (still sending), turned off by someone, or turned off by Paydesk for failing. */
export function EndpointStatus({ endpoint }: { endpoint: WebhookEndpoint }) {
  if (endpoint.status === 'enabled') {
    return endpoint.failing_since ? (
      <>
        <StatusBadge status="pending" label="Failing" />
        <span className="cell-sub">since {formatDateTime(endpoint.failing_since)}</span>
      </>
    ) : (
      <StatusBadge status="active" label="Enabled" />
    );
  }
  return (
    <>
      <StatusBadge status={endpoint.disabled_reason === 'failing' ? 'failed' : 'inactive'} label="Turned off" />
      <span className="cell-sub">
        {endpoint.disabled_reason === 'failing'
          ? `Failing since ${formatDateTime(endpoint.failing_since ?? endpoint.disabled_at)}`
          : `Since ${formatDateTime(endpoint.disabled_at)}`}
      </span>
    </>
  );
}

export function ContactDataBadge({ value }: { value: WebhookEndpoint['contact_data'] }) {
  return value === 'full' ? (
    <StatusBadge status="pending" label="Full" />
  ) : (
    <StatusBadge status="inactive" label="Masked" />
  );
}
