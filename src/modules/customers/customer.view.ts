import { decryptField } from '../../crypto/field-cipher.js';
import type { DataKeys } from '../../crypto/keyring.js';
import { maskE164, maskEmail } from '../../crypto/masking.js';
import { roleAllows, type Principal } from '../access/index.js';
import type { CustomerRecord } from './customer.repository.js';
import { isWiped } from './customer.seal.js';
import type { CustomerTagRef, CustomerView } from './customer.schemas.js';

export interface PlainContact {
  name: string;
  email: string;
  phone: string | null;
}

/** What a wiped row (erased, or merged into another) shows instead of contact data. */
export const ERASED_CONTACT: PlainContact = { name: 'Erased customer', email: '', phone: null };

export function decryptContact(
  keys: DataKeys,
  row: Pick<CustomerRecord, 'merchant_id' | 'id' | 'name_enc' | 'email_enc' | 'phone_enc'>,
): PlainContact {
  if (isWiped(row)) return ERASED_CONTACT;
  const bind = (column: string) => ({ merchantId: row.merchant_id, table: 'customers', column, rowId: row.id });
  return {
    name: decryptField(keys, bind('name'), row.name_enc),
    email: decryptField(keys, bind('email'), row.email_enc),
    phone: row.phone_enc ? decryptField(keys, bind('phone'), row.phone_enc) : null,
  };
}

/** Only the name (lists of payments show who paid, nothing more). */
export function decryptName(keys: DataKeys, row: Pick<CustomerRecord, 'merchant_id' | 'id' | 'name_enc'>): string {
  if (isWiped(row)) return ERASED_CONTACT.name;
  return decryptField(
    keys,
    { merchantId: row.merchant_id, table: 'customers', column: 'name', rowId: row.id },
    row.name_enc,
  );
}

/** The columns a view shows besides the decrypted contact. */
export type CustomerFacts = Omit<
  CustomerRecord,
  'name_enc' | 'email_enc' | 'phone_enc' | 'data_key_id' | 'merchant_id'
>;

/** How the caller sees email and phone: raw, or masked on the server so the raw value never leaves it. */
export type ContactAccess = 'raw' | 'masked';

export function contactAccessOf(principal: Principal): ContactAccess {
  return roleAllows(principal.role, 'customers.read_raw_contact') ? 'raw' : 'masked';
}

export function toCustomerView(
  row: CustomerFacts,
  contact: PlainContact,
  baseCurrency: string,
  access: ContactAccess,
  /** The customer's tags; lists and the profile load them (customerTagsOf), other views have none to show. */
  tags: CustomerTagRef[] = [],
  /** A masked caller's running reveal of this customer (the profile looks it up): raw until then. */
  revealedUntil: Date | null = null,
): CustomerView {
  const masked = access === 'masked' && revealedUntil === null;
  return {
    id: row.id,
    object: 'customer',
    ...contactAsShown(contact, masked ? 'masked' : 'raw'),
    contact_masked: masked,
    contact_revealed_until: revealedUntil?.toISOString() ?? null,
    metadata: row.metadata,
    source: row.source,
    user: row.user_id,
    image_url: row.image_updated_at ? customerImageUrl(row.id, row.image_updated_at) : null,
    transactions_count: row.transactions_count,
    total_spent: { amount: Number(row.total_spent_minor), currency: baseCurrency },
    last_payment_at: row.last_payment_at?.toISOString() ?? null,
    erased_at: row.erased_at?.toISOString() ?? null,
    status: row.suspended_at ? 'suspended' : 'active',
    suspension:
      row.suspended_at && row.suspension_reason
        ? { reason: row.suspension_reason, suspended_at: row.suspended_at.toISOString() }
        : null,
    tags,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** The contact as the caller may see it: email and phone masked on the server for a masked role. */
export function contactAsShown(contact: PlainContact, access: ContactAccess): PlainContact {
  if (access === 'raw') return contact;
  return {
    name: contact.name,
    email: maskEmail(contact.email),
    phone: contact.phone === null ? null : maskE164(contact.phone),
  };
}

/** Where a customer's image is served; the version makes browsers fetch a replaced image again. */
export function customerImageUrl(id: string, updatedAt: Date): string {
  return `/api/v1/customers/${id}/image?v=${updatedAt.getTime()}`;
}
