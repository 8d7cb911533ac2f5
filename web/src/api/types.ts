/*
 * The shapes the Paydesk API answers, generated from its OpenAPI document (npm run generate:api-types
 * writes ./generated/openapi.ts from the server's schemas; npm run typecheck and npm run build run it first).
 * Nothing here is copied by hand: a field added to a server schema appears in these types.
 */
import type { components, operations } from './generated/openapi';

type Schemas = components['schemas'];

/** The JSON body an operation takes, by its operationId. */
export type RequestBody<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

export type Money = Schemas['Money'];
export type Session = Schemas['Session'];
export type Membership = Session['brands'][number];
export type Role = Membership['role'];
/** What a role may do in a brand, as the session lists it. */
export type Permission = Membership['permissions'][number];
export type Customer = Schemas['Customer'];
export type CustomerContact = Schemas['CustomerContact'];
export type CustomerStats = Schemas['CustomerStats'];
/** How many customers a list matches; count is null ("many") when counting would be slow. */
export type CustomerCount = Schemas['CustomerCount'];
/** The customers list's sort, filters and search as query parameters, without paging (saved views hold these). */
export type CustomerListParams = Schemas['CustomerListParams'];
export type CustomerSort = NonNullable<CustomerListParams['sort']>;
export type SuspensionReason = NonNullable<Customer['suspension']>['reason'];
/** A tag as a customer carries it. */
export type CustomerTagRef = Schemas['CustomerTagRef'];
/** One of the brand's tags, with how many customers have it. */
export type CustomerTag = Schemas['CustomerTag'];
export type TagColor = CustomerTag['color'];
/** A saved view of the customers list: its name, who sees it, and the list's parameters. */
export type CustomerView = Schemas['CustomerView'];
/** A bulk action's job: progress, then what it did and each customer it left alone, with the reason. */
export type CustomerBulkJob = Schemas['CustomerBulkJob'];
/** A private note about a customer, shared with the brand's staff. */
export type Note = Schemas['Note'];
export type NoteAuthor = Schemas['NoteAuthor'];
/** One entry of a customer's timeline: what happened, who did it, and ids of what it is about. */
export type CustomerEvent = Schemas['CustomerEvent'];
export type CustomerEventType = CustomerEvent['type'];
/** What the timeline is filtered by: the part of an event's type before the dot. */
export type CustomerEventKind = NonNullable<
  NonNullable<operations['getCustomerTimeline']['parameters']['query']>['kind']
>;
export type StaffMember = Schemas['StaffMember'];
export type StaffInvitation = Schemas['StaffInvitation'];
export type StaffInvitationCreated = Schemas['StaffInvitationCreated'];
export type PublicStaffInvitation = Schemas['PublicStaffInvitation'];
/** A started password reset: its one-time link, shown once. */
export type StaffPasswordResetStarted = Schemas['StaffPasswordResetStarted'];
export type PublicStaffPasswordReset = Schemas['PublicStaffPasswordReset'];
export type Transaction = Schemas['Transaction'];
export type TransactionStatus = Transaction['status'];
export type Invoice = Schemas['Invoice'];
export type InvoiceStatus = Invoice['status'];
export type LineItem = Schemas['InvoiceLineItem'];
export type PaymentLink = Schemas['PaymentLink'];
export type Brand = Schemas['Brand'];
/** The three switches of automatic customer creation (registrations, orders, payments). */
export type AutoCreateCustomers = Brand['settings']['auto_create_customers'];
export type ExchangeRates = Schemas['ExchangeRates'];
/** A storefront account of the merchant's site, registered by their backend. */
export type SiteUser = Schemas['SiteUser'];
export type Order = Schemas['Order'];
export type OrderStatus = Order['status'];
/** The ways staff record money they received for an order (a card pays online instead). */
export type OfflineMethod = Exclude<NonNullable<Order['payment_method']>, 'card'>;
export type CheckoutSession = Schemas['CheckoutSession'];

/* Public client pages (/api/public/...). */
export type PublicPaymentLink = Schemas['PublicPaymentLink'];
export type PublicCheckout = Schemas['PublicCheckout'];
export type PublicInvoice = Schemas['PublicInvoice'];
export type PaymentResult = Schemas['PayResult'];

/**
 * A list envelope with its item type (CustomerList, TransactionList, … share it; the staff list has no
 * cursor, so has_more and next_cursor are optional here).
 */
type Envelope = Schemas['CustomerList'];
export type List<T> = Pick<Envelope, 'object'> & Partial<Pick<Envelope, 'has_more' | 'next_cursor'>> & { data: T[] };

export type FieldError = Schemas['FieldError'];

/**
 * RFC 9457 problem details; `code` is the stable part, the rest of the keys depend on it. `type` and
 * `title` are optional here only because the client makes its own problem when the server cannot be reached.
 */
type ProblemSchema = Schemas['Problem'];
export type Problem = Pick<ProblemSchema, 'status' | 'code' | 'detail' | 'errors'> &
  Partial<Pick<ProblemSchema, 'type' | 'title'>> & { [key: string]: unknown };
