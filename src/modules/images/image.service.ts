import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { decryptBytes, encryptBytes, type FieldBinding } from '../../crypto/field-cipher.js';
import { isId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf } from '../audit/index.js';
import {
  customerNotFound,
  loadCustomerView,
  requireReadableCustomer,
  requireLiveCustomer,
  setCustomerImageUpdatedAt,
  type CustomerView,
} from '../customers/index.js';
import { recordCustomerEvent } from '../timeline/index.js';
import { processImage } from './image.process.js';
import { deleteCustomerImage, findCustomerImage, upsertCustomerImage } from './image.repository.js';

export interface ImageUpload {
  bytes: Buffer;
  /** The request's media type, without parameters; the bytes decide, this only has to agree. */
  declaredType: string | undefined;
}

export interface ServedImage {
  bytes: Buffer;
  contentType: string;
}

/** The image's ciphertext is bound to its brand and customer: copied to another row, it does not open. */
export function imageBinding(merchantId: string, customerId: string): FieldBinding {
  return { merchantId, table: 'customer_images', column: 'image', rowId: customerId };
}

/**
 * PUT /customers/{id}/image: checks and re-encodes the upload (image.process.ts), then, in one
 * transaction, seals and stores it (replacing any image), marks the customer as having one and adds
 * the timeline event. Anything refused stores nothing. Answers the customer, with its new image_url.
 */
export async function putCustomerImage(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  upload: ImageUpload,
): Promise<CustomerView> {
  requirePermission(principal, 'customers.edit');
  const { merchantId } = principal;
  // A wrong id is 404 whatever the body; checked before the image is decoded.
  await requireLiveCustomer(ctx.db, merchantId, customerId);
  // Decoded outside the transaction: no row is locked while the pixels are worked on.
  const image = await processImage(upload.bytes, upload.declaredType);
  await ctx.db.transaction().execute(async (trx) => {
    await requireLiveCustomer(trx, merchantId, customerId, { forUpdate: true });
    const keys = await ctx.keyring.forBrand(trx, merchantId);
    const at = ctx.clock();
    await upsertCustomerImage(trx, {
      merchant_id: merchantId,
      customer_id: customerId,
      image_enc: encryptBytes(keys, imageBinding(merchantId, customerId), image.bytes),
      content_type: image.contentType,
      width: image.width,
      height: image.height,
      data_key_id: keys.activeDataKeyId,
      updated_at: at,
    });
    await setCustomerImageUpdatedAt(trx, merchantId, customerId, at);
    await recordCustomerEvent(trx, { merchantId, customerId, type: 'image.updated', actor: actorOf(principal), at });
  });
  return loadCustomerView(ctx, principal, customerId);
}

/** DELETE /customers/{id}/image: 404 image_not_found when the customer has none. */
export async function removeCustomerImage(ctx: AppContext, principal: Principal, customerId: string): Promise<void> {
  requirePermission(principal, 'customers.edit');
  const { merchantId } = principal;
  if (!isId('cus', customerId)) throw customerNotFound(customerId);
  await ctx.db.transaction().execute(async (trx) => {
    await requireLiveCustomer(trx, merchantId, customerId, { forUpdate: true });
    if (!(await deleteCustomerImage(trx, merchantId, customerId))) throw imageNotFound(customerId);
    const at = ctx.clock();
    await setCustomerImageUpdatedAt(trx, merchantId, customerId, null);
    await recordCustomerEvent(trx, { merchantId, customerId, type: 'image.removed', actor: actorOf(principal), at });
  });
}

/** GET /customers/{id}/image: the decrypted image, for whoever may read the customer. */
export async function getCustomerImage(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
): Promise<ServedImage> {
  await requireReadableCustomer(ctx, principal, customerId);
  const { merchantId } = principal;
  const row = await findCustomerImage(ctx.db, merchantId, customerId);
  if (!row) throw imageNotFound(customerId);
  const keys = await ctx.keyring.forBrand(ctx.db, merchantId, [row.data_key_id]);
  return {
    bytes: decryptBytes(keys, imageBinding(merchantId, customerId), row.image_enc),
    contentType: row.content_type,
  };
}

function imageNotFound(customerId: string): DomainError {
  return new DomainError('image_not_found', `Customer ${customerId} has no image`, { customer_id: customerId });
}
