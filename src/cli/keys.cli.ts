import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { createContext, type PaydeskContext } from '../app.js';
import { ConfigError, parseConfig, type Config } from '../config.js';
import { KeyringError } from '../crypto/keyring.js';
import { DatabaseLockedError } from '../db/database.js';
import { DomainError } from '../errors.js';
import { DEFAULT_BATCH_SIZE } from '../modules/keys/key-sweep.js';
import { MasterRotationError } from '../modules/keys/master-rotation.service.js';
import { brandsOf, CliError, localRotate, localRotateMaster, localStatus } from './keys.local.js';
import { remoteRotate, remoteStatus, ServerClient, type RemoteIo } from './keys.remote.js';
import { EXIT, type Output } from './keys.output.js';
import { readServerAddress } from './server-address.js';

export const HELP = `Usage: npm run paydesk -- <command> [options]

Commands:
  keys status                 Each brand's keys, their states and how many customers use each.
  keys rotate                 New data key for new writes; re-encrypts every customer under it in
                              batches while the server keeps serving, then destroys the old key
                              once no row uses it. Stopped (Ctrl-C) or crashed, run it again to resume.
  keys rotate-index           Rebuilds the search index (blind indexes, search tokens) under a new
                              index key, the same way.
  keys rotate-master          Re-wraps every brand key under a new master key, in one transaction.
                              The new key is PAYDESK_NEW_MASTER_KEY, or a new key file when the
                              current key is the key file. Restart every server with the new key.
  reconcile [--fix]           Checks every customer's transactions count, total spent and last
                              payment against the transactions ledger and lists any drift; --fix
                              rewrites the drifted ones from the ledger. Exit 3 when drift is left.

Options:
  --brand ID                  Only this brand (default: every brand).
  --batch N                   Rows per transaction (default ${DEFAULT_BATCH_SIZE}).
  --json                      keys status / reconcile as JSON.
  --server URL                The server to ask when it holds the embedded database
                              (default: the address it published in the data directory).
  -h, --help                  This help.

Configuration comes from the same environment as the server (DATABASE_URL, PAYDESK_DATA_DIR,
PAYDESK_MASTER_KEY, ...).
  PostgreSQL (DATABASE_URL): the command works on the database itself, beside running servers.
  Embedded database (PGlite): a server that is running holds it, so the command asks that server,
  authenticated with PAYDESK_API_KEY (an owner or admin key; it decides the brand). keys
  rotate-master needs the server stopped (it has to restart with the new key anyway).

Exit status: 0 done, 1 error, 2 usage, 3 rows need a person (see the output), 130 stopped.
`;

export interface CliIo extends RemoteIo {
  env: Record<string, string | undefined>;
  out: Output;
  err: Output;
}

type Command = 'status' | 'rotate' | 'rotate-index' | 'rotate-master';
const COMMANDS: readonly Command[] = ['status', 'rotate', 'rotate-index', 'rotate-master'];

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        brand: { type: 'string' },
        batch: { type: 'string' },
        json: { type: 'boolean' },
        server: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    io.out.write(HELP);
    return positionals.length === 0 && !values.help ? EXIT.usage : EXIT.ok;
  }
  const [group, name, ...extra] = positionals;
  const command = COMMANDS.find((c) => c === name);
  if (group !== 'keys' || !command || extra.length > 0) return usage(io, `Unknown command: ${positionals.join(' ')}`);
  let batchSize: number | undefined;
  if (values.batch !== undefined) {
    batchSize = Number(values.batch);
    if (!/^\d+$/.test(values.batch) || batchSize < 1 || batchSize > 5000)
      return usage(io, '--batch must be a whole number from 1 to 5000');
  }
  if (values.brand !== undefined && !/^brd_[0-9a-z]{26}$/.test(values.brand))
    return usage(io, `--brand ${values.brand} is not a brand id (brd_…)`);

  const onAbort = () => io.err.write('\nStopping after the current batch… (Ctrl-C again to quit at once)\n');
  io.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const config = parseConfig(io.env);
    const resume = (merchantId: string) =>
      `npm run paydesk -- keys ${command} --brand ${merchantId}${batchSize === undefined ? '' : ` --batch ${batchSize}`}`;
    const opened = await openLocal(config, command, io);
    if (opened) {
      try {
        return await runLocal(opened, command, values.brand, batchSize, values.json ?? false, resume, io);
      } finally {
        await opened.close();
      }
    }
    const client = serverClient(config, values.server);
    if (command === 'status') return await remoteStatus(client, values.brand, values.json ?? false, io);
    const purpose = command === 'rotate' ? 'data' : 'index';
    return await remoteRotate(client, purpose, values.brand, batchSize, resume, io);
  } catch (error) {
    if (
      error instanceof CliError ||
      error instanceof ConfigError ||
      error instanceof KeyringError ||
      error instanceof MasterRotationError ||
      error instanceof DomainError
    ) {
      io.err.write(`${error.message}\n`);
      return error instanceof CliError ? error.exitCode : error instanceof ConfigError ? EXIT.usage : EXIT.error;
    }
    throw error;
  } finally {
    io.signal.removeEventListener('abort', onAbort);
  }
}

