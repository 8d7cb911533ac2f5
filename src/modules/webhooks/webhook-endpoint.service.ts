import type { AppContext } from '../../context.js';
import { DomainError, fieldError } from '../../errors.js';
import { decodePageCursor, toPage } from '../../http/page-cursor.js';
import { isId, newId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import {
  deleteWebhookEndpoint,
  findEndpointSecrets,
  findWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookEndpoints,
  updateWebhookEndpoint,
  type EndpointChanges,
} from './webhook-endpoint.repository.js';
import { toEndpointView } from './webhook-endpoint.view.js';
import { openSecret, sealSecret } from './webhook-secrets.js';
import { newSigningSecret } from './webhook-signing.js';
import { checkWebhookTarget, WebhookTargetRefused } from './webhook-target.js';
import type {
  SecretRotationBody,
  WebhookEndpointCreateBody,
  WebhookEndpointListView,
  WebhookEndpointUpdateBody,
  WebhookEndpointView,
  WebhookEndpointWithSecretView,
} from './webhook.schemas.js';

const HOUR_MS = 3_600_000;

export function endpointNotFound(id: string): DomainError {
  return new DomainError('webhook_endpoint_not_found', `No webhook endpoint ${id} in this brand`, { id });
}

/** POST /webhook-endpoints: the secret is in this answer only. */
export async function createWebhookEndpoint(
  ctx: AppContext,
  principal: Principal,
  body: WebhookEndpointCreateBody,
  ip?: string,
): Promise<WebhookEndpointWithSecretView> {
  requirePermission(principal, 'webhooks.manage');
  const { merchantId } = principal;
  const contactData = body.contact_data ?? 'masked';
  requireContactChoice(principal, contactData);
  const events = checkEvents(body.events);
  const url = await checkUrl(ctx, body.url);
  const id = newId('we');
  const secret = newSigningSecret();
  const now = ctx.clock();
  const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await insertWebhookEndpoint(trx, {
      merchant_id: merchantId,
      id,
      url,
      description: body.description ?? null,
      events,
      contact_data: contactData,
      enabled: true,
      disabled_reason: null,
      disabled_at: null,
      secret_enc: sealSecret(keys, merchantId, id, 'secret', secret),
      previous_secret_enc: null,
      previous_secret_expires_at: null,
      data_key_id: keys.activeDataKeyId,
      failing_since: null,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'webhook_endpoint.create',
      target: { type: 'webhook_endpoint', id },
      ip,
      details: { events: events.join(','), contact_data: contactData },
    });
    return inserted;
  });
  return { ...toEndpointView(row), secret };
}

export async function listWebhookEndpointsOf(
  ctx: AppContext,
  principal: Principal,
  query: { limit: number; cursor?: string | undefined },
): Promise<WebhookEndpointListView> {
  requirePermission(principal, 'webhooks.manage');
  const after = query.cursor ? decodePageCursor(query.cursor, 'we') : undefined;
  const rows = await listWebhookEndpoints(ctx.db, principal.merchantId, { limit: query.limit + 1, after });
  return toPage(rows, query.limit, toEndpointView);
}

export async function getWebhookEndpoint(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<WebhookEndpointView> {
  requirePermission(principal, 'webhooks.manage');
  const row = isId('we', id) ? await findWebhookEndpoint(ctx.db, principal.merchantId, id) : undefined;
  if (!row) throw endpointNotFound(id);
  return toEndpointView(row);
}

/** PATCH: url, events, contact data, description; enabled false turns it off, true back on afresh. */
export async function updateWebhookEndpointOf(
  ctx: AppContext,
  principal: Principal,
  id: string,
  body: WebhookEndpointUpdateBody,
  ip?: string,
): Promise<WebhookEndpointView> {
  requirePermission(principal, 'webhooks.manage');
  const { merchantId } = principal;
  if (!isId('we', id)) throw endpointNotFound(id);
  if (body.contact_data) requireContactChoice(principal, body.contact_data);
  const now = ctx.clock();
  const changes: EndpointChanges = { updated_at: now };
  if (body.url !== undefined) changes.url = await checkUrl(ctx, body.url);
  if (body.events !== undefined) changes.events = checkEvents(body.events);
  if (body.contact_data !== undefined) changes.contact_data = body.contact_data;
  if (body.description !== undefined) changes.description = body.description;
  if (body.enabled === false) Object.assign(changes, { enabled: false, disabled_reason: 'manual', disabled_at: now });
  if (body.enabled === true) {
    Object.assign(changes, { enabled: true, disabled_reason: null, disabled_at: null, failing_since: null });
    changes.consecutive_failures = 0;
  }
  const row = await ctx.db.transaction().execute(async (trx) => {
    const updated = await updateWebhookEndpoint(trx, merchantId, id, changes);
    if (!updated) throw endpointNotFound(id);
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'webhook_endpoint.update',
      target: { type: 'webhook_endpoint', id },
      ip,
      details: { fields: Object.keys(body).sort().join(',') },
    });
    return updated;
  });
  return toEndpointView(row);
}

