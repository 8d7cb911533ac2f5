/** The customer timeline: events appended in the transaction of each change (the profile reads them). */
export {
  CUSTOMER_EVENT_TYPES,
  recordCustomerEvent,
  type CustomerEvent,
  type CustomerEventType,
} from './customer-event.service.js';
export {
  customerEventFor,
  orderPaidEvent,
  paymentFailedEvent,
  paymentSucceededEvents,
} from './customer-event.fragments.js';
export { customerTimeline } from './customer-event.queries.js';
export { actorNameMap } from './customer-event.repository.js';
export {
  CustomerEvent as CustomerEventSchema,
  CustomerEventList,
  TimelineQuery,
  type CustomerEventListView,
} from './customer-event.schemas.js';
export type { CustomerEventTable } from './customer-event.table.js';
export { moveCustomerEvents } from './customer-event-merge.repository.js';
