import type { Executor } from '../../db/database.js';
import { newId } from '../../ids.js';
import type { Principal } from '../access/index.js';
import { insertAuditEvents, listAuditEvents } from './audit.repository.js';
import type { AuditActorType, AuditDetails, AuditEventRow, NewAuditEventRow } from './audit.table.js';

/** merchant_id of events that belong to no brand (see migration 0002 for why not NULL). */
export const SYSTEM_MERCHANT_ID = 'system';

export interface AuditActor {
  type: AuditActorType;
  id: string;
}

/**
 * Actions recorded so far; a closed list so GET /api/v1/audit can document and filter them.
 * Add new ones here (reveals, deletions, exports, role changes come with their features).
 */
export const AUDIT_ACTIONS = [
  'keys.rotation_started',
  'keys.rotation_stopped',
  'keys.key_retired',
  'keys.master_rotated',
  'customer.reveal',
  'customer.delete',
  'api_key.create',
  'api_key.revoke',
  'staff.sign_in',
  'staff.sign_in_failed',
  'staff.sign_out',
  'staff.password_change',
  'staff.add',
  'staff.role_change',
  'staff.remove',
  'staff.invite',
  'staff.invite_revoke',
  'staff.password_reset_started',
  'staff.password_reset',
  'brand.settings_change',
  'exchange_rates.update',
  'transaction.refund',
  'customers.reconcile_fix',
  'brand.create',
  'brand.update',
  'customer.user_link',
  'customer.user_unlink',
  'user.delete',
  'order.offline_payment',
  'order.cancel',
  'customer.data_export',
  'customers.export',
  'customers.import',
  'customer.merge',
  'customer.erase',
  'customer.suspend',
  'customer.resume',
  'customers.bulk',
  'customer_tag.create',
  'customer_tag.update',
  'customer_tag.delete',
  'customer_view.create',
  'customer_view.update',
  'customer_view.delete',
  'webhook_endpoint.create',
  'webhook_endpoint.update',
  'webhook_endpoint.rotate_secret',
  'webhook_endpoint.delete',
  'webhook_endpoint.disabled',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  merchantId: string;
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string } | undefined;
  /** The caller's address for HTTP requests; none for the CLI. */
  ip?: string | undefined;
  details?: AuditDetails | undefined;
  occurredAt?: Date | undefined;
}

export function actorOf(principal: Principal): AuditActor {
  return { type: principal.actor.type, id: principal.actor.id };
}

/**
 * Writes events through the caller's executor, so an event commits or rolls back with the change
 * it describes.
 */
export async function recordAudit(db: Executor, event: AuditEvent | AuditEvent[]): Promise<void> {
  const events = Array.isArray(event) ? event : [event];
  await insertAuditEvents(db, events.map(toRow));
}

export async function listBrandAudit(
  db: Executor,
  merchantId: string,
  page: { limit: number; beforeId?: string; action?: AuditAction },
): Promise<AuditEventRow[]> {
  return listAuditEvents(db, merchantId, page);
}

// A tripwire, not a filter: personal data has no business in the audit trail (DESIGN.md).
const PERSONAL_KEYS = /^(name|email|phone|address|note|notes|first_name|last_name|full_name|search|query)$/i;

function toRow(event: AuditEvent): NewAuditEventRow {
  if (event.details) assertNoPersonalKeys(event.details);
  return {
    merchant_id: event.merchantId,
    id: newId('aud'),
    ...(event.occurredAt ? { occurred_at: event.occurredAt } : {}),
    actor_type: event.actor.type,
    actor_id: event.actor.id,
    action: event.action,
    target_type: event.target?.type ?? null,
    target_id: event.target?.id ?? null,
    ip: event.ip ?? null,
    details: JSON.stringify(event.details ?? {}),
  };
}

function assertNoPersonalKeys(details: AuditDetails, path = 'details'): void {
  for (const [key, value] of Object.entries(details)) {
    if (PERSONAL_KEYS.test(key)) throw new Error(`audit ${path}.${key}: personal data must not be audited`);
    if (value && typeof value === 'object' && !Array.isArray(value)) assertNoPersonalKeys(value, `${path}.${key}`);
  }
}
