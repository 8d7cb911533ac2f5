import crypto from 'node:crypto';
import { emailBlindIndex, nameBlindIndex, phoneBlindIndex } from '../../crypto/blind-index.js';
import { encryptField } from '../../crypto/field-cipher.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import { searchTokens } from '../../crypto/search-tokens.js';
import { foldText, rowTokenInputs, searchForms } from './customer.search-text.js';
import type { CustomerChanges } from './customer.repository.js';
import type { PlainContact } from './customer.view.js';

export type SealedContact = Required<
  Pick<
    CustomerChanges,
    | 'name_enc'
    | 'email_enc'
    | 'phone_enc'
    | 'email_bidx'
    | 'phone_bidx'
    | 'name_bidx'
    | 'search_tokens'
    | 'data_key_id'
    | 'index_key_id'
  >
>;

/**
 * Every personal column of a customer row, computed together so ciphertexts, blind indexes and
 * search tokens always agree and all sit under the brand's current keys.
 */
export function sealContact(keys: BrandKeys, merchantId: string, id: string, contact: PlainContact): SealedContact {
  const bind = (column: string) => ({ merchantId, table: 'customers', column, rowId: id });
  return {
    name_enc: encryptField(keys, bind('name'), contact.name),
    email_enc: encryptField(keys, bind('email'), contact.email),
    phone_enc: contact.phone === null ? null : encryptField(keys, bind('phone'), contact.phone),
    email_bidx: emailBlindIndex(keys.index, contact.email),
    phone_bidx: contact.phone === null ? null : phoneBlindIndex(keys.index, contact.phone),
    name_bidx: nameBlindIndex(keys.index, duplicateNameKey(contact.name)),
    search_tokens: searchTokens(keys.index, rowTokenInputs(searchForms(contact))),
    data_key_id: keys.activeDataKeyId,
    index_key_id: keys.index.keyId,
  };
}

/** The form of a name that duplicate detection compares: case, accents and spacing folded. */
export function duplicateNameKey(name: string): string {
  return foldText(name);
}

/**
 * The personal columns of a customer who was erased or merged into another: no ciphertext at all
 * (empty, so nothing decrypts to the old values), no name or phone index, no search tokens, and a
 * random email index that matches no email, so the email may belong to a new customer.
 */
export function wipedContact(): Omit<SealedContact, 'data_key_id' | 'index_key_id'> & { metadata: string } {
  return {
    name_enc: Buffer.alloc(0),
    email_enc: Buffer.alloc(0),
    phone_enc: null,
    email_bidx: crypto.randomBytes(16),
    phone_bidx: null,
    name_bidx: null,
    search_tokens: [],
    metadata: '{}',
  };
}

/** Whether the row's contact was wiped (erase, merge): there is nothing to decrypt. */
export function isWiped(row: { name_enc: Buffer }): boolean {
  return row.name_enc.length === 0;
}

/**
 * A row sealed again under the brand's active keys (key rotation). A wiped row has nothing to decrypt:
 * it stays wiped (a fresh random email index) and only moves to the active key ids, so a rotation
 * finishes with erased and merged customers present.
 */
export function resealedContact(
  keys: BrandKeys,
  row: { merchant_id: string; id: string; name_enc: Buffer },
  decrypt: () => PlainContact,
): SealedContact {
  if (isWiped(row)) {
    const { metadata: _metadata, ...wiped } = wipedContact();
    return { ...wiped, data_key_id: keys.activeDataKeyId, index_key_id: keys.index.keyId };
  }
  return sealContact(keys, row.merchant_id, row.id, decrypt());
}
