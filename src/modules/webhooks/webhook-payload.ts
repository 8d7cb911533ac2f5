import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import type { Principal } from '../access/index.js';
import { customerViews, retrieveCustomer } from '../customers/index.js';
import { getInvoice } from '../invoices/index.js';
import { getOrder } from '../orders/index.js';
import { getTransaction } from '../transactions/index.js';
import { findWebhookEndpoint } from './webhook-endpoint.repository.js';
import type { WebhookEventRecord } from './webhook-event.repository.js';
import { toEndpointView } from './webhook-endpoint.view.js';
import type { WebhookEventView } from './webhook.schemas.js';

type EventObject = WebhookEventView['data']['object'];

/**
 * Who an endpoint's payloads are rendered for: the object as the API returns it to a read-only role
 * that sees contact data masked (viewer), or to an owner when the endpoint asked for full contact data.
 */
export function endpointLens(merchantId: string, contactData: 'masked' | 'full'): Principal {
  return {
    merchantId,
    role: contactData === 'full' ? 'owner' : 'viewer',
    actor: { type: 'system', id: 'webhooks' },
  };
}

/**
 * The event's body, its object rendered now through the module that owns it (so masking, erasure and
 * merges apply exactly as on the API). An object gone since the event reads as `{id, object, deleted}`.
 */
export async function renderEvent(
  ctx: AppContext,
  lens: Principal,
  event: WebhookEventRecord,
): Promise<WebhookEventView> {
  return envelope(event, await loadObject(ctx, lens, event));
}

function envelope(event: WebhookEventRecord, object: EventObject): WebhookEventView {
  const data: WebhookEventView['data'] = { object };
  const merged = event.refs.merged_customer;
  if (event.type === 'customer.merged' && merged) data.merged_customer = merged;
  return {
    id: event.id,
    object: 'event',
    type: event.type as WebhookEventView['type'],
    created_at: event.created_at.toISOString(),
    brand: event.merchant_id,
    data,
  };
}

/**
 * renderEvent for many events of one brand at once: the customers they carry are read in one go
 * (the dispatcher sends batches). Erased or merged customers, and other objects, go one by one.
 */
export async function renderEvents(
  ctx: AppContext,
  lens: Principal,
  events: readonly WebhookEventRecord[],
): Promise<Map<string, WebhookEventView>> {
  const customerIds = events
    .filter((e) => e.object_type === 'customer' && e.type !== 'customer.deleted')
    .map((e) => e.object_id);
  const customers = customerIds.length > 0 ? await customerViews(ctx, lens, customerIds) : new Map();
  const rendered = new Map<string, WebhookEventView>();
  for (const event of events) {
    const customer = event.object_type === 'customer' ? customers.get(event.object_id) : undefined;
    rendered.set(
      event.id,
      // A live customer always has an email; a wiped row (erased, or merged: a pointer) has none and
      // goes through retrieveCustomer, which answers a merged id with its survivor.
      customer && customer.email !== '' ? envelope(event, customer) : await renderEvent(ctx, lens, event),
    );
  }
  return rendered;
}

async function loadObject(ctx: AppContext, lens: Principal, event: WebhookEventRecord): Promise<EventObject> {
  const gone = { id: event.object_id, object: event.object_type, deleted: true as const };
  if (event.type === 'customer.deleted') return gone;
  try {
    switch (event.object_type) {
      case 'customer':
        return await retrieveCustomer(ctx, lens, event.object_id);
      case 'transaction':
        return await getTransaction(ctx, lens, event.object_id);
      case 'invoice':
        return await getInvoice(ctx, lens, event.object_id);
      case 'order':
        return await getOrder(ctx, lens, event.object_id);
      case 'webhook_endpoint': {
        const row = await findWebhookEndpoint(ctx.db, event.merchant_id, event.object_id);
        return row ? toEndpointView(row) : gone;
      }
    }
  } catch (error) {
    if (error instanceof DomainError && error.code.endsWith('_not_found')) return gone;
    throw error;
  }
}
