import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { recordCustomerEvent } from '../timeline/index.js';
import { findCustomerIdOfUser } from './customer-link.repository.js';
import { findCustomer, updateCustomer } from './customer.repository.js';
import { sealContact } from './customer.seal.js';
import { decryptContact } from './customer.view.js';

/**
 * A site user changed their given or family name: their linked customer takes the new full name,
 * in the caller's transaction (the user's own update), re-sealed whole under the current keys.
 * Returns the customer renamed, if the user has one.
 */
export async function syncCustomerNameFromUser(
  ctx: AppContext,
  trx: Transaction<DB>,
  p: { merchantId: string; userId: string; name: string; actor: { type: string; id: string }; at: Date },
): Promise<string | null> {
  const customerId = await findCustomerIdOfUser(trx, p.merchantId, p.userId);
  if (!customerId) return null;
  const row = await findCustomer(trx, p.merchantId, customerId, { forUpdate: true });
  if (!row) return null;
  const keys = await ctx.keyring.forBrand(trx, p.merchantId, [row.data_key_id]);
  const current = decryptContact(keys, row);
  if (current.name === p.name) return customerId;
  await updateCustomer(trx, p.merchantId, customerId, {
    ...sealContact(keys, p.merchantId, customerId, { ...current, name: p.name }),
    updated_at: p.at,
  });
  await recordCustomerEvent(trx, {
    merchantId: p.merchantId,
    customerId,
    type: 'customer.name_synced',
    actor: p.actor,
    refs: { user: p.userId },
    at: p.at,
  });
  return customerId;
}
