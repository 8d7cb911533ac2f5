import { describe, expect, it } from 'vitest';
import { mayGrantRole } from './grants.js';
import { ROLE_PERMISSIONS, ROLES, roleAllows, type Role } from './permissions.js';

describe('role table', () => {
  it('gives manager raw contact data and no reveal, support reveal and no edit', () => {
    expect(roleAllows('manager', 'customers.read_raw_contact')).toBe(true);
    expect(roleAllows('manager', 'customers.reveal')).toBe(false);
    expect(roleAllows('support', 'customers.reveal')).toBe(true);
    expect(roleAllows('support', 'customers.edit')).toBe(false);
    expect(roleAllows('support', 'customers.delete')).toBe(false);
    expect(roleAllows('viewer', 'customers.reveal')).toBe(false);
  });

  it('gives developers API keys, payments, site users and orders, and nothing of customers', () => {
    expect(ROLE_PERMISSIONS.developer).toEqual([
      'api_keys.manage',
      'payments.read',
      'payments.create',
      'users.read',
      'users.write',
      'orders.read',
      'orders.write',
      'orders.record_payment',
    ]);
    expect(ROLE_PERMISSIONS.developer.filter((p) => p.startsWith('customers.'))).toEqual([]);
  });

  it('lets masked roles read site users and orders but change neither', () => {
    for (const role of ['support', 'viewer'] as const) {
      expect([roleAllows(role, 'users.read'), roleAllows(role, 'orders.read')]).toEqual([true, true]);
      expect([roleAllows(role, 'users.write'), roleAllows(role, 'orders.write')]).toEqual([false, false]);
      expect(roleAllows(role, 'orders.record_payment')).toBe(false);
    }
  });

  it('lets only owners and admins read the audit log and rotate keys', () => {
    const holders = (p: 'audit.read' | 'keys.rotate') => ROLES.filter((r) => roleAllows(r, p));
    expect(holders('audit.read')).toEqual(['owner', 'admin']);
    expect(holders('keys.rotate')).toEqual(['owner', 'admin']);
  });
});

describe('mayGrantRole', () => {
  const grantable = (granter: Role) => ROLES.filter((role) => mayGrantRole(granter, role));

  it.each<[Role, Role[]]>([
    ['owner', ['owner', 'admin', 'manager', 'support', 'viewer', 'developer']],
    ['admin', ['admin', 'manager', 'support', 'viewer', 'developer']],
    ['manager', ['manager', 'viewer']],
    ['support', ['support', 'viewer']],
    ['viewer', ['viewer']],
    ['developer', ['developer']],
  ])('%s may grant %j', (granter, roles) => {
    expect(grantable(granter)).toEqual(roles);
  });

  it('never grants a permission the granter lacks', () => {
    for (const granter of ROLES) {
      for (const role of grantable(granter)) {
        for (const permission of ROLE_PERMISSIONS[role]) expect(roleAllows(granter, permission)).toBe(true);
      }
    }
  });
});
