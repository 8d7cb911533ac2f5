import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pg from 'pg';
import { MAIN_SETTINGS, sessionSetUp, WALK_SETTINGS } from '../../src/db/walk-plan.js';
import { PreparedStatementClient } from '../../src/db/prepared-client.js';
import type { LatencySummary } from './results.js';

export interface HttpLoad {
  baseUrl: string;
  token: string;
  method: 'GET' | 'POST' | 'PUT';
  /** Called for every request: its path and JSON body (varied per request where a case needs it). */
  next: () => { path: string; body?: unknown };
  clients: number;
  seconds: number;
  /** Statuses that count as success. */
  ok: number[];
}

/** One autocannon window at `clients` connections; latencies taken per response (autocannon's own table has no p95). */
export async function loadHttp(load: HttpLoad): Promise<LatencySummary> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  let finished!: (result: autocannon.Result) => void;
  let failed!: (error: Error) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const instance = autocannon(
    {
      url: load.baseUrl,
      connections: load.clients,
      duration: load.seconds,
      headers: { authorization: `Bearer ${load.token}`, 'content-type': 'application/json' },
      requests: [
        {
          method: load.method,
          setupRequest: (request) => {
            const { path, body } = load.next();
            return { ...request, path, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
          },
        },
      ],
    },
    (error, result) => (error ? failed(error as Error) : finished(result)),
  );
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    if (!load.ok.includes(status)) errors++;
  });
  const result = await done;
  return summarize(latencies, performance.now() - started, errors + result.errors + result.timeouts);
}

/**
 * The floor: statement sequences replayed by node-postgres, `clients` loops at once for `seconds`,
 * each loop on its own pooled connection; a sequence is timed from its first statement to its last.
 */
export async function loadSql(
  pools: FloorPools,
  sequences: () => Array<{ sql: string; parameters: readonly unknown[]; walk?: boolean }>,
  clients: number,
  seconds: number,
): Promise<LatencySummary & { statements: StatementTime[] }> {
  const latencies: number[] = [];
  const statementTimes = new Map<string, { calls: number; ms: number }>();
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const statements = sequences();
        const t0 = performance.now();
        // A request's connection of the main pool, for its whole sequence (a write's transaction);
        // its walks on the walks' pool, one statement at a time, as the server runs them.
        const main = await pools.main.connect();
        try {
          for (const s of statements) {
            const s0 = performance.now();
            await (s.walk ? pools.walk : main).query(s.sql, s.parameters as unknown[]);
            const spent = statementTimes.get(s.sql) ?? { calls: 0, ms: 0 };
            statementTimes.set(s.sql, { calls: spent.calls + 1, ms: spent.ms + performance.now() - s0 });
          }
        } catch {
          errors++;
          await main.query('ROLLBACK').catch(() => undefined);
        } finally {
          main.release();
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const statements = [...statementTimes]
    .map(([sql, t]) => ({ sql: sql.replace(/\s+/g, ' ').slice(0, 160), calls: t.calls, meanMs: t.ms / t.calls }))
    .sort((a, b) => b.meanMs * b.calls - a.meanMs * a.calls);
  return { ...summarize(latencies, performance.now() - started, errors), statements };
}

/**
 * The floor's connections, set up as the server's two pools are (src/db/database.ts): jit off, and
 * the walks' planner settings on the second. Beside the server's own connections they must stay
 * under PostgreSQL's max_connections (100 here): at 64 clients the floor's requests share at most
 * FLOOR_CONNECTIONS.main + .walk connections, as the server's requests share its pools.
 */
export interface FloorPools {
  main: pg.Pool;
  walk: pg.Pool;
}

const FLOOR_CONNECTIONS = { main: 40, walk: 20 };

export function floorPools(url: string): FloorPools {
  const pool = (settings: Readonly<Record<string, string>>, max: number) => {
    // The server's client class: what it prepares (statements marked PREPARED), the floor prepares too.
    return new pg.Pool({ connectionString: url, max, Client: PreparedStatementClient, ...sessionSetUp(settings) });
  };
  return { main: pool(MAIN_SETTINGS, FLOOR_CONNECTIONS.main), walk: pool(WALK_SETTINGS, FLOOR_CONNECTIONS.walk) };
}

/** Where a floor's time went: each statement's mean time as the replay met it. */
export interface StatementTime {
  sql: string;
  calls: number;
  meanMs: number;
}

export function summarize(latencies: number[], elapsedMs: number, errors: number): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return {
    count: sorted.length,
    throughput: sorted.length / (elapsedMs / 1000),
    p50: at(50),
    p95: at(95),
    p99: at(99),
    errors,
  };
}

/** Samples a process's resident set (VmRSS, /proc) every 200 ms; `stop` returns the highest, in MB. */
export function sampleRss(pid: number): { stop(): number } {
  let highest = rssMb(pid);
  const timer = setInterval(() => {
    highest = Math.max(highest, rssMb(pid));
  }, 200);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(highest, rssMb(pid));
    },
  };
}

export function rssMb(pid: number): number {
  try {
    const line = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line ? Number(line[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
