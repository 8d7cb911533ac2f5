import type { AppContext } from '../../context.js';
import type { KeyPurpose } from '../../crypto/keyring.js';
import type { Executor } from '../../db/database.js';
import {
  countOrdersOffDataKey,
  countOrdersPerDataKey,
  lockOrdersOffDataKey,
  orderUnderDataKey,
  updateResealedBuyer,
} from './order-reseal.repository.js';
import { openBuyer, sealBuyer } from './order.view.js';

/**
 * Orders' buyers under a key rotation, in the shape every sealed table gives the keys module
 * (keys/sealed-tables.ts), so a data key is retired only when no order's buyer uses it. Orders have
 * no blind index: an index-key rotation has nothing to move here.
 */
export const orderKeySweep = {
  table: 'orders',
  countOffKey: async (ctx: AppContext, merchantId: string, purpose: KeyPurpose, activeKeyId: number) =>
    purpose === 'data' ? countOrdersOffDataKey(ctx.db, merchantId, activeKeyId) : 0,
  countPerKey: (ctx: AppContext, merchantId: string) => countOrdersPerDataKey(ctx.db, merchantId),
  underKey: async (db: Executor, merchantId: string, purpose: KeyPurpose, keyId: number) =>
    purpose === 'data' && orderUnderDataKey(db, merchantId, keyId),
  /** Re-seals one batch under the brand's current data key; null when no order is left off it. */
  async resealBatch(
    ctx: AppContext,
    merchantId: string,
    purpose: KeyPurpose,
    activeKeyId: number,
    page: { afterId: string; limit: number },
  ): Promise<{ lastId: string; updated: number } | null> {
    if (purpose !== 'data') return null;
    return ctx.db.transaction().execute(async (trx) => {
      const rows = await lockOrdersOffDataKey(trx, merchantId, activeKeyId, page);
      if (rows.length === 0) return null;
      const needed = rows.flatMap((r) => (r.data_key_id === null ? [] : [r.data_key_id]));
      let keys = await ctx.keyring.forBrand(trx, merchantId, needed);
      if (keys.activeDataKeyId !== activeKeyId) {
        // A cache from before the rotation began: without this, buyers would be re-sealed under the old key.
        ctx.keyring.forget(merchantId);
        keys = await ctx.keyring.forBrand(trx, merchantId, needed);
        if (keys.activeDataKeyId !== activeKeyId)
          throw new Error(`the active data key of ${merchantId} changed during the sweep`);
      }
      for (const row of rows) {
        const buyer = openBuyer(keys, row);
        if (buyer === null) continue;
        await updateResealedBuyer(trx, merchantId, row.id, {
          buyer_enc: sealBuyer(keys, merchantId, row.id, buyer),
          data_key_id: keys.activeDataKeyId,
        });
      }
      return { lastId: rows[rows.length - 1]!.id, updated: rows.length };
    });
  },
};
