import type { AppContext } from '../../context.js';
import { decryptBytes, encryptBytes } from '../../crypto/field-cipher.js';
import type { KeyPurpose } from '../../crypto/keyring.js';
import type { Executor } from '../../db/database.js';
import {
  countImagesOffDataKey,
  countImagesPerDataKey,
  imageUnderDataKey,
  lockImagesOffDataKey,
  updateResealedImage,
} from './image-reseal.repository.js';
import { imageBinding } from './image.service.js';

// An image is far larger than a row of contact data: a batch holds at most this many in memory.
const MAX_IMAGES_PER_BATCH = 100;

/**
 * Customer images under a key rotation, in the shape every sealed table gives the keys module
 * (keys/sealed-tables.ts), so a data key is retired only when no image uses it. Images have no blind
 * index: an index-key rotation has nothing to move here.
 */
export const imageKeySweep = {
  table: 'customer_images',
  countOffKey: async (ctx: AppContext, merchantId: string, purpose: KeyPurpose, activeKeyId: number) =>
    purpose === 'data' ? countImagesOffDataKey(ctx.db, merchantId, activeKeyId) : 0,
  countPerKey: (ctx: AppContext, merchantId: string) => countImagesPerDataKey(ctx.db, merchantId),
  underKey: async (db: Executor, merchantId: string, purpose: KeyPurpose, keyId: number) =>
    purpose === 'data' && imageUnderDataKey(db, merchantId, keyId),
  /** Re-seals one batch under the brand's current data key; null when no image is left off it. */
  async resealBatch(
    ctx: AppContext,
    merchantId: string,
    purpose: KeyPurpose,
    activeKeyId: number,
    page: { afterId: string; limit: number },
  ): Promise<{ lastId: string; updated: number } | null> {
    if (purpose !== 'data') return null;
    return ctx.db.transaction().execute(async (trx) => {
      const limit = Math.min(page.limit, MAX_IMAGES_PER_BATCH);
      const rows = await lockImagesOffDataKey(trx, merchantId, activeKeyId, { afterId: page.afterId, limit });
      if (rows.length === 0) return null;
      const needed = rows.map((r) => r.data_key_id);
      let keys = await ctx.keyring.forBrand(trx, merchantId, needed);
      if (keys.activeDataKeyId !== activeKeyId) {
        // A cache from before the rotation began: without this, images would be re-sealed under the old key.
        ctx.keyring.forget(merchantId);
        keys = await ctx.keyring.forBrand(trx, merchantId, needed);
        if (keys.activeDataKeyId !== activeKeyId)
          throw new Error(`the active data key of ${merchantId} changed during the sweep`);
      }
      for (const row of rows) {
        const binding = imageBinding(merchantId, row.customer_id);
        await updateResealedImage(trx, merchantId, row.customer_id, {
          image_enc: encryptBytes(keys, binding, decryptBytes(keys, binding, row.image_enc)),
          data_key_id: keys.activeDataKeyId,
        });
      }
      return { lastId: rows[rows.length - 1]!.customer_id, updated: rows.length };
    });
  },
};
