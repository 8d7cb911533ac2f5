import type { BrandKeyTable, BrandTable, KeyringStateTable } from '../modules/brands/brand.table.js';
import type { ApiKeyTable } from '../modules/api-keys/api-key.table.js';
import type { CustomerTable } from '../modules/customers/customer.table.js';
import type { CustomerContactRevealTable } from '../modules/customers/customer-reveal.table.js';
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
import type { CustomerNoteTable } from '../modules/notes/note.table.js';
import type { CustomerImageTable } from '../modules/images/image.table.js';
import type { CustomerImportTable } from '../modules/customer-imports/customer-import.table.js';
import type { CustomerCountTable, CustomerRankTable } from '../modules/customers/customer-rank.table.js';
import type { CustomerTagLinkTable, CustomerTagTable } from '../modules/customer-tags/customer-tag.table.js';
import type { CustomerViewTable } from '../modules/customer-views/customer-view.table.js';
import type { CustomerBulkJobTable } from '../modules/customer-bulk/customer-bulk-job.table.js';
import type { StaffMembershipTable, StaffSessionTable, StaffTable } from '../modules/staff/staff.table.js';
import type { RateCounterTable } from '../modules/rate-limits/rate-counter.table.js';
import type { StaffInvitationTable } from '../modules/staff/staff-invitation.table.js';
import type { StaffPasswordResetTable } from '../modules/staff/staff-password-reset.table.js';
import type {
  WebhookAttemptTable,
  WebhookDeliveryTable,
  WebhookEndpointTable,
  WebhookEventTable,
} from '../modules/webhooks/webhook.table.js';

export interface DB {
  keyring_state: KeyringStateTable;
  brands: BrandTable;
  brand_keys: BrandKeyTable;
  api_keys: ApiKeyTable;
  customers: CustomerTable;
  customer_contact_reveals: CustomerContactRevealTable;
  idempotency_keys: IdempotencyKeyTable;
  audit_events: AuditEventTable;
  staff: StaffTable;
  staff_memberships: StaffMembershipTable;
  staff_sessions: StaffSessionTable;
  staff_invitations: StaffInvitationTable;
  staff_password_resets: StaffPasswordResetTable;
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
  customer_notes: CustomerNoteTable;
  customer_images: CustomerImageTable;
  customer_imports: CustomerImportTable;
  customer_ranks: CustomerRankTable;
  customer_counts: CustomerCountTable;
  customer_tags: CustomerTagTable;
  customer_tag_links: CustomerTagLinkTable;
  customer_views: CustomerViewTable;
  customer_bulk_jobs: CustomerBulkJobTable;
  rate_counters: RateCounterTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_events: WebhookEventTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
}
