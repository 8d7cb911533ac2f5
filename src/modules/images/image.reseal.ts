import { decryptBytes, encryptBytes } from '../../crypto/field-cipher.js';
import type { SealedTable } from '../keys/index.js';
import {
  countImagesOffDataKey,
  countImagesPerDataKey,
  imageUnderDataKey,
  lockImagesOffDataKey,
  updateResealedImage,
} from './image-reseal.repository.js';
import { imageBinding } from './image.service.js';

/**
 * Customer images under a key rotation, in the shape every sealed table gives the keys module
 * (keys/sealed-tables.ts), so a data key is retired only when no image uses it. Images have no blind
 * index: only a data-key rotation moves them.
 */
export const imageKeySweep = {
  table: 'customer_images',
  purposes: ['data'] as const,
  // An image is far larger than a row of contact data: a batch holds at most this many in memory.
  maxBatch: 100,
  countOffKey: (db, merchantId, _purpose, activeKeyId) => countImagesOffDataKey(db, merchantId, activeKeyId),
  countPerKey: countImagesPerDataKey,
  underKey: (db, merchantId, _purpose, keyId) => imageUnderDataKey(db, merchantId, keyId),
  lockOffKey: (trx, merchantId, _purpose, activeKeyId, page) =>
    lockImagesOffDataKey(trx, merchantId, activeKeyId, page),
  positionOf: (row) => row.customer_id,
  async reseal(trx, keys, merchantId, rows) {
    for (const row of rows) {
      const binding = imageBinding(merchantId, row.customer_id);
      await updateResealedImage(trx, merchantId, row.customer_id, {
        image_enc: encryptBytes(keys, binding, decryptBytes(keys, binding, row.image_enc)),
        data_key_id: keys.activeDataKeyId,
      });
    }
  },
} satisfies SealedTable<Awaited<ReturnType<typeof lockImagesOffDataKey>>[number]>;
