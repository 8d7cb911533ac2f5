/** Roles → permissions (the one table), principals and the checks every service runs. */
export { ROLES, ROLE_PERMISSIONS, requirePermission, roleAllows, type Permission, type Role } from './permissions.js';
export type { Principal } from './principal.js';
export { mayGrantRole } from './grants.js';
