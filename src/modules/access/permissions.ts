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
  | 'keys.read'
  | 'keys.rotate';

const CUSTOMERS: readonly Permission[] = [
  'customers.read',
  'customers.read_raw_contact',
  'customers.reveal',
  'customers.create',
  'customers.edit',
  'customers.delete',
];

// Key status and rotations: brand owners and admins only.
const KEYS: readonly Permission[] = ['keys.read', 'keys.rotate'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: [...CUSTOMERS, ...KEYS],
  admin: [...CUSTOMERS, ...KEYS],
  manager: CUSTOMERS.filter((p) => p !== 'customers.reveal'),
  support: ['customers.read', 'customers.reveal', 'customers.create'],
  viewer: ['customers.read'],
  developer: [],
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
