import type { Role } from '../api/types';

/**
 * What the UI shows each role: a mirror of src/modules/access/permissions.ts, used only to hide what a
 * role cannot use. The server checks every call itself.
 */
export type UiPermission =
  | 'customers.read'
  | 'customers.reveal'
  | 'customers.create'
  | 'customers.edit'
  | 'customers.delete'
  | 'payments.read'
  | 'payments.create'
  | 'payments.refund'
  | 'brand.manage'
  | 'staff.manage';

const CUSTOMERS: UiPermission[] = [
  'customers.read',
  'customers.reveal',
  'customers.create',
  'customers.edit',
  'customers.delete',
];
const PAYMENTS: UiPermission[] = ['payments.read', 'payments.create', 'payments.refund'];

const ROLE_PERMISSIONS: Record<Role, UiPermission[]> = {
  owner: [...CUSTOMERS, ...PAYMENTS, 'brand.manage', 'staff.manage'],
  admin: [...CUSTOMERS, ...PAYMENTS, 'brand.manage', 'staff.manage'],
  manager: [...CUSTOMERS.filter((p) => p !== 'customers.reveal'), ...PAYMENTS],
  support: ['customers.read', 'customers.reveal', 'customers.create', 'payments.read'],
  viewer: ['customers.read', 'payments.read'],
  developer: ['payments.read', 'payments.create'],
};

export function can(role: Role | undefined, permission: UiPermission): boolean {
  return role !== undefined && ROLE_PERMISSIONS[role].includes(permission);
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  support: 'Support',
  viewer: 'Viewer',
  developer: 'Developer',
};
