import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createPaydesk, type Paydesk } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { startServerProcess, type ServerProcess } from '../../test/reliability/server-process.js';
import { createSessions } from '../checkout.bench.js';
import { ensureDatabase } from '../postgres.js';
import { countCpu, endedChildrenCpuMs, machineMs, type CpuSpent } from '../proc-cpu.js';
import { repeatable, StatementRecorder, type Statement } from './capture.js';
import { floorPools, loadHttp, loadSql, rssMb, sampleRss, type FloorPools } from './load.js';
import { writeScaleReport } from './report.js';
import type { CpuPerRequest, GroupByCase, LatencySummary, ScaleCase, ScaleResults } from './results.js';
import { SEED_CLOCK, type SeededBrand, type SeededDataset } from './seed.js';
import { forgetWritesSince } from './cleanup.js';

export const BENCH_MASTER_KEY = Buffer.alloc(32, 42).toString('base64');
const CLIENTS = 16;
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

interface Options {
  seconds: number;
  write: boolean;
  report: boolean;
  /** Case keys to run (a trial of a few); all when absent. */
  only?: string[];
}

/** What a case sends: one request shape, varied per request by `next`. */
interface CaseSpec {
  key: string;
  label: string;
  method: 'GET' | 'POST' | 'PUT';
  /** The requests the floor replays (captured once each); reads rotate through them. */
  variants: Array<{ path: string; body?: unknown }>;
  /** Writes: a new request each time (ids and emails of its own). */
  next?: () => { path: string; body?: unknown };
  ok: number[];
  /** False where the statements cannot be replayed (a checkout consumes its session). */
  floor: boolean;
  public?: boolean;
}

/** The server's environment on the scale dataset (the bench process's own copy uses it too). */
export function scaleServerEnv(url: string): Record<string, string> {
  return {
    DATABASE_URL: url,
    PAYDESK_MASTER_KEY: BENCH_MASTER_KEY,
    PAYDESK_DEMO: '0',
    LOG_LEVEL: 'warn',
    // Every simulated client comes from 127.0.0.1 with one key; real traffic does not.
    PAYDESK_RATE_LIMIT_PER_KEY: '0',
    PAYDESK_RATE_LIMIT_PER_IP: '0',
  };
}

