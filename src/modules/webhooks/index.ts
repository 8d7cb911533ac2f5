/**
 * Webhooks: the outbox the database triggers of migration 0015 write in each change's transaction,
 * the brand's endpoints, and the dispatcher that signs and delivers (built once in app.ts).
 */
export { webhookRoutes } from './webhook.routes.js';
export { WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.js';
export { webhookEndpointKeySweep } from './webhook-endpoint.reseal.js';
export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-event-types.js';
export { RETRY_DELAYS_MS } from './webhook-retry.js';
export type {
  WebhookAttemptTable,
  WebhookDeliveryTable,
  WebhookEndpointTable,
  WebhookEventTable,
} from './webhook.table.js';
