import type { Executor } from '../../db/database.js';
import { newId } from '../../ids.js';
import { insertCustomerEvents } from './customer-event.repository.js';

/**
 * The kinds of event written so far. The customer profile's timeline (issue 12) reads them; each
 * feature adds its own here as it lands (payments, invoices, notes, reveals, images).
 */
export const CUSTOMER_EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'customer.revealed',
  'customer.user_linked',
  'customer.user_unlinked',
  'customer.user_suggested',
  'customer.name_synced',
  'customer.merged',
  'customer.merged_into',
  'payment.succeeded',
  'payment.failed',
  'refund.created',
  'invoice.issued',
  'invoice.paid',
  'invoice.voided',
  'order.created',
  'order.paid',
  'order.fulfilled',
  'order.cancelled',
  'note.added',
  'note.edited',
  'note.deleted',
  'image.updated',
  'image.removed',
  'customer.erased',
  'customer.suspended',
  'customer.resumed',
  'customer.tagged',
  'customer.untagged',
] as const;
export type CustomerEventType = (typeof CUSTOMER_EVENT_TYPES)[number];

export interface CustomerEvent {
  merchantId: string;
  customerId: string;
  type: CustomerEventType;
  actor: { type: string; id: string };
  /** Ids and closed facts only (`{order: 'ord_…'}`, `{source: 'registration'}`); never names, emails or phones. */
  refs?: Record<string, string | string[]>;
  at: Date;
}

/**
 * Appends events through the caller's executor, so they commit or roll back with the change they
 * describe: call it inside that change's transaction.
 */
export async function recordCustomerEvent(db: Executor, event: CustomerEvent | CustomerEvent[]): Promise<void> {
  const events = Array.isArray(event) ? event : [event];
  await insertCustomerEvents(
    db,
    events.map((e) => ({
      merchant_id: e.merchantId,
      id: newId('evt'),
      customer_id: e.customerId,
      type: e.type,
      actor_type: e.actor.type,
      actor_id: e.actor.id,
      refs: JSON.stringify(e.refs ?? {}),
      created_at: e.at,
    })),
  );
}
