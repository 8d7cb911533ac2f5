import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { createContext, type PaydeskContext } from '../app.js';
import type { Config } from '../config.js';
import { DatabaseLockedError } from '../db/database.js';
import type { AuditActor } from '../modules/audit/index.js';
import { findBrand, listBrandIds } from '../modules/brands/index.js';
import { CliError, type CliIo } from './command.js';
import type { Output } from './output.js';
import { readServerAddress } from './server-address.js';
import { ServerClient } from './server-client.js';

/*
 * Where a command runs. On PostgreSQL, and on the embedded database with no server running, it
 * opens the database itself (beside running servers, on PostgreSQL). A running server holds the
 * embedded PGlite database (one process only), so then the command asks that server instead,
 * through its API and with PAYDESK_API_KEY, which decides the brand.
 */

export interface LocalOrRemote<T> {
  /** With the database open here; it is closed afterwards. */
  local(paydesk: PaydeskContext): Promise<T>;
  /** Through the server holding the embedded database; or, when the command cannot, why (an error). */
  remote: ((client: ServerClient) => Promise<T>) | { refused: string };
  /** --server: the server to ask (default: the address it published in the data directory). */
  server?: string | undefined;
}

export async function runLocalOrRemote<T>(config: Config, io: CliIo, how: LocalOrRemote<T>): Promise<T> {
  let paydesk: PaydeskContext;
  try {
    paydesk = await createContext(config, { logger: cliLogger(config, io.err) });
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
    if (typeof how.remote !== 'function') throw new CliError(how.remote.refused);
    return how.remote(serverClient(config, how.server));
  }
  try {
    return await how.local(paydesk);
  } finally {
    await paydesk.close();
  }
}

function serverClient(config: Config, server: string | undefined): ServerClient {
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
function cliLogger(config: Config, err: Output): FastifyBaseLogger {
  const stream = {
    write(line: string) {
      const entry = JSON.parse(line) as { level: number; msg?: string };
      err.write(`${pino.levels.labels[entry.level] ?? 'log'}: ${entry.msg ?? ''}\n`);
    },
  };
  return pino({ level: config.logLevel === 'silent' ? 'silent' : 'warn', base: undefined, timestamp: false }, stream);
}

/** Who the audit log says did it, when a command works on the database itself. */
export function cliActor(): AuditActor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the audit row still says it came from the CLI.
  }
  return { type: 'cli', id: user };
}

/** The brands a local command covers: the one named, or all. */
export async function brandsOf(paydesk: PaydeskContext, brand: string | undefined): Promise<string[]> {
  if (brand === undefined) return listBrandIds(paydesk.ctx.db);
  if (!(await findBrand(paydesk.ctx.db, brand))) throw new CliError(`No brand ${brand}`);
  return [brand];
}
