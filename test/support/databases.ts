import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import type { Backend } from './backends.js';

/**
 * A database that outlives one handle, for restart tests: PGlite in a temporary data directory,
 * or a fresh schema in TEST_DATABASE_URL. `open` may be called again after the last handle closed.
 */
export interface ReopenableDatabase {
  /** PGlite's data directory (pglite only). */
  dataDir?: string;
  open(): Promise<DatabaseHandle>;
  /** Removes the directory or drops the schema. */
  destroy(): Promise<void>;
}

export async function reopenableDatabase(backend: Backend): Promise<ReopenableDatabase> {
  if (backend === 'pglite') {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-test-'));
    const dataDir = path.join(root, 'pglite');
    return {
      dataDir,
      open: () => openDatabase({ dataDir }),
      destroy: async () => fs.rmSync(root, { recursive: true, force: true }),
    };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  await adminQuery(url, `CREATE SCHEMA ${schema}`);
  return {
    open: () => openDatabase({ url, schema, poolSize: 5 }),
    destroy: () => adminQuery(url, `DROP SCHEMA ${schema} CASCADE`),
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Every regular file under a directory, recursively. */
export function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
