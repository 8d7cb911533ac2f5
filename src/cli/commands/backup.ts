import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parseConfig, type Config } from '../../config.js';
import { DatabaseLockedError } from '../../db/database.js';
import { backupProof, dumpStoppedDataDir, pgDump, PgToolError, readMasterKey } from '../../modules/backups/index.js';
import { parseArgs } from 'node:util';
import { CliError, UsageError, type CliCommand, type CliIo } from '../command.js';
import { EXIT, formatCount } from '../output.js';
import { readServerAddress } from '../server-address.js';

/** `backup FILE`: the whole database, online; restore it with `restore FILE`. */
export const backupCommand = fileCommand({
  name: 'backup',
  usage: 'backup FILE',
  summary:
    'Writes a consistent copy of the whole database (every brand) to FILE while servers run. Embedded ' +
    'database: asks the running server (proving it holds the master key), or copies the data directory when ' +
    'no server runs. PostgreSQL: runs pg_dump -Fc. The master key is not in FILE: keep it apart.',
  options: { server: { type: 'string' } },
  async run(values, io, file) {
    const config = parseConfig(io.env);
    const target = path.resolve(file);
    if (fs.existsSync(target)) throw new CliError(`${target} exists already; remove it or choose another name.`);
    const part = `${target}.part`;
    try {
      const how = config.databaseUrl
        ? await postgresBackup(config.databaseUrl, part)
        : await embeddedBackup(config, values.server, part, io);
      fs.renameSync(part, target);
      io.err.write(
        `backed up ${how} to ${target} (${formatCount(fs.statSync(target).size)} bytes).\n` +
          'It holds no key: keep the master key apart from it; `npm run paydesk -- restore FILE` needs both.\n',
      );
      return EXIT.ok;
    } finally {
      fs.rmSync(part, { force: true });
    }
  },
});

async function postgresBackup(databaseUrl: string, part: string): Promise<string> {
  try {
    await pgDump(databaseUrl, part);
  } catch (error) {
    if (error instanceof PgToolError && error.missing) {
      throw new CliError(
        "pg_dump is not on PATH. Install the PostgreSQL client tools of your server's major version " +
          '(Debian: apt install postgresql-client), or back up with: pg_dump -Fc -f FILE "$DATABASE_URL"',
      );
    }
    if (error instanceof PgToolError) throw new CliError(error.message);
    throw error;
  }
  return 'the PostgreSQL database (pg_dump -Fc)';
}

async function embeddedBackup(config: Config, server: string | undefined, part: string, io: CliIo): Promise<string> {
  const pgliteDir = path.join(config.dataDir, 'pglite');
  if (!fs.existsSync(path.join(pgliteDir, 'PG_VERSION'))) {
    throw new CliError(`No embedded database in ${pgliteDir}: nothing to back up (is PAYDESK_DATA_DIR right?)`);
  }
  try {
    fs.writeFileSync(part, await dumpStoppedDataDir(pgliteDir), { mode: 0o600 });
    return `the embedded database in ${pgliteDir} (no server was running)`;
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
  }
  const url = server ?? readServerAddress(config.dataDir)?.url ?? `http://127.0.0.1:${config.port}`;
  const masterKey = readMasterKey(config.masterKey, config.dataDir);
  if (!masterKey) {
    throw new CliError(
      `A Paydesk server holds the embedded database in ${pgliteDir}; it gives a backup only to whoever holds the ` +
        'master key, and there is neither PAYDESK_MASTER_KEY nor a master.key file here. Run this with the ' +
        "server's PAYDESK_MASTER_KEY, or stop the server.",
    );
  }
  io.err.write(`The server at ${url} holds the database; it takes the backup.\n`);
  let response: Response;
  try {
    response = await fetch(new URL('/api/v1/backup', url), { headers: { authorization: backupProof(masterKey) } });
  } catch (error) {
    throw new CliError(
      `Another process holds the embedded database, and no Paydesk server answers at ${url} (${(error as Error).message}). ` +
        'If a paydesk command is running, wait for it; then run this again (or pass --server URL).',
    );
  }
  if (response.status !== 200 || !response.body) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string; code?: string };
    throw new CliError(
      `The server refused: ${problem.detail ?? response.statusText} (${problem.code ?? response.status})`,
    );
  }
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  await pipeline(body, fs.createWriteStream(part, { mode: 0o600 }));
  return `the embedded database, taken online by the server at ${url}`;
}

/**
 * A command whose argument is a file after its name (`backup FILE`), which defineCommand does not
 * take; `restore` is one too.
 */
export function fileCommand(spec: {
  name: string;
  usage: string;
  summary: string;
  options: { server?: { type: 'string' } };
  run(values: { server?: string | undefined }, io: CliIo, file: string): Promise<number>;
}): CliCommand {
  return {
    ...spec,
    async run(argv, io) {
      let parsed;
      try {
        parsed = parseArgs({ args: argv, options: spec.options, allowPositionals: true });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const [name, file, ...extra] = parsed.positionals;
      if (name !== spec.name || extra.length > 0) {
        throw new UsageError(`Unknown command: ${parsed.positionals.join(' ')}`);
      }
      if (!file) throw new UsageError(`Name the file: npm run paydesk -- ${spec.usage}`);
      return spec.run(parsed.values as { server?: string | undefined }, io, file);
    },
  };
}
