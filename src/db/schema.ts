import type { BrandKeyTable, BrandTable, KeyringStateTable } from '../modules/brands/brand.table.js';
import type { ApiKeyTable } from '../modules/api-keys/api-key.table.js';
import type { CustomerTable } from '../modules/customers/customer.table.js';
import type { IdempotencyKeyTable } from '../modules/idempotency/idempotency.table.js';
import type { AuditEventTable } from '../modules/audit/audit.table.js';
import type { ExchangeRateTable } from '../modules/exchange-rates/exchange-rate.table.js';
import type { BrandCounterTable } from '../modules/public-paths/brand-counter.table.js';
import type { PublicPathTable } from '../modules/public-paths/public-path.table.js';
import type { PaymentLinkTable } from '../modules/payment-links/payment-link.table.js';
import type { CheckoutSessionTable } from '../modules/checkout/checkout-session.table.js';
import type { InvoiceTable } from '../modules/invoices/invoice.table.js';
import type { TransactionTable } from '../modules/transactions/transaction.table.js';
import type { SiteUserTable } from '../modules/site-users/user.table.js';
import type { OrderTable } from '../modules/orders/order.table.js';
import type { CustomerEventTable } from '../modules/timeline/customer-event.table.js';
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
  exchange_rates: ExchangeRateTable;
  public_paths: PublicPathTable;
  brand_counters: BrandCounterTable;
  payment_links: PaymentLinkTable;
  checkout_sessions: CheckoutSessionTable;
  invoices: InvoiceTable;
  transactions: TransactionTable;
  site_users: SiteUserTable;
  orders: OrderTable;
  customer_events: CustomerEventTable;
}
