import type { BrandKeys } from '../../crypto/keyring.js';
import { maskE164, maskEmail } from '../../crypto/masking.js';
import { roleAllows, type Principal } from '../access/index.js';
import type { UserRecord } from './user.repository.js';
import type { SiteUserView } from './user.schemas.js';
import { unsealUser, type PlainUser } from './user.seal.js';

/** Roles that see customers' contact data masked see users' the same way (README "Roles"). */
export function contactMasked(principal: Principal): boolean {
  return !roleAllows(principal.role, 'customers.read_raw_contact');
}

export function toUserView(row: UserRecord, user: PlainUser, masked: boolean): SiteUserView {
  return {
    id: row.id,
    object: 'user',
    external_id: user.externalId,
    email: masked ? maskEmail(user.email) : user.email,
    email_verified: row.email_verified,
    given_name: user.givenName,
    family_name: user.familyName,
    phone: masked && user.phone !== null ? maskE164(user.phone) : user.phone,
    contact_masked: masked,
    customer: row.customer_id,
    suggested_customer: row.suggested_customer_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function viewUser(keys: BrandKeys, row: UserRecord, principal: Principal): SiteUserView {
  return toUserView(row, unsealUser(keys, row), contactMasked(principal));
}
