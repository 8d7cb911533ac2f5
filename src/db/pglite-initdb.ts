import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/*
 * A new PGlite data directory is created (initdb) by a short-lived child process. initdb grows
 * PGlite's WebAssembly memory, which never shrinks: done in the server's own process, a first start
 * stayed at 377–618 MB RSS when idle, against 311 MB with initdb done in another process and 282 MB
 * for the same server started again on the same directory. (A worker thread kept 390–420 MB: its
 * memory does not all go back to the system when it ends.)
 */

// Plain CommonJS given to `node -e`, so it runs the same from the sources (tsx) and from dist.
const INITDB_SCRIPT = `
const [pglite, dataDir, startParams] = process.argv.slice(1);
require(pglite).PGlite.create({ dataDir, startParams: JSON.parse(startParams) })
  .then((db) => db.close())
  .catch((error) => { console.error(error); process.exit(1); });
`;

/** Creates the data directory's database when it has none yet; answers when the child has ended. */
export async function initDataDirApart(dataDir: string, startParams: string[]): Promise<void> {
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const child = spawn(process.execPath, ['-e', INITDB_SCRIPT, pglite, dataDir, JSON.stringify(startParams)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`creating the PGlite database in ${dataDir} failed (exit ${code}): ${stderr.trim()}`);
}
