/**
 * Saved views of the customers list: a sort, filters and a search under a name, per staff member or
 * shared with the brand; the search text sealed like contact data. The public face: app.ts registers
 * the routes, the keys module sweeps the views in its rotations.
 */
export { customerViewRoutes } from './customer-view.routes.js';
export { createView, deleteView, listViews, MAX_VIEWS, updateView } from './customer-view.service.js';
export { customerViewKeySweep } from './customer-view.reseal.js';
export {
  SavedView,
  SavedViewList,
  type SavedViewListResponse,
  type SavedViewResponse,
} from './customer-view.schemas.js';
export type { CustomerViewTable } from './customer-view.table.js';
