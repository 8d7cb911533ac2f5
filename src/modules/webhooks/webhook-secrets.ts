import { decryptField, encryptField } from '../../crypto/field-cipher.js';
import type { BrandKeys } from '../../crypto/keyring.js';

/** Which sealed column: the signing secret, or the one it replaced (signing until its overlap ends). */
export type SecretColumn = 'secret' | 'previous_secret';

/** Signing secrets are sealed like personal data: under the brand's data key, bound to their row and column. */
export function sealSecret(keys: BrandKeys, merchantId: string, id: string, column: SecretColumn, secret: string) {
  return encryptField(keys, { merchantId, table: 'webhook_endpoints', column, rowId: id }, secret);
}

export function openSecret(keys: BrandKeys, merchantId: string, id: string, column: SecretColumn, sealed: Buffer) {
  return decryptField(keys, { merchantId, table: 'webhook_endpoints', column, rowId: id }, sealed);
}

/** The secrets that sign now: the current one, and the previous one until its overlap ends. */
export function signingSecrets(
  keys: BrandKeys,
  row: {
    merchant_id: string;
    id: string;
    secret_enc: Buffer;
    previous_secret_enc: Buffer | null;
    previous_secret_expires_at: Date | null;
  },
  now: Date,
): string[] {
  const secrets = [openSecret(keys, row.merchant_id, row.id, 'secret', row.secret_enc)];
  if (row.previous_secret_enc && row.previous_secret_expires_at && row.previous_secret_expires_at > now) {
    secrets.push(openSecret(keys, row.merchant_id, row.id, 'previous_secret', row.previous_secret_enc));
  }
  return secrets;
}