function usage(io: CliIo, message: string): number {
  io.err.write(`${message}\nRun npm run paydesk -- --help for the commands.\n`);
  return EXIT.usage;
}

/** The database itself, or undefined when a running server holds the embedded one. */
async function openLocal(config: Config, command: Command, io: CliIo): Promise<PaydeskContext | undefined> {
  try {
    return await createContext(config, { logger: cliLogger(config, io.err) });
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
    if (command === 'rotate-master') {
      throw new CliError(
        `A Paydesk server holds the embedded database in ${config.dataDir}. Stop it, run keys rotate-master, ` +
          'then start it again (it has to restart with the new master key anyway).',
      );
    }
    return undefined;
  }
}

async function runLocal(
  paydesk: PaydeskContext,
  command: Command,
  brand: string | undefined,
  batchSize: number | undefined,
  json: boolean,
  resume: (merchantId: string) => string,
  io: CliIo,
): Promise<number> {
  if (command === 'rotate-master') {
    if (brand !== undefined) throw new CliError('keys rotate-master covers every brand; drop --brand', EXIT.usage);
    return localRotateMaster(paydesk, io);
  }
  const brandIds = await brandsOf(paydesk, brand);
  if (command === 'status') return localStatus(paydesk, brandIds, json, io);
  // Holding the embedded database's lock, this process is its only user: no other server can hold
  // stale keys, so nothing needs waiting out before old keys are retired.
  const settleMs = io.settleMs ?? (paydesk.database.kind === 'pglite' ? 0 : undefined);
  return localRotate(paydesk, command === 'rotate' ? 'data' : 'index', brandIds, batchSize, resume, {
    ...io,
    settleMs,
  });
}

export function serverClient(config: Config, server: string | undefined): ServerClient {
  const url = server ?? readServerAddress(config.dataDir)?.url ?? `http://127.0.0.1:${config.port}`;
  if (!config.apiKey) {
    throw new CliError(
      `A Paydesk server holds the embedded database in ${path.join(config.dataDir, 'pglite')}, so this command asks it ` +
        `(${url}). Set PAYDESK_API_KEY to an owner or admin API key of the brand, or stop the server.`,
    );
  }
  return new ServerClient(url, config.apiKey);
}

/** Warnings (e.g. about the master key file) as plain lines on stderr, not JSON. */
export function cliLogger(config: Config, err: Output): FastifyBaseLogger {
  const stream = {
    write(line: string) {
      const entry = JSON.parse(line) as { level: number; msg?: string };
      err.write(`${pino.levels.labels[entry.level] ?? 'log'}: ${entry.msg ?? ''}\n`);
    },
  };
  return pino({ level: config.logLevel === 'silent' ? 'silent' : 'warn', base: undefined, timestamp: false }, stream);
}
