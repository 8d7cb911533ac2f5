import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { DomainError, fieldError } from '../../errors.js';
import { emailBlindIndexes } from '../../crypto/blind-index.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import { isId } from '../../ids.js';
import { recordCustomerEvent, type CustomerEvent } from '../timeline/index.js';
import {
  findCustomerIdOfUser,
  findUnlinkedUsersByEmail,
  linkIfBothFree,
  lockCustomerLink,
  lockSiteUser,
  setCustomerUser,
  setUserSuggestion,
} from './customer-link.repository.js';
import { customerNotFound } from './customer.access.js';

/*
 * Linking a customer and a site user: one user ↔ one customer per brand, kept on customers.user_id.
 * Staff and API link on purpose (and may relink); automatic links happen only for a verified email
 * and only when both sides are free; an unverified match is a suggestion for staff (README "Site users").
 */

/** How a link came about, kept on the timeline. */
export type LinkHow = 'staff' | 'api' | 'registration' | 'verified_email';

interface LinkContext {
  merchantId: string;
  actor: { type: string; id: string };
  at: Date;
}

export function userNotInBrand(userId: string, field = 'user'): DomainError {
  return fieldError(field, `is not a site user of this brand (${userId.slice(0, 40)})`);
}

function userLinked(userId: string, customerId: string): DomainError {
  return new DomainError(
    'user_linked',
    `Site user ${userId} is linked to customer ${customerId}; unlink it there first`,
    {
      field: 'user',
      user_id: userId,
      customer_id: customerId,
    },
  );
}

/**
 * Links the user to the customer (staff or API), replacing the customer's previous user. Refused
 * when the user belongs to another customer: moving a person's account is done in two visible steps.
 */
export async function linkCustomerToUser(
  trx: Transaction<DB>,
  p: LinkContext & { customerId: string; userId: string; how: LinkHow },
): Promise<void> {
  if (!isId('usr', p.userId)) throw userNotInBrand(p.userId);
  // The user first, then the customer: the order a registration or a profile change takes them in,
  // so two of them on one pair can never wait on each other.
  const user = await lockSiteUser(trx, p.merchantId, p.userId);
  const customer = await lockCustomerLink(trx, p.merchantId, p.customerId);
  if (!customer) throw customerNotFound(p.customerId);
  if (!user) throw userNotInBrand(p.userId);
  if (customer.user_id === p.userId) return;
  const holder = await findCustomerIdOfUser(trx, p.merchantId, p.userId);
  if (holder && holder !== p.customerId) throw userLinked(p.userId, holder);
  await setCustomerUser(trx, p.merchantId, p.customerId, p.userId, p.at);
  await setUserSuggestion(trx, p.merchantId, p.userId, null);
  const events: CustomerEvent[] = [];
  if (customer.user_id) events.push(linkEvent(p, p.customerId, 'customer.user_unlinked', customer.user_id));
  events.push(linkEvent(p, p.customerId, 'customer.user_linked', p.userId, p.how));
  await recordCustomerEvent(trx, events);
}

/** Unlinks the customer's user, if it has one; returns the user that was linked. */
export async function unlinkCustomerUser(
  trx: Transaction<DB>,
  p: LinkContext & { customerId: string },
): Promise<string | null> {
  const customer = await lockCustomerLink(trx, p.merchantId, p.customerId);
  if (!customer) throw customerNotFound(p.customerId);
  if (!customer.user_id) return null;
  await setCustomerUser(trx, p.merchantId, p.customerId, null, p.at);
  await recordCustomerEvent(trx, linkEvent(p, p.customerId, 'customer.user_unlinked', customer.user_id));
  return customer.user_id;
}

/** An automatic link (registration, verified email): only when both are free; says whether it linked. */
export async function linkIfFree(
  trx: Transaction<DB>,
  p: LinkContext & { customerId: string; userId: string; how: LinkHow },
): Promise<boolean> {
  const linked = await linkIfBothFree(trx, p.merchantId, p.customerId, p.userId, p.at);
  if (linked) {
    await setUserSuggestion(trx, p.merchantId, p.userId, null);
    await recordCustomerEvent(trx, linkEvent(p, p.customerId, 'customer.user_linked', p.userId, p.how));
  }
  return linked;
}

/** Keeps an unverified match for staff to confirm: the user points at the customer, nothing is linked. */
export async function suggestLink(
  trx: Transaction<DB>,
  p: LinkContext & { customerId: string; userId: string },
): Promise<void> {
  await setUserSuggestion(trx, p.merchantId, p.userId, p.customerId);
  await recordCustomerEvent(trx, linkEvent(p, p.customerId, 'customer.user_suggested', p.userId));
}

/**
 * A customer that gained an email without naming a user (created, or found by a new source) links
 * to the brand's unlinked site user with that email when it is verified, or is suggested to an
 * unverified one. Returns the user it linked.
 */
export async function linkByEmailMatch(
  trx: Transaction<DB>,
  keys: BrandKeys,
  p: LinkContext & { customerId: string; email: string },
): Promise<string | null> {
  const users = await findUnlinkedUsersByEmail(trx, p.merchantId, emailBlindIndexes(keys, p.email));
  for (const user of users) {
    if (user.email_verified) {
      if (await linkIfFree(trx, { ...p, userId: user.id, how: 'verified_email' })) return user.id;
    } else if (user.suggested_customer_id === null) {
      await suggestLink(trx, { ...p, userId: user.id });
      return null;
    }
  }
  return null;
}

function linkEvent(
  p: LinkContext,
  customerId: string,
  type: 'customer.user_linked' | 'customer.user_unlinked' | 'customer.user_suggested',
  userId: string,
  how?: LinkHow,
): CustomerEvent {
  return {
    merchantId: p.merchantId,
    customerId,
    type,
    actor: p.actor,
    refs: how ? { user: userId, how } : { user: userId },
    at: p.at,
  };
}

/**
 * After a payment registered a new customer (in the payment's single statement, which cannot hold
 * this): link it to a site user with the same verified email, as a new customer of any other source
 * is. Its own small transaction; the payment stands whatever happens here.
 */
export async function linkRegisteredPayer(
  ctx: AppContext,
  p: { merchantId: string; customerId: string; email: string; at: Date },
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const keys = await ctx.keyring.forBrand(trx, p.merchantId);
    await linkByEmailMatch(trx, keys, { ...p, actor: { type: 'system', id: 'payment' } });
  });
}