/** Up to 20 customers with payments, spread over the brand: the profiles someone opens. */
export async function sampleProfileIds(pool: pg.Pool, brandId: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM customers TABLESAMPLE SYSTEM (1) REPEATABLE (7)
     WHERE merchant_id = $1 AND transactions_count > 0 LIMIT 20`,
    [brandId],
  );
  return rows.map((r) => r.id);
}

/** Runs every case against the real server (a child process) and writes the report. */
export async function measureScale(url: string, dataset: SeededDataset, options: Options): Promise<void> {
  const startedAt = new Date();
  const recorder = new StatementRecorder();
  const env = scaleServerEnv(url);
  const local = await createPaydesk(parseConfig(env), {
    database: await openDatabase({ url, poolSize: 4, onQuery: recorder.onQuery }),
  });
  // The bench's own copy only answers injected requests: with its background work stopped, the
  // statements it records are the request's alone.
  await local.services.webhookDispatcher.close();
  await local.services.requestLimiter.close();
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const floors = floorPools(url);
  const server = await startServerProcess(env, undefined, 'compiled');
  const pid = server.child.pid!;
  const cases: ScaleCase[] = [];
  const selected = (spec: { key: string }) => !options.only || options.only.includes(spec.key);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssIdleMb = rssMb(pid);
    log(`server up at ${server.url}, RSS ${rssIdleMb.toFixed(0)} MB before any request`);
    const [main, ...smaller] = dataset.brands;
    const run = async (spec: CaseSpec, brand: SeededBrand, group: ScaleCase['group'], clients: number) => {
      const result = await runCase(server, local, recorder, floors, spec, brand, { clients, seconds: options.seconds });
      const entry: ScaleCase = { ...result, group, brandCustomers: brand.customers, clients };
      cases.push(entry);
      log(line(entry));
      return entry;
    };

    // Reads: the latency a staff member meets (one request at a time), then the same reads with
    // 16 clients at once (throughput; on 2 cores a request then mostly waits its turn).
    // An interrupted run may have left its writes: the reads must meet the seed's dataset.
    await forgetWritesSince(pool, main!.id, SEED_CLOCK);
    const mainReads = (await readCases(server, pool, main!)).filter(selected);
    for (const spec of mainReads) await run(spec, main!, 'read', 1);
    for (const brand of smaller.filter((b) => b.customers >= 10_000)) {
      const reads = await readCases(server, pool, brand);
      for (const spec of reads.filter((s) => SIZE_KEYS.has(s.key) && selected(s))) await run(spec, brand, 'size', 1);
    }
    for (const spec of mainReads) {
      for (const clients of spec.key === 'list-page-1' ? [4, CLIENTS, 64] : [CLIENTS]) {
        await run(spec, main!, 'clients', clients);
      }
    }
    if (options.write) {
      const writes = writeCases(local, main!);
      if (selected(writes.create)) await run(writes.create, main!, 'write', CLIENTS);
      if (selected(writes.createOrEdit)) await run(writes.createOrEdit, main!, 'write', CLIENTS);
      if (selected({ key: 'checkout' })) {
        await run(await writes.checkout(options.seconds * 2_500), main!, 'write', CLIENTS);
      }
      if (selected(writes.create)) {
        for (const clients of [1, 4, 64]) await run(writes.create, main!, 'clients', clients);
      }
      const forgotten = await forgetWritesSince(pool, main!.id, SEED_CLOCK);
      log(
        `the writes' ${forgotten.toLocaleString('en-US')} customers (with their payments and events) taken out again`,
      );
    }
    const groupBy = selected({ key: 'group-by' }) ? await groupByCases(pool, main!) : [];
    const pgbench =
      options.write && selected({ key: 'pgbench' }) ? await runPgbench(url, CLIENTS, options.seconds) : null;
    if (pgbench)
      log(
        `pgbench -M prepared -c ${CLIENTS}: ${pgbench.tps.toFixed(0)} tps, ${pgbench.latencyAvgMs} ms average` +
          (pgbench.postgresUs === undefined
            ? ''
            : `, PostgreSQL about ${pgbench.postgresUs.toFixed(0)} µs of CPU a transaction`),
      );

    const results: ScaleResults = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: `npm run bench${process.argv.slice(3).length ? ` -- ${process.argv.slice(3).join(' ')}` : ''}`,
      machine: await machine(pool),
      dataset: {
        brands: dataset.brands.length,
        customers: dataset.brands.reduce((n, b) => n + b.customers, 0),
        transactions: dataset.brands.reduce((n, b) => n + b.transactions, 0),
        mainBrandCustomers: main!.customers,
        mainBrandTransactions: main!.transactions,
      },
      seconds: options.seconds,
      rssIdleMb,
      cases,
      groupBy,
      pgbench,
    };
    if (!options.report) return;
    const resultsFile = path.join(ROOT, 'bench/results/scale.json');
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    const { plots } = await writeScaleReport(results, {
      benchmarksFile: path.join(ROOT, 'BENCHMARKS.md'),
      plotsDir: path.join(ROOT, 'docs/bench'),
    });
    log(
      `results: ${path.relative(ROOT, resultsFile)}; BENCHMARKS.md updated; plots: ${plots.map((p) => path.relative(ROOT, p)).join(', ')}`,
    );
  } finally {
    await server.stop('SIGTERM');
    await pool.end();
    await Promise.all([floors.main.end(), floors.walk.end()]);
    await local.close();
  }
}

