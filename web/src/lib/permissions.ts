import type { Membership, Permission, Role } from '../api/types';

/**
 * Whether the caller's role in the active brand includes the permission, as the session lists it (the
 * server sends its one role table's answer). Used only to hide what a role cannot use: the server checks
 * every call itself.
 */
export function can(membership: Pick<Membership, 'permissions'> | null | undefined, permission: Permission): boolean {
  return membership?.permissions.includes(permission) ?? false;
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  support: 'Support',
  viewer: 'Viewer',
  developer: 'Developer',
};
