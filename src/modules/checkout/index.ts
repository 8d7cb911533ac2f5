/** Checkout sessions. */
export { checkoutStatus, createCheckoutSession } from './checkout-session.service.js';
export { closeOrderCheckout, orderCheckoutSession } from './checkout-session.order.js';
export { CheckoutSession, type CheckoutSessionView } from './checkout-session.schemas.js';
export { checkoutSessionRoutes } from './checkout-session.routes.js';
export { moveCustomerCheckoutSessions } from './checkout-session-merge.repository.js';
