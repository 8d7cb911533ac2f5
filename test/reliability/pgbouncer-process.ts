import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Debian's PgBouncer (`apt-get install pgbouncer`); test/reliability/pgbouncer.test.ts runs it. */
export const PGBOUNCER = '/usr/sbin/pgbouncer';

/** One statement on a connection of its own. */
export async function query<Row>(url: string, text: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

export interface Bouncer {
  /** The pooled database `paydesk`, as the app connects to it. */
  url: string;
  /** A command on PgBouncer's admin console (SHOW POOLS, SHOW SERVERS, …). */
  admin<Row>(command: string): Promise<Row[]>;
  /** Stops it (SIGTERM, then SIGKILL) and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Debian's pgbouncer on a free port, configured in a temporary directory: transaction mode, a pool of
 * `serverConnections` to `target`. It refuses to run as root, so as root it switches to `postgres`.
 */
export async function startPgbouncer(target: string, serverConnections: number): Promise<Bouncer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-pgbouncer-'));
  let child: ChildProcess | undefined;
  let output = '';
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child!.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const server = new URL(target);
    const user = decodeURIComponent(server.username || os.userInfo().username);
    const connection = [
      `host=${server.hostname}`,
      `port=${server.port || '5432'}`,
      `dbname=${server.pathname.slice(1)}`,
      `user=${user}`,
      ...(server.password ? [`password=${decodeURIComponent(server.password)}`] : []),
    ].join(' ');
    const ini = path.join(dir, 'pgbouncer.ini');
    fs.writeFileSync(
      ini,
      [
        '[databases]',
        `paydesk = ${connection}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        `unix_socket_dir = ${dir}`,
        // Clients give no password; PgBouncer logs in to PostgreSQL as the database entry's user.
        'auth_type = any',
        `admin_users = ${user}`,
        'pool_mode = transaction',
        `default_pool_size = ${serverConnections}`,
        'min_pool_size = 0',
        'reserve_pool_size = 0',
        'max_client_conn = 200',
        'ignore_startup_parameters = extra_float_digits',
        '',
      ].join('\n'),
    );
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      fs.chownSync(dir, uid, gid);
      fs.chownSync(ini, uid, gid);
    }
    child = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), ini], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const url = `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/paydesk`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}):\n${output}`);
      try {
        await query(url, 'SELECT 1');
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`pgbouncer did not answer:\n${output}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const adminUrl = `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/pgbouncer`;
    return {
      url,
      admin: async <Row>(command: string) => {
        // Without parameters node-postgres sends the simple protocol, the only one the console speaks.
        return query<Row>(adminUrl, command);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
