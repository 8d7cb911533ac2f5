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
  pgbench: { clients: number; tps: number; latencyAvgMs: number } | null;
}
