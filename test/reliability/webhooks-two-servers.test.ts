import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_SKIP_REASON } from '../support/backends.js';
import { startWebhookReceiver, type ReceivedWebhook } from '../support/webhook-receiver.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/*
 * Two real server processes on one PostgreSQL database share the webhook queue: both dispatchers
 * poll it, and the claim (SKIP LOCKED, a lease pushed onto next_attempt_at) must hand each attempt
 * to exactly one of them. Customers are created through both servers at once; the receiver counts
 * every webhook-id it is sent. PGlite is one process's database, so this runs on PostgreSQL only.
 */
const SKIP = POSTGRES_SKIP_REASON ?? false;
const name = `webhooks: two server processes share the delivery queue (PostgreSQL only: PGlite is one process's database${SKIP ? `; skipped: ${SKIP}` : ''})`;

const CUSTOMERS = 200;
/** Requests in flight at once, spread over both servers. */
const CLIENTS = 10;
/** Fast retries (PAYDESK_WEBHOOK_RETRY_DELAYS_MS): a duplicate claim or a stray retry shows within the test. */
const RETRY_DELAYS_MS = '300,300,300';
/** After the last expected webhook, how long to wait for one that should not come (> a retry and a poll). */
const QUIET_MS = 1_500;
const MASTER_KEY = Buffer.alloc(32, 13).toString('base64');

interface EventJson {
  id: string;
  type: string;
  data: { object: { id: string } };
}

