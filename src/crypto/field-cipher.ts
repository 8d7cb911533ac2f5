import { open, seal } from './aead.js';
import type { DataKeys } from './keyring.js';

/** Which value a ciphertext belongs to; all of it is bound into the ciphertext as associated data. */
export interface FieldBinding {
  merchantId: string;
  table: string;
  column: string;
  rowId: string;
}

const FORMAT_VERSION = 1;
const HEADER_BYTES = 5; // version (1) ‖ data key id (uint32 BE)

export class FieldDecryptError extends Error {}

/** Encrypts a personal value under the brand's active data key: header ‖ nonce ‖ ciphertext ‖ tag. */
export function encryptField(keys: DataKeys, binding: FieldBinding, plaintext: string): Buffer {
  return encryptBytes(keys, binding, Buffer.from(plaintext, 'utf8'));
}

export function decryptField(keys: DataKeys, binding: FieldBinding, sealed: Buffer): string {
  return decryptBytes(keys, binding, sealed).toString('utf8');
}

/** encryptField for binary values (a customer's image): the same format, header and binding. */
export function encryptBytes(keys: DataKeys, binding: FieldBinding, plaintext: Buffer): Buffer {
  const key = keys.dataKeys.get(keys.activeDataKeyId);
  if (!key) throw new FieldDecryptError('active data key missing');
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(FORMAT_VERSION, 0);
  header.writeUInt32BE(keys.activeDataKeyId, 1);
  return Buffer.concat([header, seal(key, plaintext, aad(header, binding))]);
}

export function decryptBytes(keys: DataKeys, binding: FieldBinding, sealed: Buffer): Buffer {
  const keyId = fieldKeyId(sealed);
  const key = keys.dataKeys.get(keyId);
  if (!key) throw new FieldDecryptError(`data key ${keyId} is not available`);
  try {
    return open(key, sealed.subarray(HEADER_BYTES), aad(sealed.subarray(0, HEADER_BYTES), binding));
  } catch {
    // Wrong row, column or brand (a copied ciphertext), or tampering: never return anything.
    throw new FieldDecryptError(`${binding.table}.${binding.column} of ${binding.rowId} does not decrypt`);
  }
}

/** The data key a ciphertext was written under, read from its header. */
export function fieldKeyId(sealed: Buffer): number {
  if (sealed.length < HEADER_BYTES || sealed.readUInt8(0) !== FORMAT_VERSION) {
    throw new FieldDecryptError('unknown ciphertext format');
  }
  return sealed.readUInt32BE(1);
}

function aad(header: Buffer, b: FieldBinding): Buffer {
  return Buffer.concat([header, Buffer.from(`\0${b.merchantId}\0${b.table}\0${b.column}\0${b.rowId}`)]);
}
