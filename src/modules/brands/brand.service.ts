import type { AppContext } from '../../context.js';
import { newId } from '../../ids.js';
import { insertBrand, insertBrandKey, findBrand } from './brand.repository.js';
import type { BrandRow, BrandSettings } from './brand.table.js';

export interface NewBrand {
  name: string;
  country: string;
  baseCurrency: string;
  settings?: BrandSettings;
}

/** Creates a brand with its first data key (id 1) and index key (id 2), in one transaction. */
export async function createBrand(ctx: AppContext, input: NewBrand): Promise<BrandRow> {
  const id = newId('brd');
  await ctx.db.transaction().execute(async (trx) => {
    await insertBrand(trx, {
      id,
      name: input.name,
      country: input.country.toUpperCase(),
      base_currency: input.baseCurrency.toUpperCase(),
      settings: { auto_register_customers: true, ...input.settings },
    });
    for (const [keyId, purpose] of [[1, 'data'], [2, 'index']] as const) {
      await insertBrandKey(trx, {
        merchant_id: id,
        key_id: keyId,
        purpose,
        state: 'active',
        wrapped_key: ctx.keyring.newWrappedKey(id, keyId, purpose),
      });
    }
  });
  const brand = await findBrand(ctx.db, id);
  if (!brand) throw new Error('brand vanished after insert');
  return brand;
}

export async function getBrand(ctx: AppContext, merchantId: string): Promise<BrandRow> {
  const brand = await findBrand(ctx.db, merchantId);
  if (!brand) throw new Error(`brand ${merchantId} not found`);
  return brand;
}