describe.skipIf(SKIP !== false)(name, () => {
  let database: TwoServerDatabase;
  const servers: ServerProcess[] = [];
  const apiKey = `pdk_${crypto.randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    database = await freshDatabase();
    const env = {
      DATABASE_URL: database.url,
      PAYDESK_DEMO: '0',
      PAYDESK_API_KEY: apiKey,
      PAYDESK_MASTER_KEY: MASTER_KEY,
      PAYDESK_WEBHOOK_ALLOW_PRIVATE: '1',
      PAYDESK_WEBHOOK_RETRY_DELAYS_MS: RETRY_DELAYS_MS,
    };
    // One after the other: the first runs the migrations and makes the brand, the second finds them.
    for (const n of [1, 2]) {
      servers.push(await startServerProcess({ ...env, PAYDESK_DATA_DIR: database.dataDir(n) }, 60_000));
    }
  }, 150_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGTERM')));
    await database?.destroy();
  }, 60_000);

  /** Creates an endpoint for every type through server 1; the receiver gets this brand's events from now on. */
  async function createEndpoint(url: string): Promise<string> {
    const created = await call(servers[0]!.url, apiKey, 'POST', '/api/v1/webhook-endpoints', { url, events: ['*'] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return (created.body as { id: string }).id;
  }

  /** CUSTOMERS customers, customer i through server i % 2, CLIENTS requests at a time; their ids. */
  async function createCustomers(tag: string): Promise<string[]> {
    const ids: string[] = [];
    let next = 0;
    const client = async () => {
      for (let i = next++; i < CUSTOMERS; i = next++) {
        const answer = await call(servers[i % 2]!.url, apiKey, 'POST', '/api/v1/customers', {
          name: `Hook Customer ${tag} ${i}`,
          email: `hook.${tag}.${i}@two-servers.example`,
        });
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
        ids.push((answer.body as { id: string }).id);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    return ids;
  }

  /**
   * The receiver with `answer`, noting which server processes sent to it: at each request, the
   * processes holding a connection to it (each attempt opens its own, so the sender is among them).
   */
  async function receiverNotingSenders(answer: (hit: ReceivedWebhook) => number = () => 200) {
    const senders = new Set<number>();
    let port = 0;
    const receiver = await startWebhookReceiver((hit) => {
      for (const pid of pidsConnectedTo(
        servers.map((s) => s.child.pid!),
        port,
      ))
        senders.add(pid);
      return answer(hit);
    });
    port = Number(new URL(receiver.url).port);
    return { receiver, senders };
  }

  /** How many times the receiver was sent each webhook-id. */
  function countById(received: readonly ReceivedWebhook[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const hit of received) {
      const id = hit.headers['webhook-id']!;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  /** The endpoint's customer.created deliveries as the database has them. */
  async function deliveriesOf(endpointId: string) {
    return database.query<{ customer_id: string; status: string; attempts: number; attempt_rows: number }>(
      `SELECT e.object_id AS customer_id, d.status, d.attempts,
              (SELECT count(*)::int FROM webhook_attempts a WHERE a.merchant_id = d.merchant_id AND a.delivery_id = d.id) AS attempt_rows
         FROM webhook_deliveries d
         JOIN webhook_events e ON e.merchant_id = d.merchant_id AND e.id = d.event_id
        WHERE d.endpoint_id = $1 AND e.type = 'customer.created'`,
      [endpointId],
    );
  }

  /** Every customer's customer.created event, sent `times` times; nothing else. */
  function expectEachEvent(received: readonly ReceivedWebhook[], customerIds: readonly string[], times: number) {
    const counts = countById(received);
    expect(counts.size).toBe(customerIds.length);
    expect([...counts.entries()].filter(([, n]) => n !== times)).toEqual([]);
    const events = new Map(received.map((hit) => [hit.headers['webhook-id']!, JSON.parse(hit.body) as EventJson]));
    expect([...events.values()].filter((event) => event.type !== 'customer.created')).toEqual([]);
    expect([...events.values()].map((event) => event.data.object.id).sort()).toEqual([...customerIds].sort());
  }

  it(
    'sends every customer.created event exactly once, each delivery succeeding at its first attempt',
    { timeout: 60_000 },
    async () => {
      const { receiver, senders } = await receiverNotingSenders();
      try {
        const endpointId = await createEndpoint(receiver.url);
        const started = Date.now();
        const customerIds = await createCustomers('once');
        await receiver.waitFor(CUSTOMERS, 30_000);
        const deliveredMs = Date.now() - started;
        await sleep(QUIET_MS);
        expect(receiver.received).toHaveLength(CUSTOMERS);
        expectEachEvent(receiver.received, customerIds, 1);
        // Both dispatchers took part: the queue really was shared.
        expect(senders.size).toBe(2);

        const deliveries = await deliveriesOf(endpointId);
        expect(deliveries).toHaveLength(CUSTOMERS);
        expect(deliveries.filter((d) => d.status !== 'succeeded' || d.attempts !== 1 || d.attempt_rows !== 1)).toEqual(
          [],
        );
        console.info(
          `webhooks-two-servers: ${CUSTOMERS} customers through 2 servers, all delivered in ${deliveredMs} ms, sent by ${senders.size} processes`,
        );
        const removed = await call(servers[1]!.url, apiKey, 'DELETE', `/api/v1/webhook-endpoints/${endpointId}`);
        expect(removed.status).toBe(204);
      } finally {
        await receiver.close();
      }
    },
  );

  it(
    'retries each event once when its first attempt fails: every event arrives exactly twice, never three times',
    { timeout: 60_000 },
    async () => {
      const seen = new Set<string>();
      const { receiver, senders } = await receiverNotingSenders((hit) => {
        const id = hit.headers['webhook-id']!;
        if (seen.has(id)) return 200;
        seen.add(id);
        return 500;
      });
      try {
        const endpointId = await createEndpoint(receiver.url);
        const customerIds = await createCustomers('twice');
        // Well inside the built-in first retry (30 s): the server processes retry on PAYDESK_WEBHOOK_RETRY_DELAYS_MS.
        await receiver.waitFor(CUSTOMERS * 2, 20_000);
        // Long enough for a third attempt to come, were any retry scheduled or any claim doubled.
        await sleep(QUIET_MS);
        expect(receiver.received).toHaveLength(CUSTOMERS * 2);
        expectEachEvent(receiver.received, customerIds, 2);
        const firstAt = new Map<string, number>();
        const retryGaps: number[] = [];
        for (const hit of receiver.received) {
          const id = hit.headers['webhook-id']!;
          const first = firstAt.get(id);
          if (first === undefined) firstAt.set(id, hit.at);
          else retryGaps.push(hit.at - first);
        }
        // 300 ms less up to a tenth, plus a poll and a busy machine's delay; never the built-in 27-30 s.
        expect(Math.min(...retryGaps)).toBeGreaterThanOrEqual(250);
        expect(Math.max(...retryGaps)).toBeLessThan(10_000);
        expect(senders.size).toBe(2);

        const deliveries = await deliveriesOf(endpointId);
        expect(deliveries).toHaveLength(CUSTOMERS);
        expect(deliveries.filter((d) => d.status !== 'succeeded' || d.attempts !== 2 || d.attempt_rows !== 2)).toEqual(
          [],
        );
      } finally {
        await receiver.close();
      }
    },
  );
});

/**
 * Which of the processes hold an established TCP connection to 127.0.0.1:`port` (Linux /proc: the
 * connection's socket inode from /proc/net/tcp, found among each process's file descriptors).
 */
function pidsConnectedTo(pids: readonly number[], port: number): number[] {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set(
    fs
      .readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // rem_address is the receiver's, state 01 is ESTABLISHED, field 9 the socket's inode.
      .filter((fields) => fields[2]?.endsWith(portHex) && fields[3] === '01')
      .map((fields) => fields[9]),
  );
  return pids.filter((pid) =>
    fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        return inode !== undefined && inodes.has(inode);
      } catch {
        return false; // closed meanwhile
      }
    }),
  );
}

interface TwoServerDatabase {
  url: string;
  /** Each server's own data directory (the master key comes from the environment; nothing shared there). */
  dataDir(n: number): string;
  query<Row>(text: string, params: unknown[]): Promise<Row[]>;
  destroy(): Promise<void>;
}

/** A new database in the PostgreSQL of TEST_DATABASE_URL, dropped afterwards (the server takes a URL, not a schema). */
async function freshDatabase(): Promise<TwoServerDatabase> {
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `paydesk_hooks_${crypto.randomBytes(5).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-hooks-'));
  return {
    url: url.toString(),
    dataDir: (n) => path.join(root, `server-${n}`),
    async query<Row>(text: string, params: unknown[]) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as Row[];
      } finally {
        await client.end();
      }
    },
    destroy: async () => {
      await adminQuery(admin, `DROP DATABASE ${name} WITH (FORCE)`);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function call(url: string, apiKey: string, method: 'POST' | 'DELETE', route: string, body?: unknown) {
  const response = await fetch(new URL(route, url), {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as unknown };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
