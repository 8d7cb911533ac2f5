import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, type CompiledQuery, type Dialect, type LogConfig, type Transaction } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { intarray } from '@electric-sql/pglite/contrib/intarray';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import type { DB } from './schema.js';
import { MigrationSafePostgresDialect } from './migration-lock.js';
import { initDataDirApart } from './pglite-initdb.js';
import { PreparedStatementClient } from './prepared-client.js';
import { MAIN_SETTINGS, registerWalkDatabase, sessionSetUp, WALK_SETTINGS } from './walk-plan.js';

// int8 (bigint) comes back as text by default; money sums fit well inside 2^53 minor units.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const BYTEA_OID = 17;
/**
 * How long a pooled PostgreSQL connection may sit idle before it is closed. pg-pool's default, 10 s,
 * closed them between two clicks of a staff member, and the next request paid for a new backend:
 * its start, its empty catalog caches, and its first touch of each shared buffer it reads. At 1M
 * customers, list page 1 after a 12-s pause took 58 ms (median) against 15 ms with the connection
 * kept, a 4-digit search 54 against 22 (BENCHMARKS.md, "After a pause"). Ten minutes, as
 * PgBouncer's server_idle_timeout and HikariCP's idleTimeout.
 */
export const IDLE_CONNECTION_MS = 10 * 60_000;
/**
 * A connection idle this long gets a TCP keepalive probe, and one more each time it stays idle as
 * long again. A kept connection may be idle for minutes; a firewall or NAT that forgets quiet flows
 * (some clouds' after 4–6 minutes) would otherwise leave a socket whose next query waits for TCP's
 * retransmissions to give up, and a database host gone without a word is noticed the same way.
 */
export const KEEPALIVE_DELAY_MS = 60_000;

/** The embedded database's buffer pool (see openDatabase). */
const EMBEDDED_SHARED_BUFFERS = '16MB';

export type Database = Kysely<DB>;
/** The database or an open transaction on it: what repositories take. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface DatabaseOptions {
  /** PostgreSQL URL; without it, PGlite. */
  url?: string | undefined;
  /** PGlite data directory; without it (and without url) an in-memory PGlite, for tests. */
  dataDir?: string | undefined;
  /** PostgreSQL schema to work in (tests use one per file). */
  schema?: string | undefined;
  poolSize?: number;
  /** How long opening a connection may take before the query fails (default: no limit). */
  connectTimeoutMs?: number;
  /**
   * Statements marked PREPARED run as named prepared statements (default). Off behind a pooler in
   * transaction mode (DATABASE_PREPARED_STATEMENTS=0): such a pooler hands each transaction to any
   * server connection, where a statement prepared on another one does not exist.
   */
  preparedStatements?: boolean;
  /** Sees every executed query, and the pool that ran it (benchmarks capture SQL to replay it). */
  onQuery?: (query: CompiledQuery, pool: 'main' | 'walk') => void;
  /** A tarball of dumpEmbeddedDatabase to load into an empty dataDir (`paydesk restore`). */
  loadDataDir?: Blob | undefined;
}

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** The embedded database directory is held by another process (a server or a CLI command). */
export class DatabaseLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(`${dataDir} is in use by another Paydesk process (PGlite serves one process at a time)`);
    this.name = 'DatabaseLockedError';
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    // A session of its own per connection, unless a pooler in transaction mode hands them round.
    const sessions = options.preparedStatements !== false;
    const startPool = (settings: Readonly<Record<string, string>>, max: number, name: 'main' | 'walk') => {
      const pool = new pg.Pool({
        Client: sessions ? PreparedStatementClient : pg.Client,
        connectionString: options.url,
        max,
        idleTimeoutMillis: IDLE_CONNECTION_MS,
        keepAlive: true,
        keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
        // Idle connections alone do not keep a process alive (a CLI command, a test worker).
        allowExitOnIdle: true,
        ...(options.connectTimeoutMs ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}),
        ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {}),
        ...sessionSetUp(settings),
      });
      // A connection the server or network drops fails its queries (the request answers 503), and the
      // pool replaces it. node-postgres also emits 'error' on the client, idle (pool) or checked out
      // (client): without listeners that event would end the process.
      pool.on('error', () => {});
      pool.on('connect', (client) => client.on('error', () => {}));
      return new Kysely<DB>({ dialect: new MigrationSafePostgresDialect({ pool }), log: logConfig(options, name) });
    };
    const poolSize = options.poolSize ?? 10;
    const db = startPool(sessions ? MAIN_SETTINGS : {}, poolSize, 'main');
    if (!sessions) return { db, kind: 'postgres', close: () => db.destroy() };
    const walkDb = startPool(WALK_SETTINGS, poolSize, 'walk');
    registerWalkDatabase(db, walkDb);
    return {
      db,
      kind: 'postgres',
      close: async () => {
        try {
          await walkDb.destroy();
        } finally {
          await db.destroy();
        }
      },
    };
  }
  const unlock = options.dataDir ? await lockDataDir(options.dataDir) : async () => {};
  try {
    // initdb's shared_buffers = 128MB sits in the WASM heap, resident from the start: PGlite alone on
    // an empty database 281 → 186 MB RSS with 16MB; the server at 20,000 customers under load
    // 544–714 → 437–503 MB (npm run bench -- embedded), creates and searches as fast within the
    // runs' spread. Pages past it come from the OS page cache (NodeFS), outside this process.
    // PGlite's single-user backend does not read ALTER DATABASE's settings: the search indexes'
    // pending-list bound (migration 0019) is given at start.
    const startParams = [
      ...PGlite.defaultStartParams,
      '-c',
      `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`,
      '-c',
      'gin_pending_list_limit=256kB',
    ];
    if (options.dataDir && !options.loadDataDir) await initDataDirApart(options.dataDir, startParams);
    const client = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: { pg_trgm, intarray },
      startParams,
      // PGlite gives bytea as Uint8Array; node-postgres gives Buffer. Everything above expects Buffer.
      parsers: { [BYTEA_OID]: (text: string) => Buffer.from(text.slice(2), 'hex') },
    });
    const dialect: Dialect = new PGliteDialect(client);
    const db = new Kysely<DB>({ dialect, log: logConfig(options) });
    embedded.set(db, client);
    return {
      db,
      kind: 'pglite',
      close: async () => {
        try {
          await db.destroy();
        } finally {
          await unlock();
        }
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}

const embedded = new WeakMap<Database, PGlite>();

/**
 * The embedded database's directory as a gzip tarball (`paydesk backup`), or undefined on
 * PostgreSQL. PGlite runs in this thread and the copy is read synchronously between two of its
 * queries, so it is the image a crash at that instant would leave: it opens with committed
 * transactions whole and open ones rolled back. CHECKPOINT first, so the restore replays little WAL.
 */
export async function dumpEmbeddedDatabase(db: Database): Promise<Blob | undefined> {
  const client = embedded.get(db);
  if (!client) return undefined;
  await client.query('CHECKPOINT');
  return client.dumpDataDir('gzip');
}

/**
 * PGlite is one process's database: two processes opening one directory corrupt it. Whoever opens
 * it holds `<dataDir>.lock` (a directory proper-lockfile keeps fresh; a crashed holder's lock goes
 * stale after LOCK_STALE_MS). The CLI, finding it held, asks the running server instead.
 */
const LOCK_STALE_MS = 30_000;

async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  try {
    return await takeLock(dataDir);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ELOCKED') throw error;
    if (!holderIsGone(dataDir)) throw new DatabaseLockedError(dataDir);
    // The holder was killed (SIGKILL, power loss): its lock must not keep a restart out for
    // LOCK_STALE_MS. proper-lockfile breaks a stale lock the same way (rmdir, then mkdir).
    fs.rmdirSync(lockFilePath(dataDir));
    try {
      return await takeLock(dataDir);
    } catch (retryError) {
      if ((retryError as { code?: unknown }).code === 'ELOCKED') throw new DatabaseLockedError(dataDir);
      throw retryError;
    }
  }
}

