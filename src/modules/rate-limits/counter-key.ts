import crypto from 'node:crypto';

/**
 * What a counter row is keyed by: an HMAC of the counted thing (an email with an address, an API
 * key id), under a key derived from the master key, so the table holds no email or address and a
 * reader cannot test guesses against it. A master key rotation starts every count afresh: harmless
 * for windows of minutes.
 */
export type CounterKeyHash = (key: string) => Buffer;

export function counterKeyHasher(secret: Buffer): CounterKeyHash {
  return (key) => crypto.createHmac('sha256', secret).update(key).digest();
}
