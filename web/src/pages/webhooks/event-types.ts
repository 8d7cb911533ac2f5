import type { WebhookEventType } from '../../api/webhooks';

/**
 * What each event type means, keyed by the generated WebhookEventType: the compiler asks for a line
 * here when the server adds a type, and refuses one it no longer sends.
 */
export const EVENT_TYPE_HELP: Record<WebhookEventType, string> = {
  'customer.created': 'A customer was added',
  'customer.updated': 'Contact details, status, tags, image or linked user changed',
  'customer.deleted': 'A customer was deleted',
  'customer.merged': 'A duplicate was merged into a customer',
  'customer.erased': "A customer's personal data was erased",
  'customer.user_linked': 'A site user was linked to a customer',
  'payment.succeeded': 'A payment went through',
  'payment.failed': 'A payment was declined or failed',
  'refund.created': 'A payment was refunded',
  'invoice.created': 'An invoice was created',
  'invoice.paid': 'An invoice was paid',
  'order.created': 'An order was placed',
  'order.paid': 'An order was paid',
};

export const EVENT_TYPES = Object.keys(EVENT_TYPE_HELP) as WebhookEventType[];

const GROUP_OF: Record<string, string> = {
  customer: 'Customers',
  payment: 'Payments',
  refund: 'Payments',
  invoice: 'Invoices and orders',
  order: 'Invoices and orders',
};

/** The event types grouped by what they are about (the part before the dot); a new kind lands in Other. */
export const EVENT_GROUPS: { title: string; types: WebhookEventType[] }[] = [];
for (const type of EVENT_TYPES) {
  const title = GROUP_OF[type.split('.')[0] ?? ''] ?? 'Other';
  const group = EVENT_GROUPS.find((g) => g.title === title);
  if (group) group.types.push(type);
  else EVENT_GROUPS.push({ title, types: [type] });
}
