/**
 * Suspend and resume a customer: a suspended customer's payments are refused on every public path
 * (the check itself is customers' suspendedPayerOf, which payments call before the gateway). Sits
 * above customers and notes (staff's own words go into a sealed note), like merge and erase. The
 * public face.
 */
export { customerSuspensionRoutes } from './customer-suspension.routes.js';
export {
  applySuspension,
  resumeCustomer,
  suspendCustomer,
  type SuspensionOptions,
} from './customer-suspension.service.js';
export { SuspendBody, SUSPENSION_NOTE_MAX_LENGTH } from './customer-suspension.schemas.js';
