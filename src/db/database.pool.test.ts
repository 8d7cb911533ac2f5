import fs from 'node:fs';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDLE_CONNECTION_MS, openDatabase, type Database } from './database.js';

const backendPid = async (db: Database) =>
  (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)).rows[0]!.pid;

/**
 * The kernel's timer on this machine's TCP socket bound to `port` (Linux's /proc/net/tcp "tr"
 * column: 0 none, 1 retransmit, 2 keepalive, …), or undefined when no such socket is listed.
 */
function tcpTimerOfLocalPort(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , , , timer] = line.trim().split(/\s+/);
      if (local?.endsWith(`:${hexPort}`)) return Number.parseInt(timer!.split(':')[0]!, 16);
    }
  }
  return undefined;
}

// The pool is node-postgres's; PGlite has none. Without TEST_DATABASE_URL the global setup reports
// the PostgreSQL tests as skipped (strict in CI).
describe.skipIf(!process.env.TEST_DATABASE_URL)('connection pool (postgres)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps an idle connection, and its warm backend, for ten minutes, and closes it after', async () => {
    // The pool's idle timer is a setTimeout: faked, ten minutes pass at once.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const database = await openDatabase({ url: process.env.TEST_DATABASE_URL!, poolSize: 1 });
    try {
      const first = await backendPid(database.db);
      vi.advanceTimersByTime(IDLE_CONNECTION_MS - 1_000); // pg-pool's own default closed it after 10 s
      expect(await backendPid(database.db)).toBe(first);
      vi.advanceTimersByTime(IDLE_CONNECTION_MS + 1_000);
      expect(await backendPid(database.db)).not.toBe(first);
    } finally {
      vi.useRealTimers();
      await database.close();
    }
  });

  // Linux lists its sockets in /proc/net; a URL without a host connects over a Unix socket.
  const overTcp = fs.existsSync('/proc/net/tcp') && new URL(process.env.TEST_DATABASE_URL ?? 'x:').hostname !== '';
  it.skipIf(!overTcp)('probes an idle connection with TCP keepalive', async () => {
    const database = await openDatabase({ url: process.env.TEST_DATABASE_URL!, poolSize: 1 });
    try {
      // The client's end of the connection, as the server sees it, is a socket of this machine.
      const { rows } = await sql<{ port: number }>`SELECT inet_client_port() AS port`.execute(database.db);
      expect(tcpTimerOfLocalPort(rows[0]!.port)).toBe(2);
    } finally {
      await database.close();
    }
  });
});
