import fs from 'node:fs';
import path from 'node:path';

/**
 * Where a server running on the embedded database listens, so that CLI commands, which cannot
 * open the database while the server holds it, know whom to ask. Written by the lock holder.
 */
export interface ServerAddress {
  url: string;
  pid: number;
}

function addressFile(dataDir: string): string {
  return path.join(dataDir, 'server.json');
}

export function writeServerAddress(dataDir: string, url: string): void {
  fs.writeFileSync(addressFile(dataDir), JSON.stringify({ url, pid: process.pid }) + '\n', { mode: 0o600 });
}

export function readServerAddress(dataDir: string): ServerAddress | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(addressFile(dataDir), 'utf8')) as Partial<ServerAddress>;
    return typeof parsed.url === 'string' && typeof parsed.pid === 'number'
      ? { url: parsed.url, pid: parsed.pid }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the file if this process wrote it. */
export function removeServerAddress(dataDir: string): void {
  if (readServerAddress(dataDir)?.pid === process.pid) fs.rmSync(addressFile(dataDir), { force: true });
}
