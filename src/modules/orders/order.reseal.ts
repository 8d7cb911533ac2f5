import type { SealedTable } from '../keys/index.js';
import {
  countOrdersOffDataKey,
  countOrdersPerDataKey,
  lockOrdersOffDataKey,
  orderUnderDataKey,
  updateResealedBuyer,
} from './order-reseal.repository.js';
import { openBuyer, sealBuyer } from './order.view.js';

/**
 * Orders' kept buyers under a key rotation, in the shape every sealed table gives the keys module
 * (keys/sealed-tables.ts), so a data key is retired only when no order's buyer uses it. Orders have
 * no blind index: only a data-key rotation moves them.
 */
export const orderKeySweep = {
  table: 'orders',
  purposes: ['data'] as const,
  countOffKey: (db, merchantId, _purpose, activeKeyId) => countOrdersOffDataKey(db, merchantId, activeKeyId),
  countPerKey: countOrdersPerDataKey,
  underKey: (db, merchantId, _purpose, keyId) => orderUnderDataKey(db, merchantId, keyId),
  lockOffKey: (trx, merchantId, _purpose, activeKeyId, page) =>
    lockOrdersOffDataKey(trx, merchantId, activeKeyId, page),
  positionOf: (row) => row.id,
  async reseal(trx, keys, merchantId, rows) {
    for (const row of rows) {
      const buyer = openBuyer(keys, row);
      if (buyer === null) continue;
      await updateResealedBuyer(trx, merchantId, row.id, {
        buyer_enc: sealBuyer(keys, merchantId, row.id, buyer),
        data_key_id: keys.activeDataKeyId,
      });
    }
  },
} satisfies SealedTable<Awaited<ReturnType<typeof lockOrdersOffDataKey>>[number]>;
