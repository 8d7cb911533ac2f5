/**
 * Customers: the brand's payers, their contact data encrypted at rest. The public face: other
 * modules, app.ts and the CLI import only this file. Every statement that reads or writes the
 * `customers` table lives in this module; other modules call the statements and fragments below.
 */
export { customerRoutes } from './customer.routes.js';

export {
  createCustomer,
  createOrEditCustomer,
  fillMissingPhone,
  sourceOf,
  updateCustomer,
  type CustomerInput,
  type CustomerPatch,
  type CustomerUpsertInput,
} from './customer.service.js';
export { deleteCustomer } from './customer.delete.js';
export { exportCustomers, type CustomerExport, type CustomerExportFilter } from './customer.export.js';
export { findOrCreateCustomer, type FindOrCreateRequest } from './customer.find-or-create.js';
export {
  linkByEmailMatch,
  linkCustomerToUser,
  linkIfFree,
  linkRegisteredPayer,
  suggestLink,
  unlinkCustomerUser,
  userNotInBrand,
  type LinkHow,
} from './customer.link.js';
export { findCustomerIdOfUser, registeredPayerMayLink } from './customer-link.repository.js';
export { setCustomerImageUpdatedAt } from './customer-image.repository.js';
export { syncCustomerNameFromUser } from './customer.name-sync.js';
export {
  matchesQuery,
  parseSearchQuery,
  queryTokenInputs,
  rowTokenInputs,
  searchForms,
  type SearchQuery,
} from './customer.search-text.js';
export {
  customerNames,
  customerStats,
  customerViews,
  getCustomer,
  loadCustomerView,
  requireReadableCustomer,
  retrieveCustomer,
} from './customer.queries.js';
export { customerNotFound } from './customer.access.js';
export { matchingCustomerIds } from './customer.matching-ids.js';
export { listCustomers } from './customer.list.js';
export {
  DEFAULT_SORT,
  isEmptyFilter,
  parseCustomerListParams,
  type CustomerFilter,
  type CustomerSort,
  type CustomerSortKey,
  type ParsedCustomerList,
} from './customer.list-params.js';
export {
  CUSTOMER_SORTS,
  CustomerListFilters,
  CustomerListParams,
  CustomerTagRef,
  type CustomerSortParam,
} from './customer.schemas.js';
export { SUSPENSION_REASONS, type SuspensionReason } from './customer.table.js';
// Suspend and resume (the customer-suspension module composes them) and the check every payment makes.
export { changeCustomerSuspension, suspendedPayerOf } from './customer.suspend.js';

export { checkMetadata, normalizeEmail, normalizeName, normalizePhone } from './customer.normalize.js';
export { duplicateNameKey, sealContact, wipedContact, type SealedContact } from './customer.seal.js';
export { sealContacts } from './customer-seal.batch.js';
export { customerMerged, MERGED_INTO_HEADER, requireLiveCustomer, resolveCustomerRef } from './customer.merged.js';
// Bulk tag and untag (customer-tags): which of many ids are live, locked against merge, erase, delete.
export { lockCustomerStates, type CustomerState } from './customer-states.repository.js';
export {
  findCustomersByIds,
  listCustomersMissingNameIndex,
  listDuplicateGroups,
  lockCustomerForMerge,
  markCustomerMerged,
  repointMergedCustomers,
  setCustomerNameIndexes,
  writeMergeSurvivor,
  type MergeRow,
} from './customer-merge.repository.js';
export { decryptContact, decryptName, type PlainContact } from './customer.view.js';

export {
  allowBulkSearchIndexing,
  countCustomers,
  customerExists,
  findCustomerIdByEmailIndex,
  findCustomersByEmailIndexes,
  insertCustomersIfEmailFree,
  type ImportedCustomerRow,
  lockCustomerRow,
  mergeSearchPendingList,
  updateCustomer as updateCustomerColumns,
  type CustomerChanges,
  type CustomerRecord,
} from './customer.repository.js';
export {
  customerOfFailedPayment,
  customerPaymentUpsert,
  findCustomerAggregateDrift,
  takeBackTotalSpent,
  writeCustomerAggregates,
  type AggregateDrift,
  type CustomerAggregates,
  type PaymentCustomer,
} from './customer-aggregates.repository.js';
export { payerCustomer } from './customer.payer.js';
export {
  countCustomersOffKey,
  countCustomersPerKey,
  customerUnderKey,
  lockCustomersOffKey,
  updateResealedCustomers,
  type ResealedRow,
  type SweepRow,
} from './customer-reseal.repository.js';
export {
  CUSTOMER_SOURCES,
  type CustomerRow,
  type CustomerSource,
  type CustomerTable,
  type NewCustomerRow,
} from './customer.table.js';
export {
  Customer,
  CustomerCreateBody,
  CustomerList,
  MergedCustomer,
  type CustomerListView,
  type CustomerView,
  type MergedCustomerView,
} from './customer.schemas.js';
// Erase (customer-erase module): the row's statements, the reason's redaction, the view of the result.
export { resealedContact } from './customer.seal.js';
export { redactReason } from './customer.reveal-reason.js';
export { checkReason } from './customer.reveal.js';
export {
  lockCustomerForErase,
  wipeErasedCustomer,
  type ErasableCustomer,
  type WipedColumns,
} from './customer-erase.repository.js';
