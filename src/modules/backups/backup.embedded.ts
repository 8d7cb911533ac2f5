import fs from 'node:fs';
import path from 'node:path';
import { dumpEmbeddedDatabase, openDatabase } from '../../db/database.js';

/** What a backup file is, from its first bytes: PGlite's gzip tarball or a pg_dump custom-format archive. */
export type BackupFormat = 'pglite' | 'pg_dump' | 'unknown';

export function backupFormat(head: Buffer): BackupFormat {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'pg_dump';
  return 'unknown';
}

/**
 * The backup of an embedded database no server holds: opened (and locked, so no server starts on
 * it meanwhile) only to be copied. Throws DatabaseLockedError when a process holds it.
 */
export async function dumpStoppedDataDir(pgliteDir: string): Promise<Buffer> {
  const database = await openDatabase({ dataDir: pgliteDir });
  try {
    const tarball = await dumpEmbeddedDatabase(database.db);
    if (!tarball) throw new Error('not an embedded database');
    return Buffer.from(await tarball.arrayBuffer());
  } finally {
    await database.close();
  }
}

/**
 * Why a data directory cannot take a restore, or undefined when it can: it must hold the master key
 * (the backup does not) and nothing else, so that a restore never lands on top of a database.
 */
export function dataDirRestoreProblem(dataDir: string, keyFromEnvironment: boolean): string | undefined {
  const entries = fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : [];
  if (entries.includes('pglite') || entries.some((e) => e.startsWith('pglite.lock'))) {
    return (
      `${dataDir} already holds a database (${path.join(dataDir, 'pglite')}). A restore goes into a new data ` +
      'directory holding only master.key: create one, copy the master.key kept with your backups into it, ' +
      'and run this again with PAYDESK_DATA_DIR set to it.'
    );
  }
  if (!keyFromEnvironment && !entries.includes('master.key')) {
    return (
      `${dataDir} has no master.key. The backup holds no key, by design: copy the master.key of the installation ` +
      'that made the backup into it (mode 600), or set PAYDESK_MASTER_KEY to that key, and run this again.'
    );
  }
  const others = entries.filter((e) => e !== 'master.key');
  if (others.length > 0) {
    return `${dataDir} holds more than master.key (${others.join(', ')}). Restore into a directory holding only master.key.`;
  }
  return undefined;
}

/** Loads a PGlite backup into an empty database directory (created, and locked meanwhile). */
export async function restoreIntoDataDir(pgliteDir: string, tarball: Buffer): Promise<void> {
  const database = await openDatabase({
    dataDir: pgliteDir,
    loadDataDir: new Blob([new Uint8Array(tarball)], { type: 'application/x-gzip' }),
  });
  await database.close();
}
