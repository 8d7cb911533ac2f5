/** Site users: the merchant's storefront accounts, mirrored by their backend, linked to customers. */
export { userRoutes } from './user.routes.js';
export { registerUser, updateUser } from './user.service.js';
export { sealUser, unsealUser, type PlainUser, type SealedUser } from './user.seal.js';
export type { SiteUserTable } from './user.table.js';
export { siteUserKeySweep } from './user.reseal.js';
export { listUsers } from './user.queries.js';
export { SiteUser } from './user.schemas.js';
export { moveSuggestedCustomer } from './user-merge.repository.js';
export { deleteErasedSiteUser, dropSuggestionsOf } from './user-erase.repository.js';
