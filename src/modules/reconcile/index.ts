/** Customer aggregates proven against the ledger. */
export { reconcileBrand, type ReconcileReport } from './reconcile.service.js';
export { reconcileRoutes } from './reconcile.routes.js';
