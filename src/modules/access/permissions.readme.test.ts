import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, ROLES, type Permission, type Role } from './permissions.js';

/*
 * README "Roles" documents ROLE_PERMISSIONS for people; this keeps the two in step. Each row of the
 * table names the permissions it stands for: a cell that starts with ✓ (or a partial grant such as
 * "own only") needs the role to hold them, a "–" needs it to hold none of them.
 */
const ROWS: Record<string, { all: Permission[]; partial?: Permission[] }> = {
  'List, search, retrieve customers, stats': { all: ['customers.read'] },
  'Email and phone': { all: ['customers.read'] },
  "Reveal one customer's email and phone (with a reason, audited)": { all: ['customers.reveal'] },
  'Create customers (`POST`, `PUT` of a new email)': { all: ['customers.create'] },
  'Edit (`PATCH`, `PUT` of an existing email), delete customers': { all: ['customers.edit', 'customers.delete'] },
  'Import customers from CSV (and update existing ones with `update_existing`)': { all: ['customers.import'] },
  'Find duplicates, merge two customers': { all: ['customers.merge'] },
  "Erase a customer's personal data (keeps the ledger)": { all: ['customers.erase'] },
  "Tag and untag customers, create and change the brand's tags": { all: ['customers.tag'] },
  'Suspend and resume a customer (their payments are refused)': { all: ['customers.suspend'] },
  "Saved views: save one's own; share with the brand": {
    all: ['customers.read', 'customer_views.share'],
    partial: ['customers.read'],
  },
  "Bulk actions (each needs its action's permission; export: anyone who reads customers)": {
    all: ['customers.read', 'customers.tag', 'customers.suspend', 'customers.delete'],
    partial: ['customers.read'],
  },
  'Notes, timeline and image of a customer: read': { all: ['customers.read'] },
  "Notes: add, change or delete one's own": { all: ['notes.write'] },
  "Notes: change or delete anyone's; customer image: upload, remove": { all: ['notes.manage'] },
  'Transactions, invoices, payment links, checkout sessions: read': { all: ['payments.read'] },
  'Create payment links, checkout sessions, invoices': { all: ['payments.create'] },
  Refund: { all: ['payments.refund'] },
  'Site users: list, search, retrieve (contact data masked as for customers)': { all: ['users.read'] },
  'Site users: register, change, delete': { all: ['users.write'] },
  'Orders: list, retrieve': { all: ['orders.read'] },
  'Orders: create, pay online, fulfil, cancel; record an offline payment': {
    all: ['orders.write', 'orders.record_payment'],
  },
  'Brand profile and settings': { all: ['brand.manage'] },
  'API keys: list, create, revoke': { all: ['api_keys.manage'] },
  'Audit log, key status and rotations': { all: ['audit.read', 'keys.read', 'keys.rotate'] },
  'Staff: list, invite, revoke invitations, change roles, remove': { all: ['staff.read', 'staff.manage'] },
  'Webhook endpoints, deliveries and events (full contact data in payloads: owner only)': {
    all: ['webhooks.manage'],
  },
};

// Rows decided by something other than the permission table (signed in as an owner of any brand).
const NOT_IN_TABLE = new Set(['Create another brand (signed in, not with a key)']);

function readmeRoleRows(): Map<string, string[]> {
  const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Roles\n'));
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n').slice(2)) {
    if (line.startsWith('## ')) break;
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length !== ROLES.length + 3 || cells[1] === '' || /^-+$/.test(cells[1] ?? '')) continue;
    rows.set(cells[1]!, cells.slice(2, 2 + ROLES.length));
  }
  return rows;
}

describe('README roles table', () => {
  const rows = readmeRoleRows();
  const holds = (role: Role, permissions: Permission[]) => permissions.every((p) => ROLE_PERMISSIONS[role].includes(p));
  const holdsAny = (role: Role, permissions: Permission[]) =>
    permissions.some((p) => ROLE_PERMISSIONS[role].includes(p));

  it('has a row for every mapped capability and no row this test does not know', () => {
    expect(rows.size).toBeGreaterThan(20);
    for (const label of rows.keys()) expect(ROWS[label] ?? NOT_IN_TABLE.has(label), label).toBeTruthy();
  });

  it.each(Object.keys(ROWS))('%s', (label) => {
    const cells = rows.get(label);
    expect(cells, `README has no row "${label}"`).toBeDefined();
    const { all, partial } = ROWS[label]!;
    ROLES.forEach((role, i) => {
      const cell = cells![i]!;
      const where = `${label} / ${role}: "${cell}"`;
      if (cell === 'not needed') return;
      if (cell === '–') expect(holdsAny(role, all), where).toBe(false);
      else if (cell.startsWith('✓') || cell === 'raw' || cell === 'masked') {
        expect(holds(role, all) || (cell.startsWith('✓ (') && holds(role, partial ?? all)), where).toBe(true);
        if (cell === 'raw') expect(ROLE_PERMISSIONS[role].includes('customers.read_raw_contact'), where).toBe(true);
        if (cell.includes('masked'))
          expect(ROLE_PERMISSIONS[role].includes('customers.read_raw_contact'), where).toBe(false);
      } else {
        // A partial grant ("own only", "export"): the partial permissions, not the whole row.
        expect(holds(role, partial ?? []), where).toBe(true);
        expect(holds(role, all), where).toBe(false);
      }
    });
  });
});
