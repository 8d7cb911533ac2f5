/**
 * Customer images: one per customer, re-encoded on upload so no metadata survives, sealed under the
 * brand's data key, served to whoever may read the customer. The public face.
 */
export { imageRoutes } from './image.routes.js';
export { imageKeySweep } from './image.reseal.js';
export type { CustomerImageTable } from './image.table.js';
export { getCustomerImage } from './image.service.js';
export { moveCustomerImage } from './image.merge.js';
export { deleteImageOfErased } from './image-erase.repository.js';
