/** Erase: a customer's personal data destroyed for good, payments kept (issue 13). The public face. */
export { eraseRoutes } from './erase.routes.js';
export { eraseCustomer } from './erase.service.js';
