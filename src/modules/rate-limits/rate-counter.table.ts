/** One key's current window (migration 0013); the key is an HMAC, never what it counts. */
export interface RateCounterTable {
  key_hash: Buffer;
  window_start: Date;
  expires_at: Date;
  count: number;
}
