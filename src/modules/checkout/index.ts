/** Checkout sessions. */
export { checkoutStatus, createCheckoutSession } from './checkout-session.service.js';
export { checkoutSessionRoutes } from './checkout-session.routes.js';
