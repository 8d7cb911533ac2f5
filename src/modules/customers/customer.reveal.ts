import type { AppContext } from '../../context.js';
import { fieldError } from '../../errors.js';
import { isId } from '../../ids.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { requirePermission, roleAllows, type Principal } from '../access/index.js';
import { recordCustomerEvent } from '../timeline/index.js';
import { customerNotFound } from './customer.access.js';
import { requireLiveCustomer } from './customer.merged.js';
import { findCustomer } from './customer.repository.js';
import { findRevealEnd, saveReveal } from './customer-reveal.repository.js';
import { redactReason } from './customer.reveal-reason.js';
import { decryptContact } from './customer.view.js';
import type { CustomerContactView } from './customer.schemas.js';

/** The raw contact as POST /customers/{id}/reveal answers it. */
export type RevealedContact = CustomerContactView;

/** How long a reveal lasts: the caller then sees that customer's contact raw, without a new reason. */
export const REVEAL_MINUTES = 15;

/**
 * POST /customers/{id}/reveal: one customer's raw email and phone for a role that sees them masked,
 * with a reason. The audit row (who, when, from where, why) is written before anything is returned:
 * no trail, no data. The reveal then lasts REVEAL_MINUTES for this caller and customer (GET answers
 * the contact raw, with contact_revealed_until), audited once; revealing again moves its end.
 */
export async function revealCustomerContact(
  ctx: AppContext,
  principal: Principal,
  id: string,
  request: { reason: string; ip?: string | undefined },
): Promise<RevealedContact> {
  requirePermission(principal, 'customers.reveal');
  const { merchantId } = principal;
  const reason = checkReason(request.reason);
  if (!isId('cus', id)) throw customerNotFound(id);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCustomer(trx, merchantId, id);
    if (!row) throw customerNotFound(id);
    await requireLiveCustomer(trx, merchantId, id); // 409 customer_merged, naming the survivor
    const keys = await ctx.keyring.forBrand(trx, merchantId, [row.data_key_id]);
    const contact = decryptContact(keys, row);
    const { text, redacted } = redactReason(reason, contact);
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'customer.reveal',
      target: { type: 'customer', id },
      ip: request.ip,
      details: { reason: text, ...(redacted ? { reason_redacted: true } : {}) },
    });
    // Who saw the raw contact, on the profile too (the reason stays in the audit log).
    const at = ctx.clock();
    await recordCustomerEvent(trx, {
      merchantId,
      customerId: id,
      type: 'customer.revealed',
      actor: actorOf(principal),
      at,
    });
    const until = new Date(at.getTime() + REVEAL_MINUTES * 60_000);
    await saveReveal(trx, { merchantId, customerId: id, actor: actorOf(principal) }, at, until);
    return { email: contact.email, phone: contact.phone, revealed_until: until.toISOString() };
  });
}

/**
 * When the caller's running reveal of the customer ends, or null. Only a role that may reveal has one
 * (a member moved to a role without the permission loses it at once).
 */
export async function runningRevealEnd(ctx: AppContext, principal: Principal, id: string): Promise<Date | null> {
  if (!roleAllows(principal.role, 'customers.reveal')) return null;
  const grant = { merchantId: principal.merchantId, customerId: id, actor: actorOf(principal) };
  return findRevealEnd(ctx.db, grant, ctx.clock());
}

export function checkReason(raw: string): string {
  const reason = raw.trim().replace(/\s+/gu, ' ');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/u.test(reason)) throw fieldError('reason', 'must not contain control characters');
  const length = [...reason].length;
  if (length < 3 || length > 500) throw fieldError('reason', 'must be 3–500 characters');
  return reason;
}
