import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { emailBlindIndexes } from '../../crypto/blind-index.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import { newId } from '../../ids.js';
import { recordCustomerEvent } from '../timeline/index.js';
import { linkByEmailMatch } from './customer.link.js';
import { findCustomerIdByEmailIndex, insertCustomerIfEmailFree } from './customer.repository.js';
import { sealContact } from './customer.seal.js';
import type { CustomerSource } from './customer.table.js';
import type { PlainContact } from './customer.view.js';

export interface FindOrCreateRequest {
  merchantId: string;
  /** Normalised already (customer.normalize.ts). */
  contact: PlainContact;
  source: CustomerSource;
  /** The brand's switch for this source: off means "match a known email, create nothing". */
  create: boolean;
  actor: { type: string; id: string };
  at: Date;
  /** A new customer links to a verified site user with its email (not when the caller links one itself). */
  linkByEmail: boolean;
}

/**
 * The one find-or-create every source of customers goes through besides a payment's single statement
 * (which uses the same unique index): the brand's customer with this email, or a new one. Race-free:
 * the insert is guarded by the unique (merchant_id, email_bidx) index, and a loser of that race
 * finds the winner's committed row with its next statement (READ COMMITTED). Runs inside the
 * caller's transaction, so the customer, the caller's own rows and the timeline commit together.
 * Null when the email is new and creation is off.
 */
export async function findOrCreateCustomer(
  trx: Transaction<DB>,
  keys: BrandKeys,
  r: FindOrCreateRequest,
): Promise<{ id: string; created: boolean } | null> {
  const emailBidx = emailBlindIndexes(keys, r.contact.email);
  // During an index rebuild the customer may still sit under the retiring key, which the unique
  // index cannot see: look first. Without creation, the lookup is all there is.
  if (keys.retiringIndex || !r.create) {
    const existing = await findCustomerIdByEmailIndex(trx, r.merchantId, emailBidx);
    if (existing) return { id: existing, created: false };
    if (!r.create) return null;
  }
  const id = newId('cus');
  const inserted = await insertCustomerIfEmailFree(trx, {
    merchant_id: r.merchantId,
    id,
    ...sealContact(keys, r.merchantId, id, r.contact),
    metadata: '{}',
    source: r.source,
    created_at: r.at,
    updated_at: r.at,
  });
  if (!inserted) {
    const existing = await findCustomerIdByEmailIndex(trx, r.merchantId, emailBidx);
    if (!existing) throw new Error('find-or-create: the email conflicted, yet no customer holds it');
    return { id: existing, created: false };
  }
  await recordCustomerEvent(trx, {
    merchantId: r.merchantId,
    customerId: id,
    type: 'customer.created',
    actor: r.actor,
    refs: { source: r.source },
    at: r.at,
  });
  if (r.linkByEmail) {
    await linkByEmailMatch(trx, keys, {
      merchantId: r.merchantId,
      customerId: id,
      email: r.contact.email,
      actor: r.actor,
      at: r.at,
    });
  }
  return { id, created: true };
}
