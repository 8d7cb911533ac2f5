/** Brands: profile and settings, and the wrapped data/index keys of each brand. */
export { assertMasterKeyCurrent, createBrand, getBrand, type NewBrand } from './brand.service.js';
export { autoCreateCustomers, autoRegisterCustomers } from './brand.settings.js';
export {
  claimMasterFingerprint,
  countBrands,
  findBrand,
  firstBrand,
  insertBrandKey,
  listBrandIds,
  listBrandKeys,
} from './brand.repository.js';
export type { AutoCreateSource, BrandRow, BrandSettings } from './brand.table.js';
export { brandRoutes } from './brand.routes.js';
