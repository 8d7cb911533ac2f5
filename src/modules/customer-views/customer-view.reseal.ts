import type { SealedTable } from '../keys/index.js';
import {
  countViewsOffDataKey,
  countViewsPerDataKey,
  lockViewsOffDataKey,
  updateResealedView,
  viewUnderDataKey,
} from './customer-view-reseal.repository.js';
import { openViewSearch, sealViewSearch } from './customer-view.view.js';

/**
 * Saved views' search texts under a key rotation, in the shape every sealed table gives the keys
 * module (keys/sealed-tables.ts), so a data key is retired only when no view uses it. Only a
 * data-key rotation moves them (no blind index).
 */
export const customerViewKeySweep = {
  table: 'customer_views',
  purposes: ['data'] as const,
  countOffKey: (db, merchantId, _purpose, activeKeyId) => countViewsOffDataKey(db, merchantId, activeKeyId),
  countPerKey: countViewsPerDataKey,
  underKey: (db, merchantId, _purpose, keyId) => viewUnderDataKey(db, merchantId, keyId),
  lockOffKey: (trx, merchantId, _purpose, activeKeyId, page) => lockViewsOffDataKey(trx, merchantId, activeKeyId, page),
  positionOf: (row) => row.id,
  async reseal(trx, keys, merchantId, rows) {
    for (const row of rows) {
      // Rows off the key have a data key, so a ciphertext (the table's CHECK holds them together).
      const q = openViewSearch(keys, row);
      if (q === undefined) continue;
      await updateResealedView(trx, merchantId, row.id, {
        q_enc: sealViewSearch(keys, merchantId, row.id, q),
        data_key_id: keys.activeDataKeyId,
      });
    }
  },
} satisfies SealedTable<Awaited<ReturnType<typeof lockViewsOffDataKey>>[number]>;
