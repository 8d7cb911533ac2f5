import type { Role } from '../../api/types';

/** A role in a few words: the Roles card and the invitation's role hint. */
export const ROLE_HELP: Record<Role, string> = {
  owner: 'Everything, including other owners',
  admin: 'Everything but owners',
  manager: 'Customers and payments',
  support: 'Customers, contact details masked',
  viewer: 'Reads customers, masked',
  developer: 'API keys only, no customer data',
};

/**
 * What a member may do once given the role, to end "They will be able to …" in the role change's
 * confirmation. Kept in step with the server's role table (src/modules/access/permissions.ts).
 */
export const ROLE_POWERS: Record<Role, string> = {
  owner: 'do everything in this brand, including adding and removing other owners',
  admin:
    'do everything but manage owners: invite and remove staff, change brand settings, API keys and webhooks, refund payments and erase customers',
  manager:
    "see customers' full email and phone, edit, merge and delete customers, create payment links and invoices, refund payments, and manage orders and site users",
  support:
    'see customers with email and phone masked (revealing one at a time, with a reason), add customers and notes, and read payments, orders and site users',
  viewer: 'read customers (email and phone masked), payments, orders and site users, and change nothing',
  developer:
    'manage API keys and create payment links, invoices, orders and site users through the API, without seeing customers',
};
