import type { AppContext } from '../../context.js';
import type { BrandKeys, KeyPurpose } from '../../crypto/keyring.js';
import {
  countUsersOffKey,
  countUsersPerKey,
  lockUsersOffKey,
  updateResealedUser,
  userUnderKey,
} from './user-reseal.repository.js';
import { sealUser, unsealUser } from './user.seal.js';

/**
 * Site users under a key rotation: the keys module sweeps them after the customers, with the same
 * shape for every sealed table (keys/sealed-tables.ts), and retires a key only when none uses it.
 */
export const siteUserKeySweep = {
  table: 'site_users',
  countOffKey: (ctx: AppContext, merchantId: string, purpose: KeyPurpose, activeKeyId: number) =>
    countUsersOffKey(ctx.db, merchantId, purpose, activeKeyId),
  countPerKey: (ctx: AppContext, merchantId: string) => countUsersPerKey(ctx.db, merchantId),
  underKey: userUnderKey,
  /** Re-seals one batch under the brand's current keys; null when no row is left off the active key. */
  async resealBatch(
    ctx: AppContext,
    merchantId: string,
    purpose: KeyPurpose,
    activeKeyId: number,
    page: { afterId: string; limit: number },
  ): Promise<{ lastId: string; updated: number } | null> {
    return ctx.db.transaction().execute(async (trx) => {
      const rows = await lockUsersOffKey(trx, merchantId, purpose, activeKeyId, page);
      if (rows.length === 0) return null;
      const needed = rows.map((r) => r.data_key_id);
      const activeOf = (k: BrandKeys) => (purpose === 'data' ? k.activeDataKeyId : k.index.keyId);
      let keys = await ctx.keyring.forBrand(trx, merchantId, needed);
      if (activeOf(keys) !== activeKeyId) {
        // A cache from before the rotation began: without this, rows would be re-sealed under the old key.
        ctx.keyring.forget(merchantId);
        keys = await ctx.keyring.forBrand(trx, merchantId, needed);
        if (activeOf(keys) !== activeKeyId)
          throw new Error(`the active ${purpose} key of ${merchantId} changed during the sweep`);
      }
      for (const row of rows) {
        await updateResealedUser(trx, merchantId, row.id, sealUser(keys, merchantId, row.id, unsealUser(keys, row)));
      }
      return { lastId: rows[rows.length - 1]!.id, updated: rows.length };
    });
  },
};
