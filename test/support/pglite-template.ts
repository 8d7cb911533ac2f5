import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { dumpEmbeddedDatabase, openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated, empty PGlite data directory as a tarball (global setup writes it once per run). */
    pgliteTemplate: string;
  }
}

/*
 * A fresh in-memory PGlite runs initdb (seconds of WebAssembly) and then every migration; a hundred
 * test files did that each. The global setup does it once and dumps the result; each test opens a
 * copy of that directory instead, which starts in a fraction of the time and is the same database.
 */

export async function writePgliteTemplate(): Promise<string> {
  const database = await openDatabase({});
  try {
    await migrateToLatest(database.db);
    const dump = await dumpEmbeddedDatabase(database.db);
    const file = path.join(os.tmpdir(), `paydesk-pglite-template-${process.pid}.tar.gz`);
    fs.writeFileSync(file, Buffer.from(await dump!.arrayBuffer()));
    return file;
  } finally {
    await database.close();
  }
}

let template: Blob | undefined;

/** An in-memory PGlite, migrated: a copy of the run's template. */
export async function openMigratedPglite(): Promise<DatabaseHandle> {
  template ??= new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
  return openDatabase({ loadDataDir: template });
}
