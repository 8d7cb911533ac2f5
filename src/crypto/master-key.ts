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

/**
 * Key-file side of `keys rotate-master`, in an order that survives a crash at any point:
 *   1. the new key goes to master.key.new, the old one is copied to master.key.previous;
 *   2. the database is re-wrapped and its fingerprint switched, in one transaction;
 *   3. master.key.new is renamed over master.key and master.key.previous is removed.
 * A crash before 2 leaves master.key in force (the .new file is dropped on the next attempt); a
 * crash between 2 and 3 is finished at the next start (see adoptPendingKeyFile).
 */
export interface KeyFileRotation {
  file: string;
  pendingFile: string;
  previousFile: string;
}

export function keyFilePaths(dataDir: string): KeyFileRotation {
  const file = path.join(dataDir, 'master.key');
  return { file, pendingFile: `${file}.new`, previousFile: `${file}.previous` };
}

export function stageKeyFile(dataDir: string, newKey: Buffer): KeyFileRotation {
  const paths = keyFilePaths(dataDir);
  fs.rmSync(paths.pendingFile, { force: true });
  writeKeyFile(paths.pendingFile, newKey);
  fs.rmSync(paths.previousFile, { force: true });
  fs.copyFileSync(paths.file, paths.previousFile);
  fs.chmodSync(paths.previousFile, 0o600);
  return paths;
}

/** Step 3: the new key file takes the place of the old one, which is then destroyed. */
export function commitKeyFile(paths: KeyFileRotation): void {
  fs.renameSync(paths.pendingFile, paths.file);
  fs.rmSync(paths.previousFile, { force: true });
}

/** Undoes step 1 after a failed step 2. */
export function abandonKeyFile(paths: KeyFileRotation): void {
  fs.rmSync(paths.pendingFile, { force: true });
  fs.rmSync(paths.previousFile, { force: true });
}

/**
 * When the database already answers to the key in master.key.new (a rotation stopped between
 * steps 2 and 3), finishes step 3 and returns that key; otherwise undefined.
 */
export function adoptPendingKeyFile(dataDir: string, expectedFingerprint: string): Buffer | undefined {
  const paths = keyFilePaths(dataDir);
  if (!fs.existsSync(paths.pendingFile)) return undefined;
  const key = Buffer.from(fs.readFileSync(paths.pendingFile, 'utf8').trim(), 'base64');
  if (key.length !== 32 || masterKeyFingerprint(key) !== expectedFingerprint) return undefined;
  commitKeyFile(paths);
  return key;
}

function writeKeyFile(file: string, key: Buffer): void {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, key.toString('base64') + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
