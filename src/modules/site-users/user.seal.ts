import { emailBlindIndex, externalIdBlindIndex } from '../../crypto/blind-index.js';
import { decryptField, encryptField } from '../../crypto/field-cipher.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import { searchTokens } from '../../crypto/search-tokens.js';
import { rowTokenInputs, searchForms } from '../customers/index.js';
import type { NewSiteUserRow, SiteUserRow } from './user.table.js';

/** A site user's personal fields in clear (normalised). */
export interface PlainUser {
  externalId: string;
  email: string;
  givenName: string;
  familyName: string;
  phone: string | null;
}

export type SealedUser = Pick<
  NewSiteUserRow,
  | 'external_id_enc'
  | 'external_id_bidx'
  | 'email_enc'
  | 'email_bidx'
  | 'given_name_enc'
  | 'family_name_enc'
  | 'phone_enc'
  | 'search_tokens'
  | 'data_key_id'
  | 'index_key_id'
>;

/** The full name a customer takes from its user: given name, then family name. */
export function fullName(user: Pick<PlainUser, 'givenName' | 'familyName'>): string {
  return `${user.givenName} ${user.familyName}`.trim();
}

/**
 * Every personal column of a site user, computed together under the brand's current keys, bound
 * (associated data) to brand, table, column and row, like a customer's (customer.seal.ts).
 */
export function sealUser(keys: BrandKeys, merchantId: string, id: string, user: PlainUser): SealedUser {
  const bind = (column: string) => ({ merchantId, table: 'site_users', column, rowId: id });
  const contact = { name: fullName(user), email: user.email, phone: user.phone };
  return {
    external_id_enc: encryptField(keys, bind('external_id'), user.externalId),
    external_id_bidx: externalIdBlindIndex(keys.index, user.externalId),
    email_enc: encryptField(keys, bind('email'), user.email),
    email_bidx: emailBlindIndex(keys.index, user.email),
    given_name_enc: encryptField(keys, bind('given_name'), user.givenName),
    family_name_enc: encryptField(keys, bind('family_name'), user.familyName),
    phone_enc: user.phone === null ? null : encryptField(keys, bind('phone'), user.phone),
    search_tokens: searchTokens(keys.index, rowTokenInputs(searchForms(contact))),
    data_key_id: keys.activeDataKeyId,
    index_key_id: keys.index.keyId,
  };
}

export type SealedUserRow = Pick<
  SiteUserRow,
  'merchant_id' | 'id' | 'external_id_enc' | 'email_enc' | 'given_name_enc' | 'family_name_enc' | 'phone_enc'
>;

export function unsealUser(keys: BrandKeys, row: SealedUserRow): PlainUser {
  const bind = (column: string) => ({ merchantId: row.merchant_id, table: 'site_users', column, rowId: row.id });
  return {
    externalId: decryptField(keys, bind('external_id'), row.external_id_enc),
    email: decryptField(keys, bind('email'), row.email_enc),
    givenName: decryptField(keys, bind('given_name'), row.given_name_enc),
    familyName: decryptField(keys, bind('family_name'), row.family_name_enc),
    phone: row.phone_enc ? decryptField(keys, bind('phone'), row.phone_enc) : null,
  };
}
