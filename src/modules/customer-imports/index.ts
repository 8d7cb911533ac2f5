/** CSV import of customers: the job table, the upload API and the import the CLI runs. */
export { customerImportRoutes, MAX_IMPORT_BYTES } from './customer-import.routes.js';
export { CustomerImportJobs } from './customer-import.jobs.js';
export {
  IMPORT_BATCH_SIZE,
  parseMappingParam,
  prepareImport,
  type ByteSource,
  type ImportHooks,
  type ImportRequest,
  type PreparedImport,
} from './customer-import.service.js';
export { importReport, REPORT_COLUMNS } from './customer-import.queries.js';
export type { ImportTally } from './customer-import.batch.js';
export { CustomerImport, type CustomerImportView, type CustomerImportListView } from './customer-import.schemas.js';
export type { CustomerImportTable, ImportMode, ReportRow } from './customer-import.table.js';
