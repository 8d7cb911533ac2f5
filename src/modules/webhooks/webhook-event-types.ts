/**
 * The events an endpoint may ask for (migration 0015's triggers write them). `order.created` and
 * `order.paid` come with orders; `customer.updated` stands for every change to the customer object
 * (contact data, status, tags, image, the linked user).
 */
export const WEBHOOK_EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.merged',
  'customer.erased',
  'customer.user_linked',
  'payment.succeeded',
  'payment.failed',
  'refund.created',
  'invoice.created',
  'invoice.paid',
  'order.created',
  'order.paid',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by "send test event" to one endpoint; never fanned out, never asked for. */
export const TEST_EVENT_TYPE = 'webhook_endpoint.test';
