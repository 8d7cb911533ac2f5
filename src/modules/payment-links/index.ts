/** Payment links. */
export { createPaymentLink, linkPricing, paymentLinkNotFound } from './payment-link.service.js';
export { paymentLinkRoutes } from './payment-link.routes.js';
