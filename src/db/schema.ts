import type { BrandKeyTable, BrandTable, KeyringStateTable } from '../modules/brands/brand.table.js';
import type { ApiKeyTable } from '../modules/api-keys/api-key.table.js';
import type { CustomerTable } from '../modules/customers/customer.table.js';
import type { IdempotencyKeyTable } from '../modules/idempotency/idempotency.table.js';
import type { AuditEventTable } from '../modules/audit/audit.table.js';
import type { StaffMembershipTable, StaffSessionTable, StaffTable } from '../modules/staff/staff.table.js';

export interface DB {
  keyring_state: KeyringStateTable;
  brands: BrandTable;
  brand_keys: BrandKeyTable;
  api_keys: ApiKeyTable;
  customers: CustomerTable;
  idempotency_keys: IdempotencyKeyTable;
  audit_events: AuditEventTable;
  staff: StaffTable;
  staff_memberships: StaffMembershipTable;
  staff_sessions: StaffSessionTable;
}
