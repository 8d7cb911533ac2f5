import type { AppContext } from '../../context.js';
import { decodePageCursor, toPage } from '../../http/page-cursor.js';
import { actorNameMap, listCustomerEvents } from './customer-event.repository.js';
import type { CustomerEventListView, CustomerEventView, TimelineQuery } from './customer-event.schemas.js';
import { CUSTOMER_EVENT_TYPES, type CustomerEventType } from './customer-event.service.js';

type EventRow = Awaited<ReturnType<typeof listCustomerEvents>>[number];

const REF_KEYS = [
  'source',
  'how',
  'user',
  'customer',
  'merged_from',
  'transaction',
  'payment',
  'invoice',
  'order',
  'note',
  'reason',
  'tag',
] as const;

/**
 * A customer's timeline, newest first, one kind or all. The caller has checked that the customer is
 * the brand's and readable (the customers module, which owns that rule, serves the route).
 */
export async function customerTimeline(
  ctx: AppContext,
  merchantId: string,
  customerId: string,
  query: TimelineQuery,
): Promise<CustomerEventListView> {
  const after = query.cursor ? decodePageCursor(query.cursor, 'evt') : undefined;
  const types = query.kind ? CUSTOMER_EVENT_TYPES.filter((type) => type.startsWith(`${query.kind}.`)) : undefined;
  const rows = await listCustomerEvents(ctx.db, merchantId, customerId, { limit: query.limit + 1, after, types });
  const shown = rows.slice(0, query.limit);
  const names = await actorNameMap(
    ctx.db,
    merchantId,
    shown.map((r) => ({ type: r.actor_type, id: r.actor_id })),
  );
  return toPage(rows, query.limit, (row) => toEventView(row, names));
}

function toEventView(row: EventRow, names: Map<string, string>): CustomerEventView {
  const refs = row.refs;
  const view: CustomerEventView = {
    id: row.id,
    object: 'event',
    type: row.type as CustomerEventType,
    actor: { type: row.actor_type, id: row.actor_id, name: names.get(`${row.actor_type}:${row.actor_id}`) ?? null },
    created_at: row.created_at.toISOString(),
  };
  for (const key of REF_KEYS) {
    const value = refs[key];
    if (typeof value === 'string') view[key] = value;
  }
  if (Array.isArray(refs.fields)) view.fields = refs.fields;
  if (typeof refs.amount === 'string' && typeof refs.currency === 'string') {
    view.amount = { amount: Number(refs.amount), currency: refs.currency };
  }
  return view;
}
