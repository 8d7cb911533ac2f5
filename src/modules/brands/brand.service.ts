import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { DomainError } from '../../errors.js';
import { newId } from '../../ids.js';
import { insertBrand, insertBrandKey, findBrand, lockMasterFingerprint } from './brand.repository.js';
import type { BrandRow, BrandSettings } from './brand.table.js';

export interface NewBrand {
  name: string;
  country: string;
  baseCurrency: string;
  logoUrl?: string | null | undefined;
  settings?: BrandSettings;
}

/**
 * Creates a brand with its own first data key (id 1) and index key (id 2), in one transaction;
 * `within` adds the caller's rows (the owner's membership) to that transaction.
 */
export async function createBrand(
  ctx: AppContext,
  input: NewBrand,
  within?: (trx: Transaction<DB>, brandId: string) => Promise<void>,
): Promise<BrandRow> {
  const id = newId('brd');
  await ctx.db.transaction().execute(async (trx) => {
    await assertMasterKeyCurrent(ctx, trx);
    await insertBrand(trx, {
      id,
      name: input.name,
      country: input.country.toUpperCase(),
      base_currency: input.baseCurrency.toUpperCase(),
      logo_url: input.logoUrl ?? null,
      settings: { auto_register_customers: true, ...input.settings },
    });
    for (const [keyId, purpose] of [
      [1, 'data'],
      [2, 'index'],
    ] as const) {
      await insertBrandKey(trx, {
        merchant_id: id,
        key_id: keyId,
        purpose,
        state: 'active',
        wrapped_key: ctx.keyring.newWrappedKey(id, keyId, purpose),
      });
    }
    await within?.(trx, id);
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

/**
 * Refuses to wrap new brand keys under a master key the database no longer answers to (a server
 * still running after `keys rotate-master`): such keys would be unreadable after its restart.
 */
export async function assertMasterKeyCurrent(ctx: AppContext, trx: Transaction<DB>): Promise<void> {
  const inForce = await lockMasterFingerprint(trx);
  if (inForce !== ctx.keyring.masterFingerprint) {
    throw new DomainError(
      'master_key_outdated',
      'The master key was rotated since this process started; restart it with the new master key',
    );
  }
}
