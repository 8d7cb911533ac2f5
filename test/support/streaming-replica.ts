import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

/*
 * A streaming replica of a test PostgreSQL server (test/reliability/read-replica.test.ts):
 * pg_basebackup -R into a temporary directory, started with pg_ctl on a free port. PostgreSQL
 * refuses to run as root, so as root its programs run as the postgres OS user.
 */
const AS_POSTGRES = process.getuid?.() === 0;

export interface Replica {
  url: string;
  /** Waits until the replica has replayed everything the primary has written so far. */
  catchUp(primary: pg.Client): Promise<void>;
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops the server (idempotent). */
  stop(): void;
}

/** Why this machine cannot build a replica here, or undefined when it can. */
export async function replicaMissing(url: string): Promise<string | undefined> {
  const target = new URL(url);
  const client = new pg.Client({
    host: target.hostname,
    port: Number(target.port || 5432),
    user: 'postgres',
    database: 'postgres',
    replication: true,
  } as pg.ClientConfig);
  try {
    await client.connect();
    await client.query('IDENTIFY_SYSTEM');
  } catch (error) {
    return `the PostgreSQL at ${target.host} refuses replication connections (${(error as Error).message}); .ci/run adds "host replication all 127.0.0.1/32 trust" to pg_hba.conf`;
  } finally {
    await client.end().catch(() => {});
  }
  const pgCtl = serverBinary(await serverMajor(url), 'pg_ctl');
  if (!fs.existsSync(pgCtl)) return `${pgCtl} is not installed`;
  if (!fs.existsSync(serverBinary(await serverMajor(url), 'pg_basebackup'))) return 'pg_basebackup is not installed';
  return undefined;
}

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    return Math.floor(Number(rows[0]!.v) / 10_000);
  } finally {
    await client.end();
  }
}

function serverBinary(major: number, name: string): string {
  return `/usr/lib/postgresql/${major}/bin/${name}`;
}

/** Runs a PostgreSQL program, as the postgres OS user when we are root (the server refuses to run as root). */
function runPg(program: string, args: string[]): void {
  const [command, fullArgs] = AS_POSTGRES ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  execFileSync(command, fullArgs, { stdio: 'pipe', timeout: 60_000 });
}

export async function startReplica(primaryUrl: string, root: string): Promise<Replica> {
  const primary = new URL(primaryUrl);
  const major = await serverMajor(primaryUrl);
  const dir = path.join(root, 'replica');
  const data = path.join(dir, 'data');
  fs.mkdirSync(dir, { mode: 0o700 });
  if (AS_POSTGRES) {
    // The postgres user must get through the (root's, 0700) temporary directory to its own.
    fs.chmodSync(root, 0o711);
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    fs.chownSync(dir, uid, gid);
  }
  // -R writes standby.signal and primary_conninfo: the copy starts as a streaming standby.
  runPg(serverBinary(major, 'pg_basebackup'), [
    ...['-h', primary.hostname, '-p', primary.port || '5432', '-U', 'postgres'],
    ...['-D', data, '-R', '-X', 'stream', '-c', 'fast'],
  ]);
  // A standby needs these at least as high as its primary's; Debian keeps the primary's
  // postgresql.conf and pg_hba.conf outside its data directory, so the copy gets its own.
  const admin = new pg.Client({ connectionString: primaryUrl });
  await admin.connect();
  const { rows } = await admin.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes',
       'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`,
  );
  await admin.end();
  const port = await freePort();
  const conf = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = '${dir}'`,
    'hot_standby = on',
    'shared_buffers = 32MB',
    'fsync = off',
    ...rows.map((row) => `${row.name} = ${row.setting}`),
  ];
  const owned = (file: string, text: string) => {
    fs.writeFileSync(file, text);
    if (AS_POSTGRES) fs.chownSync(file, fs.statSync(dir).uid, fs.statSync(dir).gid);
  };
  owned(path.join(data, 'postgresql.conf'), conf.join('\n') + '\n');
  owned(path.join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
  const pgCtl = serverBinary(major, 'pg_ctl');
  runPg(pgCtl, ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', 'start']);
  let running = true;

  const replicaUrl = new URL(primaryUrl);
  replicaUrl.port = String(port);
  const query = async (text: string) => {
    const client = new pg.Client({ connectionString: replicaUrl.toString() });
    await client.connect();
    try {
      return (await client.query(text)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  return {
    url: replicaUrl.toString(),
    async catchUp(primaryClient) {
      const { rows } = await primaryClient.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
      const target = rows[0]!.lsn;
      for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
        const [row] = await query(`SELECT pg_last_wal_replay_lsn() >= '${target}'::pg_lsn AS done`);
        if (row?.done === true) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`the replica did not replay up to ${target} within 20 s`);
    },
    async pauseReplay() {
      await query('SELECT pg_wal_replay_pause()');
      // The request is taken at the next record; wait until replay has actually stopped.
      for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
        const [row] = await query('SELECT pg_get_wal_replay_pause_state() AS state');
        if (row?.state === 'paused') return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('replay did not pause within 10 s');
    },
    async resumeReplay() {
      if (running) await query('SELECT pg_wal_replay_resume()');
    },
    stop() {
      if (!running) return;
      running = false;
      runPg(pgCtl, ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
    },
  };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The URL with a search_path, as a connection string's `options` (both pools then work in the test's schema). */
export function withSearchPath(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema},public`)}`;
}
