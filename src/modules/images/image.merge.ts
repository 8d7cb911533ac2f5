import type { Transaction } from 'kysely';
import { decryptBytes, encryptBytes } from '../../crypto/field-cipher.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import type { DB } from '../../db/schema.js';
import { deleteCustomerImage, findCustomerImageRow, upsertCustomerImage } from './image.repository.js';
import { imageBinding } from './image.service.js';

/**
 * A merge (customer-merge), in its transaction: the survivor keeps its own image if it has one (the
 * merged customer's is deleted); otherwise it takes the merged customer's. The ciphertext is bound to
 * the customer's id, so it is opened and sealed again under the survivor's. Returns when the
 * survivor's image last changed (its image_updated_at), or null when it has none.
 */
export async function moveCustomerImage(
  trx: Transaction<DB>,
  keys: BrandKeys,
  merchantId: string,
  from: string,
  to: string,
): Promise<{ survivorImageAt: Date | null }> {
  const [source, survivor] = [
    await findCustomerImageRow(trx, merchantId, from),
    await findCustomerImageRow(trx, merchantId, to),
  ];
  if (source) await deleteCustomerImage(trx, merchantId, from);
  if (survivor || !source) return { survivorImageAt: survivor?.updated_at ?? null };
  const bytes = decryptBytes(keys, imageBinding(merchantId, from), source.image_enc);
  await upsertCustomerImage(trx, {
    merchant_id: merchantId,
    customer_id: to,
    image_enc: encryptBytes(keys, imageBinding(merchantId, to), bytes),
    content_type: source.content_type,
    width: source.width,
    height: source.height,
    data_key_id: keys.activeDataKeyId,
    updated_at: source.updated_at,
  });
  return { survivorImageAt: source.updated_at };
}
