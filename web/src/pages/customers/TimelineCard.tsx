import { useId, useState } from 'react';
import { useCustomerTags } from '../../api/customer-tags';
import { useCustomerInvoices, useCustomerOrders } from '../../api/customers';
import { useCustomerTimeline } from '../../api/timeline';
import type { CustomerEventKind } from '../../api/types';
import { RelativeTime } from '../../components/Bits';
import { ErrorState, Spinner } from '../../components/States';
import { describeEvent, EVENT_KINDS, type EventContext } from './timeline-events';

/**
 * Everything that happened to the customer, newest first, one kind or all. Orders and invoices are
 * named by their numbers from the profile's own lists (the same cached queries), by id otherwise.
 */
export function TimelineCard({
  customerId,
  myId,
  canOpenOrders,
  canOpenPayments,
  className,
}: {
  customerId: string;
  myId: string | undefined;
  canOpenOrders: boolean;
  canOpenPayments: boolean;
  className?: string;
}) {
  const filterId = useId();
  const [kind, setKind] = useState<CustomerEventKind | ''>('');
  const pages = useCustomerTimeline(customerId, kind);
  const orders = useCustomerOrders(customerId, canOpenOrders);
  const invoices = useCustomerInvoices(customerId);
  const tags = useCustomerTags();
  const events = pages.data?.pages.flatMap((page) => page.data) ?? [];
  const context: EventContext = {
    myId,
    canOpenOrders,
    canOpenPayments,
    orderNumbers: numbers(orders.data?.pages.flatMap((page) => page.data)),
    invoiceNumbers: numbers(invoices.data?.pages.flatMap((page) => page.data)),
    tags: Object.fromEntries((tags.data?.data ?? []).map((tag) => [tag.id, tag])),
  };

  return (
    <section className={`card ${className ?? ''}`} aria-labelledby="timeline-title">
      <div className="card-header">
        <h2 id="timeline-title">Timeline</h2>
        <label htmlFor={filterId} className="visually-hidden">
          Show events
        </label>
        <select
          id={filterId}
          className="input input-compact"
          value={kind}
          onChange={(event) => setKind(event.target.value as CustomerEventKind | '')}
        >
          {EVENT_KINDS.map((option) => (
            <option key={option.value || 'all'} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      {pages.isPending ? (
        <Spinner />
      ) : pages.isError ? (
        <ErrorState error={pages.error} retry={() => void pages.refetch()} title="The timeline could not be loaded" />
      ) : events.length === 0 ? (
        <p className="muted small">{kind ? 'Nothing of this kind yet.' : 'Nothing has happened yet.'}</p>
      ) : (
        <ol className="timeline" aria-label="Events, newest first">
          {events.map((event) => {
            const view = describeEvent(event, context);
            const Icon = view.icon;
            return (
              <li key={event.id} className="event" data-type={event.type}>
                <span className={`event-icon event-${view.tone}`} aria-hidden="true">
                  <Icon size={14} />
                </span>
                <div className="event-body">
                  <p className="event-text">{view.text}</p>
                  <p className="event-meta">
                    <RelativeTime iso={event.created_at} />
                    {view.details && <> · {view.details}</>}
                  </p>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {pages.hasNextPage && (
        <div className="card-footer">
          <button
            type="button"
            className="btn btn-secondary btn-small"
            onClick={() => void pages.fetchNextPage()}
            disabled={pages.isFetchingNextPage}
          >
            {pages.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        </div>
      )}
    </section>
  );
}

function numbers(rows: { id: string; number: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((rows ?? []).map((row) => [row.id, row.number]));
}