export async function deleteWebhookEndpointOf(
  ctx: AppContext,
  principal: Principal,
  id: string,
  ip?: string,
): Promise<void> {
  requirePermission(principal, 'webhooks.manage');
  const { merchantId } = principal;
  if (!isId('we', id)) throw endpointNotFound(id);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await deleteWebhookEndpoint(trx, merchantId, id))) throw endpointNotFound(id);
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'webhook_endpoint.delete',
      target: { type: 'webhook_endpoint', id },
      ip,
    });
  });
}

/**
 * POST /webhook-endpoints/{id}/rotate-secret: a new secret (in this answer only); the current one
 * keeps signing beside it for the overlap, so receivers can switch without missing an event. A
 * rotation during an overlap drops the oldest secret.
 */
export async function rotateWebhookSecret(
  ctx: AppContext,
  principal: Principal,
  id: string,
  body: SecretRotationBody,
  ip?: string,
): Promise<WebhookEndpointWithSecretView> {
  requirePermission(principal, 'webhooks.manage');
  const { merchantId } = principal;
  if (!isId('we', id)) throw endpointNotFound(id);
  const overlapHours = body.overlap_hours ?? 24;
  const now = ctx.clock();
  const secret = newSigningSecret();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const current = await findEndpointSecrets(trx, merchantId, id, true);
    if (!current) throw endpointNotFound(id);
    const keys = await ctx.keyring.forBrand(trx, merchantId, [current.data_key_id]);
    const previous = openSecret(keys, merchantId, id, 'secret', current.secret_enc);
    const updated = await updateWebhookEndpoint(trx, merchantId, id, {
      secret_enc: sealSecret(keys, merchantId, id, 'secret', secret),
      previous_secret_enc: overlapHours > 0 ? sealSecret(keys, merchantId, id, 'previous_secret', previous) : null,
      previous_secret_expires_at: overlapHours > 0 ? new Date(now.getTime() + overlapHours * HOUR_MS) : null,
      data_key_id: keys.activeDataKeyId,
      updated_at: now,
    });
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'webhook_endpoint.rotate_secret',
      target: { type: 'webhook_endpoint', id },
      ip,
      details: { overlap_hours: overlapHours },
    });
    return updated!;
  });
  return { ...toEndpointView(row), secret };
}

function requireContactChoice(principal: Principal, contactData: 'masked' | 'full'): void {
  if (contactData === 'full' && principal.role !== 'owner') {
    throw new DomainError('forbidden', 'Only an owner may send raw email and phone in webhook payloads', {
      permission: 'webhooks.manage',
      field: 'contact_data',
    });
  }
}

function checkEvents(events: readonly string[]): string[] {
  if (events.includes('*') && events.length > 1) throw fieldError('events', '"*" stands for every type: give it alone');
  return [...events];
}

async function checkUrl(ctx: AppContext, url: string): Promise<string> {
  try {
    return (await checkWebhookTarget(url, { allowPrivate: ctx.config.webhooks.allowPrivate })).href;
  } catch (error) {
    if (error instanceof WebhookTargetRefused) throw fieldError('url', error.message);
    throw error;
  }
}
