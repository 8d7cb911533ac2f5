import type { AppContext } from '../../context.js';
import type { KeyPurpose } from '../../crypto/keyring.js';
import type { Executor } from '../../db/database.js';
import {
  countNotesOffDataKey,
  countNotesPerDataKey,
  lockNotesOffDataKey,
  noteUnderDataKey,
  updateResealedNote,
} from './note-reseal.repository.js';
import { openNoteBody, sealNoteBody } from './note.view.js';

/**
 * Customer notes under a key rotation, in the shape every sealed table gives the keys module
 * (keys/sealed-tables.ts), so a data key is retired only when no note uses it. Notes have no blind
 * index: an index-key rotation has nothing to move here.
 */
export const noteKeySweep = {
  table: 'customer_notes',
  countOffKey: async (ctx: AppContext, merchantId: string, purpose: KeyPurpose, activeKeyId: number) =>
    purpose === 'data' ? countNotesOffDataKey(ctx.db, merchantId, activeKeyId) : 0,
  countPerKey: (ctx: AppContext, merchantId: string) => countNotesPerDataKey(ctx.db, merchantId),
  underKey: async (db: Executor, merchantId: string, purpose: KeyPurpose, keyId: number) =>
    purpose === 'data' && noteUnderDataKey(db, merchantId, keyId),
  /** Re-seals one batch under the brand's current data key; null when no note is left off it. */
  async resealBatch(
    ctx: AppContext,
    merchantId: string,
    purpose: KeyPurpose,
    activeKeyId: number,
    page: { afterId: string; limit: number },
  ): Promise<{ lastId: string; updated: number } | null> {
    if (purpose !== 'data') return null;
    return ctx.db.transaction().execute(async (trx) => {
      const rows = await lockNotesOffDataKey(trx, merchantId, activeKeyId, page);
      if (rows.length === 0) return null;
      const needed = rows.map((r) => r.data_key_id);
      let keys = await ctx.keyring.forBrand(trx, merchantId, needed);
      if (keys.activeDataKeyId !== activeKeyId) {
        // A cache from before the rotation began: without this, notes would be re-sealed under the old key.
        ctx.keyring.forget(merchantId);
        keys = await ctx.keyring.forBrand(trx, merchantId, needed);
        if (keys.activeDataKeyId !== activeKeyId)
          throw new Error(`the active data key of ${merchantId} changed during the sweep`);
      }
      for (const row of rows) {
        await updateResealedNote(trx, merchantId, row.id, {
          body_enc: sealNoteBody(keys, merchantId, row.id, openNoteBody(keys, row)),
          data_key_id: keys.activeDataKeyId,
        });
      }
      return { lastId: rows[rows.length - 1]!.id, updated: rows.length };
    });
  },
};
