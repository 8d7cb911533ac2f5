/**
 * Bulk actions on the customers list: tag, untag, delete, suspend, resume or export a selection, or
 * everything a view matches, as a job with progress and refusals. Sits above customers,
 * customer-tags and customer-suspension, whose single actions it runs per customer. The public face.
 */
export { customerBulkRoutes } from './customer-bulk.routes.js';
export { CustomerBulkJobs } from './customer-bulk.jobs.js';
export { CustomerBulkJob, type CustomerBulkJobView } from './customer-bulk.schemas.js';
export type { CustomerBulkJobTable } from './customer-bulk-job.table.js';