/** The reads measured again at the smaller brands (latency against brand size). */
const SIZE_KEYS = new Set(['list-page-1', 'kpi', 'profile', 'search']);

async function runCase(
  server: ServerProcess,
  local: Paydesk,
  recorder: StatementRecorder,
  floors: FloorPools,
  spec: CaseSpec,
  brand: SeededBrand,
  load: { clients: number; seconds: number },
): Promise<Omit<ScaleCase, 'group' | 'brandCustomers' | 'clients'>> {
  let turn = 0;
  const next = spec.next ?? (() => spec.variants[turn++ % spec.variants.length]!);
  const rss = sampleRss(server.child.pid!);
  const httpCpu = await countCpu(server.child.pid!, floors.main);
  const http = await loadHttp({
    baseUrl: server.url,
    token: brand.token,
    method: spec.method,
    next,
    ok: spec.ok,
    ...load,
  });
  const httpSpent = await httpCpu.stop();
  const rssMaxMb = rss.stop();
  let floor: LatencySummary | null = null;
  let floorCpu: CpuPerRequest | undefined;
  if (spec.floor) {
    const captured: Array<() => Statement[]> = [];
    for (const variant of spec.variants) {
      const request = { method: spec.method, token: brand.token, ...(spec.next ? spec.next() : variant) };
      await recorder.capture(local, request); // warm: keys and plans cached, as in the server
      const statements = await recorder.capture(local, spec.next ? { ...request, ...spec.next() } : request);
      captured.push(spec.next ? repeatable(statements) : () => statements);
    }
    let replay = 0;
    const sqlCpu = await countCpu(undefined, floors.main);
    const { statements, ...summary } = await loadSql(
      floors,
      () => captured[replay++ % captured.length]!(),
      load.clients,
      load.seconds,
    );
    floor = summary;
    const sqlSpent = await sqlCpu.stop();
    if (sqlSpent) floorCpu = perRequest(sqlSpent, summary.count);
    if (load.clients === 1) {
      for (const t of statements.slice(0, 40)) log(`    ${t.meanMs.toFixed(2)} ms × ${t.calls}: ${t.sql}`);
    }
  }
  return {
    key: spec.key,
    label: spec.label,
    method: spec.method,
    path: spec.variants[0]!.path,
    http,
    floor,
    rssMaxMb,
    ...(httpSpent ? { httpCpu: perRequest(httpSpent, http.count) } : {}),
    ...(floorCpu ? { floorCpu } : {}),
  };
}

function perRequest(spent: CpuSpent, requests: number): CpuPerRequest {
  const us = (ms: number) => (requests > 0 ? (ms * 1000) / requests : 0);
  return {
    serverUs: us(spent.serverMs),
    postgresUs: us(spent.postgresMs),
    clientUs: us(spent.clientMs),
    machineBusy: spent.machineBusy,
  };
}

