import { ROLE_PERMISSIONS, type Role } from './permissions.js';

/**
 * Whether a caller of role `granter` may hand out (or take away) a credential of role `role`: only
 * when the role grants nothing the granter lacks, and only an owner makes owners. So a developer
 * makes developer keys, an admin any role but owner, and nobody climbs by minting a key.
 */
export function mayGrantRole(granter: Role, role: Role): boolean {
  if (role === 'owner' && granter !== 'owner') return false;
  const held = new Set(ROLE_PERMISSIONS[granter]);
  return ROLE_PERMISSIONS[role].every((permission) => held.has(permission));
}
