import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { decodePageCursor, encodePageCursor } from '../../http/page-cursor.js';
import { isId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { findWebhookEvent, listWebhookEvents } from './webhook-event.repository.js';
import { renderEvent } from './webhook-payload.js';
import type { EventListQuery, WebhookEventListView, WebhookEventView } from './webhook.schemas.js';

/**
 * GET /events: what the brand's endpoints were (or would have been) sent, newest first. Each object
 * is rendered for the caller, so contact data shows as the caller's role sees it.
 */
export async function listEvents(
  ctx: AppContext,
  principal: Principal,
  query: EventListQuery,
): Promise<WebhookEventListView> {
  requirePermission(principal, 'webhooks.manage');
  const after = query.cursor ? decodePageCursor(query.cursor, 'evt') : undefined;
  const rows = await listWebhookEvents(
    ctx.db,
    principal.merchantId,
    { type: query.type, objectId: query.object_id },
    { limit: query.limit + 1, after },
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const hasMore = rows.length > query.limit;
  return {
    object: 'list',
    data: await Promise.all(page.map((row) => renderEvent(ctx, principal, row))),
    has_more: hasMore,
    next_cursor: hasMore && last ? encodePageCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}

export async function getEvent(ctx: AppContext, principal: Principal, id: string): Promise<WebhookEventView> {
  requirePermission(principal, 'webhooks.manage');
  const row = isId('evt', id) ? await findWebhookEvent(ctx.db, principal.merchantId, id) : undefined;
  if (!row) throw new DomainError('event_not_found', `No event ${id} in this brand`, { id });
  return renderEvent(ctx, principal, row);
}