/** The Customers page's reads: list page 1 and deep, by spending, KPI, profile and its payments, search. */
async function readCases(server: ServerProcess, pool: pg.Pool, brand: SeededBrand): Promise<CaseSpec[]> {
  const list = '/api/v1/customers?limit=20';
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const response: Response = await fetch(`${server.url}${list}${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: `Bearer ${brand.token}` },
    });
    cursor = ((await response.json()) as { next_cursor: string | null }).next_cursor;
  }
  const ids = await sampleProfileIds(pool, brand.id);
  const { common, rare, digits } = brand.terms;
  const read = (key: string, label: string, paths: string[]): CaseSpec => ({
    key,
    label,
    method: 'GET',
    variants: paths.map((p) => ({ path: p })),
    ok: [200],
    floor: true,
  });
  return [
    read('list-page-1', 'list, page 1 (newest)', [list]),
    read('list-deep', 'list, after 50 pages', [`${list}&cursor=${cursor}`]),
    read('list-top-spenders', 'list by total spent, page 1', [`${list}&sort=-total_spent`]),
    read('kpi', 'KPI total customers', ['/api/v1/customers/stats']),
    read(
      'profile',
      'profile',
      ids.map((id) => `/api/v1/customers/${id}`),
    ),
    read(
      'profile-transactions',
      "profile's latest payments",
      ids.map((id) => `/api/v1/customers/${id}/transactions?limit=10`),
    ),
    read(
      'search',
      `search (${common}, ${rare}, ${digits}, a piece that matches nothing)`,
      [common, rare, digits, 'qzxjvw'].map((q) => `${list}&q=${encodeURIComponent(q)}`),
    ),
  ];
}

/** Creates, CreateOrEdit (half edits of customers the create run made, half new), checkout completions. */
function writeCases(local: Paydesk, brand: SeededBrand) {
  const tag = Date.now().toString(36);
  let created = 0;
  const newCustomer = () => {
    const n = created++;
    return {
      name: `Scale Bench ${n}`,
      email: `scale.${tag}.${n}@bench.example`,
      phone: `+88017${String(n % 1e8).padStart(8, '0')}`,
    };
  };
  const create: CaseSpec = {
    key: 'create',
    label: 'create (POST /customers)',
    method: 'POST',
    variants: [{ path: '/api/v1/customers' }],
    next: () => ({ path: '/api/v1/customers', body: newCustomer() }),
    ok: [201],
    floor: true,
  };
  let upserts = 0;
  const createOrEdit: CaseSpec = {
    key: 'create-or-edit',
    label: 'CreateOrEdit (PUT /customers), half edits',
    method: 'PUT',
    variants: [{ path: '/api/v1/customers' }],
    next: () => {
      const known = upserts++ % 2 === 0 && created > 0;
      const body = known
        ? { name: `Scale Bench Edited ${upserts}`, email: `scale.${tag}.${upserts % created}@bench.example` }
        : newCustomer();
      return { path: '/api/v1/customers', body };
    },
    ok: [200, 201],
    floor: true,
  };
  const checkout = async (sessions: number): Promise<CaseSpec> => {
    const tokens = await createSessions(local.ctx.db, brand.id, sessions);
    let used = 0;
    return {
      key: 'checkout',
      label: 'checkout completion, half new payers registered',
      method: 'POST',
      variants: [{ path: '/api/public/checkout/…' }],
      next: () => {
        const n = used++;
        const payer =
          n % 2 === 0
            ? newCustomer()
            : { name: 'Returning', email: `scale.${tag}.${n % Math.max(1, created)}@bench.example` };
        const card = { number: '4242424242424242', exp_month: 12, exp_year: 2099, cvc: '123' };
        return { path: `/api/public/checkout/${tokens[n % tokens.length]}`, body: { ...payer, card } };
      },
      ok: [200],
      floor: false,
    };
  };
  return { create, createOrEdit, checkout };
}

/** How simpler payment panels compute the list: the ledger grouped per customer for each page. */
async function groupByCases(pool: pg.Pool, brand: SeededBrand): Promise<GroupByCase[]> {
  const grouped = (order: string) => `SELECT c.id, c.name_enc, c.email_enc, c.phone_enc, c.created_at,
  count(t.id) AS transactions_count, COALESCE(sum(t.base_amount_minor), 0) AS total_spent
FROM customers c
LEFT JOIN transactions t ON t.merchant_id = c.merchant_id AND t.customer_id = c.id
  AND t.type = 'payment' AND t.status = 'succeeded'
WHERE c.merchant_id = $1
GROUP BY c.merchant_id, c.id
ORDER BY ${order} LIMIT 20`;
  const cases = [
    { label: 'newest page, totals from the ledger', sql: grouped('c.created_at DESC, c.id DESC') },
    { label: 'top spenders page, totals from the ledger', sql: grouped('total_spent DESC, c.id') },
  ];
  const results: GroupByCase[] = [];
  for (const c of cases) {
    const times: number[] = [];
    const until = performance.now() + 60_000;
    while (times.length < 5 && (times.length < 2 || performance.now() < until)) {
      const t0 = performance.now();
      await pool.query(c.sql, [brand.id]);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const entry = { ...c, runs: times.length, p50: times[Math.floor(times.length / 2)]!, max: times.at(-1)! };
    results.push(entry);
    log(`GROUP BY ${c.label}: p50 ${entry.p50.toFixed(0)} ms, max ${entry.max.toFixed(0)} ms (${entry.runs} runs)`);
  }
  return results;
}

/** pgbench's TPC-B-like script, prepared, at the same client count, on a database of its own. */
async function runPgbench(url: string, clients: number, seconds: number): Promise<ScaleResults['pgbench']> {
  const target = new URL(url);
  target.pathname = '/paydesk_bench_pgbench';
  await ensureDatabase(target.toString());
  const args = ['-h', target.hostname, '-p', target.port || '5432', '-U', decodeURIComponent(target.username)];
  try {
    execFileSync('psql', [...args, '-d', 'paydesk_bench_pgbench', '-Atc', 'SELECT 1 FROM pgbench_accounts LIMIT 1'], {
      stdio: 'ignore',
    });
  } catch {
    execFileSync('pgbench', [...args, '-i', '-s', '10', '-q', 'paydesk_bench_pgbench'], { stdio: 'ignore' });
  }
  const machineStart = machineMs();
  const pgbenchStart = endedChildrenCpuMs();
  const out = execFileSync(
    'pgbench',
    [...args, '-n', '-M', 'prepared', '-c', String(clients), '-j', '2', '-T', String(seconds), 'paydesk_bench_pgbench'],
    { encoding: 'utf8' },
  );
  // pgbench's connections end with it, before their CPU could be read: PostgreSQL's share is what the
  // machine spent less pgbench's own (the server and this process idle meanwhile).
  const busyMs = machineMs().busy - machineStart.busy;
  const pgbenchMs = endedChildrenCpuMs() - pgbenchStart;
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  const latency = /latency average = ([\d.]+) ms/.exec(out);
  const transactions = /number of transactions actually processed: (\d+)/.exec(out);
  if (!tps || !latency) return null;
  const done = Number(transactions?.[1] ?? 0);
  return {
    clients,
    tps: Number(tps[1]),
    latencyAvgMs: Number(latency[1]),
    ...(done > 0 && busyMs > 0 ? { postgresUs: ((busyMs - pgbenchMs) * 1000) / done } : {}),
  };
}

async function machine(pool: pg.Pool): Promise<ScaleResults['machine']> {
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: rows[0]!.server_version,
  };
}

function line(c: ScaleCase): string {
  const f = (s: LatencySummary) =>
    `p50 ${s.p50.toFixed(1)} p95 ${s.p95.toFixed(1)} p99 ${s.p99.toFixed(1)} ms, ${s.throughput.toFixed(0)}/s${s.errors ? `, ${s.errors} errors` : ''}`;
  const cpu = (u: CpuPerRequest) =>
    `CPU µs/req server ${u.serverUs.toFixed(0)} PostgreSQL ${u.postgresUs.toFixed(0)} client ${u.clientUs.toFixed(0)}, machine ${(100 * u.machineBusy).toFixed(0)}% busy`;
  return `${c.label} [${c.brandCustomers.toLocaleString('en-US')} customers, ${c.clients} clients]: HTTP ${f(c.http)}${
    c.floor ? ` | SQL ${f(c.floor)}` : ''
  } | RSS ≤ ${c.rssMaxMb.toFixed(0)} MB${c.httpCpu ? ` | ${cpu(c.httpCpu)}` : ''}${
    c.floorCpu ? ` | bare SQL: PostgreSQL ${c.floorCpu.postgresUs.toFixed(0)} µs/req` : ''
  }`;
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
