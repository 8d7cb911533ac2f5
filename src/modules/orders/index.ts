/**
 * Orders: line items and a total for a customer (or a buyer kept encrypted), paid at a checkout made
 * for them or offline, then fulfilled. Payments marks a checkout's order paid with the fragment below,
 * inside its one statement; the keys module re-seals kept buyers with the sweep.
 */
export { orderRoutes } from './order.routes.js';
export { createOrder } from './order.service.js';
export { recordOfflinePayment } from './order.payment.js';
export { orderPaidByCheckout } from './order.repository.js';
export { orderKeySweep } from './order.reseal.js';
export { getOrder, listCustomerOrders } from './order.queries.js';
export { Order } from './order.schemas.js';
export { moveCustomerOrders } from './order-merge.repository.js';
export { dropBuyersOfErased } from './order-erase.repository.js';
