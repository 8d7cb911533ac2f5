/** What one run of the scale bench measured: written to bench/results/scale.json, read by report.ts. */

export interface LatencySummary {
  /** Completed requests (or statement sequences) in the measured window. */
  count: number;
  /** Per second over the window. */
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  /** Answers that were not the expected status (HTTP) or statements that failed (SQL). */
  errors: number;
}

/** CPU spent per request in a load window (µs), read from /proc on this machine. */
export interface CpuPerRequest {
  /** The server process, all its threads (0 for a bare-SQL window, which has none). */
  serverUs: number;
  /** PostgreSQL: the database's backends and its own processes (WAL writer, checkpointer, …). */
  postgresUs: number;
  /** The bench process: the load generator's HTTP client or the SQL replays' node-postgres. */
  clientUs: number;
  /** Share of the machine's CPU time that was busy during the window, 0–1. */
  machineBusy: number;
}

export interface ScaleCase {
  /** Stable key, e.g. `list-page-1`; `label` is what a table shows. */
  key: string;
  label: string;
  /** `read` and `write` at the main brand; `size` the same reads at a smaller brand; `clients` a sweep. */
  group: 'read' | 'write' | 'size' | 'clients';
  method: 'GET' | 'POST' | 'PUT';
  /** The request as sent (one example when they vary). */
  path: string;
  brandCustomers: number;
  clients: number;
  http: LatencySummary;
  /** The statements the server issues for this request, replayed bare by node-postgres at the same concurrency. */
  floor: LatencySummary | null;
  /** Server RSS (MB) sampled during the window: the highest reading. */
  rssMaxMb: number;
  /** Where the HTTP window's CPU went (absent in results written before it was measured). */
  httpCpu?: CpuPerRequest;
  /** The same for the bare-SQL window. */
  floorCpu?: CpuPerRequest;
}

export interface GroupByCase {
  label: string;
  sql: string;
  runs: number;
  p50: number;
  max: number;
}

export interface ScaleResults {
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string };
  dataset: {
    brands: number;
    customers: number;
    transactions: number;
    mainBrandCustomers: number;
    mainBrandTransactions: number;
  };
  /** Seconds each load window lasted. */
  seconds: number;
  /** Server RSS right after start, before any request (MB). */
  rssIdleMb: number;
  cases: ScaleCase[];
  groupBy: GroupByCase[];
  /** pgbench TPC-B-like, prepared, at the same client count: the machine's ceiling for small write transactions. */
  pgbench: {
    clients: number;
    tps: number;
    latencyAvgMs: number;
    /** PostgreSQL's CPU per transaction (µs): the machine's busy time less pgbench's own. */
    postgresUs?: number;
  } | null;
}
