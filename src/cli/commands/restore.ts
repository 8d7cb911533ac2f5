import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createContext } from '../../app.js';
import type { Config } from '../../config.js';
import { parseConfig } from '../../config.js';
import { KeyringError } from '../../crypto/keyring.js';
import { DatabaseLockedError, openDatabase } from '../../db/database.js';
import { listBrandIds } from '../../modules/brands/index.js';
import {
  backupFormat,
  dataDirRestoreProblem,
  isDatabaseEmpty,
  pgRestore,
  PgToolError,
  readMasterKey,
  restoreIntoDataDir,
  type BackupFormat,
} from '../../modules/backups/index.js';
import { CliError } from '../command.js';
import { EXIT } from '../output.js';
import { fileCommand } from './backup.js';

/** `restore FILE`: a backup into a new installation, with no server running on it. */
export const restoreCommand = fileCommand({
  name: 'restore',
  usage: 'restore FILE',
  summary:
    'Loads a backup made by `backup FILE` into a new installation, no server running. Embedded database: into ' +
    'a PAYDESK_DATA_DIR that holds only the master.key of the installation that made it (or give its ' +
    'PAYDESK_MASTER_KEY). PostgreSQL: pg_restore into DATABASE_URL, an empty database. Then npm start serves it.',
  options: {},
  async run(_values, io, file) {
    const config = parseConfig(io.env);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`No file ${file}`);
    const format = backupFormat(readHead(file));
    if (format === 'unknown') {
      throw new CliError(
        `${file} is not a Paydesk backup (neither a PGlite tarball nor a pg_dump custom-format archive)`,
      );
    }
    const brands = config.databaseUrl
      ? await restorePostgres(config, config.databaseUrl, file, format)
      : await restoreEmbedded(config, file, format);
    io.err.write(
      `restored ${brands} brand${brands === 1 ? '' : 's'} from ${file}. Start the server on it: ` +
        (config.databaseUrl ? 'npm start (with this DATABASE_URL)' : `PAYDESK_DATA_DIR=${config.dataDir} npm start`) +
        '\n',
    );
    return EXIT.ok;
  },
});

async function restoreEmbedded(config: Config, file: string, format: BackupFormat): Promise<number> {
  if (format === 'pg_dump') {
    throw new CliError(
      `${file} is a PostgreSQL backup (pg_dump): set DATABASE_URL to an empty database to restore it there.`,
    );
  }
  const problem = dataDirRestoreProblem(config.dataDir, config.masterKey !== undefined);
  if (problem) throw new CliError(problem);
  const pgliteDir = path.join(config.dataDir, 'pglite');
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    await restoreIntoDataDir(pgliteDir, fs.readFileSync(file));
  } catch (error) {
    // Locked: a process started on the directory meanwhile, and what is there is its own.
    if (error instanceof DatabaseLockedError) throw new CliError(`${error.message}: stop it, then run this again.`);
    fs.rmSync(pgliteDir, { recursive: true, force: true });
    throw new CliError(`${file} could not be loaded as an embedded database: ${(error as Error).message}`);
  }
  try {
    return await openedBrands(config);
  } catch (error) {
    // A database the key cannot open is no restore: leave the directory as it was.
    fs.rmSync(pgliteDir, { recursive: true, force: true });
    throw error;
  }
}

async function restorePostgres(
  config: Config,
  databaseUrl: string,
  file: string,
  format: BackupFormat,
): Promise<number> {
  if (format === 'pglite') {
    throw new CliError(
      `${file} is a backup of the embedded database (PGlite): restore it without DATABASE_URL, with PAYDESK_DATA_DIR ` +
        'set to a new directory that holds only master.key.',
    );
  }
  if (!readMasterKey(config.masterKey, config.dataDir)) {
    throw new CliError(
      'No master key: the backup holds none, by design. Set PAYDESK_MASTER_KEY to the key of the installation that made it.',
    );
  }
  const database = await openDatabase({ url: databaseUrl, poolSize: 1 });
  try {
    if (!(await isDatabaseEmpty(database.db))) {
      throw new CliError(
        'The database of DATABASE_URL has tables already. Restore into a new, empty database ' +
          '(CREATE DATABASE …, owned by the role of DATABASE_URL), then point DATABASE_URL at it.',
      );
    }
  } finally {
    await database.close();
  }
  try {
    await pgRestore(databaseUrl, file);
  } catch (error) {
    if (error instanceof PgToolError && error.missing) {
      throw new CliError(
        'pg_restore is not on PATH. Install the PostgreSQL client tools (Debian: apt install postgresql-client), ' +
          `or restore with: pg_restore --no-owner --no-privileges --single-transaction -d "$DATABASE_URL" ${file}`,
      );
    }
    if (error instanceof PgToolError) throw new CliError(`${error.message}\nNothing was restored (one transaction).`);
    throw error;
  }
  return openedBrands(config);
}

/** Opens the restored database as the server will (migrations, master key check): its brands. */
async function openedBrands(config: Config): Promise<number> {
  let paydesk;
  try {
    paydesk = await createContext(config, { logger: pino({ level: 'silent' }) });
  } catch (error) {
    if (error instanceof KeyringError) {
      throw new CliError(`The backup does not open with this master key. ${error.message}`);
    }
    throw error;
  }
  try {
    return (await listBrandIds(paydesk.ctx.db)).length;
  } finally {
    await paydesk.close();
  }
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}
