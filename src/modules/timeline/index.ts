/** The customer timeline: events appended in the transaction of each change (the profile reads them). */
export {
  CUSTOMER_EVENT_TYPES,
  recordCustomerEvent,
  type CustomerEvent,
  type CustomerEventType,
} from './customer-event.service.js';
export type { CustomerEventTable } from './customer-event.table.js';