/** Who took the lock, beside it (the lock is a directory proper-lockfile removes with rmdir, so it stays empty). */
function holderFilePath(dataDir: string): string {
  return `${dataDir}.lock-holder`;
}

/**
 * True when the lock's holder is a process of this host that no longer exists. Another host's
 * holder (a shared volume), an unreadable holder file or a live pid count as alive: then only
 * staleness frees the lock.
 */
function holderIsGone(dataDir: string): boolean {
  let holder: { pid?: unknown; host?: unknown };
  try {
    holder = JSON.parse(fs.readFileSync(holderFilePath(dataDir), 'utf8')) as typeof holder;
  } catch {
    return false;
  }
  if (typeof holder.pid !== 'number' || holder.host !== os.hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'ESRCH';
  }
}

async function takeLock(dataDir: string): Promise<() => Promise<void>> {
  const release = await lockfile.lock(dataDir, {
    lockfilePath: lockFilePath(dataDir),
    realpath: false,
    stale: LOCK_STALE_MS,
    update: LOCK_STALE_MS / 6,
    retries: 0,
    // Someone removed or took our lock: stop rather than risk two writers on one directory.
    onCompromised: (error) => {
      throw new Error(`Lost the lock on ${dataDir} (${error.message}); stopping so that no two processes write it`);
    },
  });
  fs.writeFileSync(holderFilePath(dataDir), JSON.stringify({ pid: process.pid, host: os.hostname() }) + '\n');
  return async () => {
    fs.rmSync(holderFilePath(dataDir), { force: true });
    await release();
  };
}

export function lockFilePath(dataDir: string): string {
  return `${dataDir}.lock`;
}

/** True while a live process holds the embedded database directory. */
export async function isDataDirLocked(dataDir: string): Promise<boolean> {
  if (!fs.existsSync(lockFilePath(dataDir))) return false;
  return lockfile.check(dataDir, { lockfilePath: lockFilePath(dataDir), realpath: false, stale: LOCK_STALE_MS });
}

function logConfig(options: DatabaseOptions, pool: 'main' | 'walk' = 'main'): LogConfig {
  const onQuery = options.onQuery;
  return onQuery ? (event) => onQuery(event.query, pool) : [];
}
