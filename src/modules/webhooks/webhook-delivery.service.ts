import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { decodePageCursor, toPage } from '../../http/page-cursor.js';
import { isId, newId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import {
  findDelivery,
  insertDelivery,
  listEndpointDeliveries,
  resendDelivery,
  type DeliveryRecord,
} from './webhook-delivery.repository.js';
import { findWebhookEndpoint } from './webhook-endpoint.repository.js';
import { endpointNotFound } from './webhook-endpoint.service.js';
import { insertWebhookEvent } from './webhook-event.repository.js';
import { TEST_EVENT_TYPE } from './webhook-event-types.js';
import type { DeliveryListQuery, WebhookDeliveryListView, WebhookDeliveryView } from './webhook.schemas.js';

/** GET /webhook-endpoints/{id}/deliveries: newest first, with each one's last attempt. */
export async function listWebhookDeliveries(
  ctx: AppContext,
  principal: Principal,
  endpointId: string,
  query: DeliveryListQuery,
): Promise<WebhookDeliveryListView> {
  requirePermission(principal, 'webhooks.manage');
  await requireEndpoint(ctx, principal.merchantId, endpointId);
  const after = query.cursor ? decodePageCursor(query.cursor, 'whd') : undefined;
  const rows = await listEndpointDeliveries(
    ctx.db,
    principal.merchantId,
    endpointId,
    { status: query.status },
    { limit: query.limit + 1, after },
  );
  return toPage(rows, query.limit, toDeliveryView);
}

/** POST …/deliveries/{delivery}/resend: the same event, with the same id, due now. */
export async function resendWebhookDelivery(
  ctx: AppContext,
  principal: Principal,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDeliveryView> {
  requirePermission(principal, 'webhooks.manage');
  const { merchantId } = principal;
  await requireEndpoint(ctx, merchantId, endpointId);
  const found = isId('whd', deliveryId) && (await findDelivery(ctx.db, merchantId, endpointId, deliveryId));
  if (!found) throw deliveryNotFound(deliveryId);
  await resendDelivery(ctx.db, { merchantId, endpointId, deliveryId, now: ctx.clock() });
  return deliveryView(ctx, merchantId, endpointId, deliveryId);
}

/** POST /webhook-endpoints/{id}/test: a `webhook_endpoint.test` event for this endpoint only, due now. */
export async function sendTestWebhook(
  ctx: AppContext,
  principal: Principal,
  endpointId: string,
): Promise<WebhookDeliveryView> {
  requirePermission(principal, 'webhooks.manage');
  const { merchantId } = principal;
  await requireEndpoint(ctx, merchantId, endpointId);
  const eventId = newId('evt');
  const deliveryId = newId('whd');
  const at = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    await insertWebhookEvent(trx, {
      merchantId,
      id: eventId,
      type: TEST_EVENT_TYPE,
      objectType: 'webhook_endpoint',
      objectId: endpointId,
      at,
    });
    await insertDelivery(trx, { merchantId, id: deliveryId, endpointId, eventId, at });
  });
  return deliveryView(ctx, merchantId, endpointId, deliveryId);
}

async function deliveryView(
  ctx: AppContext,
  merchantId: string,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDeliveryView> {
  const rows = await listEndpointDeliveries(ctx.db, merchantId, endpointId, {}, { limit: 1, only: deliveryId });
  const row = rows[0];
  if (!row) throw deliveryNotFound(deliveryId);
  return toDeliveryView(row);
}

async function requireEndpoint(ctx: AppContext, merchantId: string, id: string): Promise<void> {
  if (!isId('we', id) || !(await findWebhookEndpoint(ctx.db, merchantId, id))) throw endpointNotFound(id);
}

function deliveryNotFound(id: string): DomainError {
  return new DomainError('delivery_not_found', `No delivery ${id} for this endpoint`, { id });
}

function toDeliveryView(row: DeliveryRecord): WebhookDeliveryView {
  return {
    id: row.id,
    object: 'webhook_delivery',
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? (row.next_attempt_at?.toISOString() ?? null) : null,
    last_attempt_at: row.last_attempt_at?.toISOString() ?? null,
    last_status_code: row.last_status_code,
    last_duration_ms: row.last_duration_ms,
    last_error: row.last_error,
    created_at: row.created_at.toISOString(),
  };
}
