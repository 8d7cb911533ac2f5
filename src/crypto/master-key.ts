import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface MasterKeySource {
  key: Buffer;
  /** Where it came from, for the start-up log (never the key itself). */
  origin: 'environment' | 'key-file-created' | 'key-file';
  file?: string;
}

/**
 * PAYDESK_MASTER_KEY when given; otherwise a key file under the data directory, created on first
 * start with owner-only permissions. The key file is a convenience for trials: whoever can read
 * the data directory can read the data.
 */
export function loadMasterKey(fromEnv: Buffer | undefined, dataDir: string): MasterKeySource {
  if (fromEnv) return { key: fromEnv, origin: 'environment' };
  const file = path.join(dataDir, 'master.key');
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return { key, origin: 'key-file', file };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return { key, origin: 'key-file-created', file };
}

/** Identifies a master key without revealing it: lets the server refuse a wrong key at start. */
export function masterKeyFingerprint(key: Buffer): string {
  return crypto.createHmac('sha256', key).update('paydesk master key fingerprint v1').digest('hex').slice(0, 16);
}
