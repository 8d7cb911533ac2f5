import type { AppContext } from '../../context.js';
import { emailBlindIndexes } from '../../crypto/blind-index.js';
import { newId } from '../../ids.js';
import type { PaymentCustomer } from './customer-aggregates.repository.js';
import { findCustomerIdByEmailIndex } from './customer.repository.js';
import { sealContact } from './customer.seal.js';
import type { CustomerSource } from './customer.table.js';
import type { PlainContact } from './customer.view.js';

/**
 * Who a payment by this payer belongs to: with automatic registration a new row sealed under the
 * brand's current keys (the payment's statement keeps the existing customer on a known email),
 * otherwise a match by email only. The contact is already normalised.
 */
export async function payerCustomer(
  ctx: AppContext,
  p: { merchantId: string; autoRegister: boolean; source: CustomerSource; payer: PlainContact },
): Promise<PaymentCustomer> {
  const { merchantId } = p;
  const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
  const emailBidx = emailBlindIndexes(keys, p.payer.email);
  if (!p.autoRegister) return { kind: 'match_email', emailBidx };
  if (keys.retiringIndex) {
    // During an index rebuild an existing customer may still sit under the retiring key, which
    // the unique index (and so the upsert) cannot see.
    const existing = await findCustomerIdByEmailIndex(ctx.db, merchantId, emailBidx);
    if (existing) return { kind: 'known', id: existing };
  }
  const id = newId('cus');
  const now = ctx.clock();
  return {
    kind: 'register',
    retiringIndex: keys.retiringIndex !== undefined,
    row: {
      merchant_id: merchantId,
      id,
      ...sealContact(keys, merchantId, id, p.payer),
      metadata: '{}',
      source: p.source,
      created_at: now,
      updated_at: now,
    },
  };
}
