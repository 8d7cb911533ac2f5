import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Keyring } from '../../crypto/keyring.js';

/*
 * Who may take a backup from a running server. A backup holds every brand, so no brand's API key
 * (not even an owner's) is enough. It goes to whoever holds the master key: the operator, who can
 * read every brand's data already, and whose CLI has the key (PAYDESK_MASTER_KEY or the key file
 * in the data directory). The CLI sends a proof instead of the key: an HMAC, under a subkey derived
 * from the master key, of a fresh timestamp and nonce. It is good for PROOF_WINDOW_MS, so a copied
 * header soon stops working; the server never sees the key itself.
 */

export const BACKUP_AUTH_SCHEME = 'PaydeskMasterKey';
const PROOF_WINDOW_MS = 60_000;
const SUBKEY_LABEL = 'backup-proof v1';

/** The Authorization header value the CLI sends: `PaydeskMasterKey <ms>.<nonce>.<hmac>`. */
export function backupProof(masterKey: Buffer, now: number = Date.now()): string {
  const stamp = `${now}.${crypto.randomBytes(12).toString('base64url')}`;
  return `${BACKUP_AUTH_SCHEME} ${stamp}.${mac(proofKey(new Keyring(masterKey, noBrandKeys)), stamp)}`;
}

/** Whether an Authorization header proves the master key this keyring holds, recently. */
export function isValidBackupProof<E>(keyring: Keyring<E>, header: string | undefined, now: number): boolean {
  const match = /^PaydeskMasterKey (\d{1,16})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(header ?? '');
  if (!match) return false;
  const [, time, nonce, given] = match as unknown as [string, string, string, string];
  if (Math.abs(now - Number(time)) > PROOF_WINDOW_MS) return false;
  const expected = Buffer.from(mac(proofKey(keyring), `${time}.${nonce}`));
  return crypto.timingSafeEqual(expected, Buffer.from(given));
}

/**
 * The master key as the server would load it, never creating one: PAYDESK_MASTER_KEY, or the key
 * file in the data directory; undefined when neither is there.
 */
export function readMasterKey(fromEnv: Buffer | undefined, dataDir: string): Buffer | undefined {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, 'master.key');
  if (!fs.existsSync(file)) return undefined;
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  return key.length === 32 ? key : undefined;
}

function proofKey<E>(keyring: Keyring<E>): Buffer {
  return keyring.systemSubkey(SUBKEY_LABEL);
}

function mac(key: Buffer, stamp: string): string {
  return crypto.createHmac('sha256', key).update(`paydesk backup\n${stamp}`).digest('base64url');
}

function noBrandKeys(): Promise<never[]> {
  return Promise.resolve([]);
}
