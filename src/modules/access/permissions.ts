import { DomainError } from '../../errors.js';
import type { Principal } from './principal.js';

/**
 * Roles and what they may do: the one table the service layer checks. Staff and API keys carry a
 * role per brand; the checks never look at how the caller authenticated.
 */
export const ROLES = ['owner', 'admin', 'manager', 'support', 'viewer', 'developer'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'customers.read'
  | 'customers.read_raw_contact'
  | 'customers.reveal'
  | 'customers.create'
  | 'customers.edit'
  | 'customers.delete'
  | 'customers.import'
  | 'customers.merge'
  | 'customers.erase'
  | 'customers.tag'
  | 'customers.suspend'
  | 'customer_views.share'
  | 'keys.read'
  | 'keys.rotate'
  | 'api_keys.manage'
  | 'audit.read'
  | 'staff.read'
  | 'staff.manage'
  | 'payments.read'
  | 'payments.create'
  | 'payments.refund'
  | 'brand.manage'
  | 'users.read'
  | 'users.write'
  | 'orders.read'
  | 'orders.write'
  | 'orders.record_payment'
  | 'notes.write'
  | 'notes.manage'
  | 'webhooks.manage';

const CUSTOMERS: readonly Permission[] = [
  'customers.read',
  'customers.read_raw_contact',
  'customers.reveal',
  'customers.create',
  'customers.edit',
  'customers.delete',
  // Data operations: CSV import (creates, and updates with update_existing), merge of duplicates,
  // erase (owners and admins only: see ROLE_PERMISSIONS).
  'customers.import',
  'customers.merge',
  'customers.erase',
  // The list as a tool: tag and untag (and create the brand's tags), suspend and resume, share a
  // saved view with the brand (anyone who reads customers saves views for themselves).
  'customers.tag',
  'customers.suspend',
  'customer_views.share',
  // Notes on a customer: notes.write adds (and changes one's own), notes.manage changes anyone's.
  'notes.write',
  'notes.manage',
];

// Key status and rotations: brand owners and admins only.
const KEYS: readonly Permission[] = ['keys.read', 'keys.rotate'];

// Staff accounts of the brand (src/modules/staff): list, add, change roles, remove.
const STAFF: readonly Permission[] = ['staff.read', 'staff.manage'];

// Transactions, invoices, payment links, checkout sessions: read; create the things a client pays
// (payment links, checkout sessions, invoices); refund. brand.manage: brand settings and exchange rates.
const PAYMENTS: readonly Permission[] = ['payments.read', 'payments.create', 'payments.refund'];
// Site users (the merchant's storefront accounts; their backend registers them) and orders: read;
// register, change and delete users; create, cancel and fulfil orders; record an offline payment.
const USERS: readonly Permission[] = ['users.read', 'users.write'];
const ORDERS: readonly Permission[] = ['orders.read', 'orders.write', 'orders.record_payment'];
// Webhook endpoints (their deliveries, and the events they carry): owners and admins, who see every
// object the events carry. A payload with raw contact data (contact_data: full) is an owner's choice only.

// Roles without customers.read_raw_contact see email and phone masked (customer.view.ts).
// README "Roles" documents this table; keep the two in step.
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: [
    ...CUSTOMERS,
    ...KEYS,
    'api_keys.manage',
    'audit.read',
    ...STAFF,
    ...PAYMENTS,
    'brand.manage',
    ...USERS,
    ...ORDERS,
    'webhooks.manage',
  ],
  admin: [
    ...CUSTOMERS,
    ...KEYS,
    'api_keys.manage',
    'audit.read',
    ...STAFF,
    ...PAYMENTS,
    'brand.manage',
    ...USERS,
    ...ORDERS,
    'webhooks.manage',
  ],
  // Sees contact data raw, so it has nothing to reveal.
  manager: [
    ...CUSTOMERS.filter((p) => p !== 'customers.reveal' && p !== 'customers.erase'),
    ...PAYMENTS,
    ...USERS,
    ...ORDERS,
  ],
  // Masked; reveals one record at a time, with a reason (audited). Creates, never edits or deletes.
  // Sees payments, users and orders (to answer a client), never refunds.
  support: [
    'customers.read',
    'customers.reveal',
    'customers.create',
    'notes.write',
    'payments.read',
    'users.read',
    'orders.read',
  ],
  viewer: ['customers.read', 'payments.read', 'users.read', 'orders.read'],
  // Integrations: API keys, what a client pays (checkout sessions, links, invoices), the shop's users
  // and orders (registration, profile changes, cash on delivery); still no raw contact data, and no
  // customer endpoints: users and orders show their own contact data masked.
  developer: ['api_keys.manage', 'payments.read', 'payments.create', ...USERS, ...ORDERS],
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** The one check services make before acting; 403 names the missing permission. */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (!roleAllows(principal.role, permission)) {
    throw new DomainError('forbidden', `The ${principal.role} role may not do this (${permission})`, { permission });
  }
}
