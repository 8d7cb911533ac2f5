/** A payment as plain steps, the public pay API and its decline guard. */
export { payCheckout, payInvoice, payPaymentLink, type PayingClient } from './public.service.js';
export { DECLINE_LIMITS, DeclineGuard } from './decline-guard.js';
export { publicPayRoutes } from './public.routes.js';
export {
  PendingPaymentSettler,
  SETTLE_AFTER_MS,
  SETTLE_EVERY_MS,
  settlePendingPayments,
  type SettleReport,
} from './settle-pending.js';
