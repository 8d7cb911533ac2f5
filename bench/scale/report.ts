import fs from 'node:fs/promises';
import path from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { LatencySummary, ScaleCase, ScaleResults } from './results.js';

/** Turns one run of the scale bench (results.ts) into BENCHMARKS.md tables and two SVG plots. */

export const SCALE_BENCH_START = '<!-- scale-bench:start -->';
export const SCALE_BENCH_END = '<!-- scale-bench:end -->';
const SECTION_HEADING = '## At scale: 1M customers, 10M payments (issue 17)';

const LIST_KEYS = ['list-page-1', 'list-deep', 'list-top-spenders'];
const READ_P95_TARGETS: Array<{ keys: string[]; p95: number }> = [
  { keys: [...LIST_KEYS, 'kpi', 'profile', 'profile-transactions'], p95: 15 },
  { keys: ['search'], p95: 10 },
];
const WRITE_TARGETS = [
  { key: 'create', throughput: 1_500, p95: 20 },
  { key: 'checkout', throughput: 1_000, p95: 25 },
];
const APP_OVER_SQL_MAX = 2;
const RSS_MAX_MB = 300;
/** The write targets are stated at this concurrency. */
const TARGET_CLIENTS = 16;

export function renderScaleMarkdown(results: ScaleResults): string {
  const reads = results.cases.filter((c) => c.group === 'read');
  const writes = results.cases.filter((c) => c.group === 'write');
  const mainBrand = compactCount(results.dataset.mainBrandCustomers);
  return [
    `### Run of ${utcMinute(results.startedAt)} UTC`,
    describeRun(results),
    `#### Reads at the ${mainBrand} brand${clientsSuffix(reads)}`,
    table(CASE_HEADER, reads.map(caseRow)),
    `#### Writes at the ${mainBrand} brand${clientsSuffix(writes)}`,
    table(CASE_HEADER, writes.map(caseRow)),
    '#### Latency against brand size',
    table(
      ['case', 'brand customers', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s'],
      sizeSweep(results).map((c) => [c.label, count(c.brandCustomers), ...latencies(c.http), count(c.http.throughput)]),
    ),
    '#### Throughput against clients',
    table(
      ['case', 'clients', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms'],
      clientsSweep(results).map((c) => [c.label, String(c.clients), count(c.http.throughput), ...latencies(c.http)]),
    ),
    '#### The list beside a GROUP BY over the ledger',
    table(
      ['query', 'runs', 'p50 ms', 'max ms'],
      results.groupBy.map((g) => [g.label, count(g.runs), ms(g.p50), ms(g.max)]),
    ),
    ['```sql', ...results.groupBy.map((g) => `-- ${g.label}\n${compactSql(g.sql)};`), '```'].join('\n'),
    describePgbench(results.pgbench, writes),
    ...cpuSection(results),
    "#### Against issue 17's targets",
    table(['target', 'measured', 'met'], targetRows(results)),
  ].join('\n\n');
}

export async function writeScaleReport(
  results: ScaleResults,
  options: { benchmarksFile: string; plotsDir: string },
): Promise<{ plots: string[] }> {
  await fs.mkdir(options.plotsDir, { recursive: true });
  const plots = [
    { title: LATENCY_BY_SIZE, file: 'latency-by-size.svg', spec: latencyBySizeSpec(results) },
    { title: THROUGHPUT_BY_CLIENTS, file: 'throughput-by-clients.svg', spec: throughputByClientsSpec(results) },
  ];
  const docDir = path.dirname(options.benchmarksFile);
  const links: string[] = [];
  for (const plot of plots) {
    const file = path.join(options.plotsDir, plot.file);
    await fs.writeFile(file, await renderSvg(plot.spec));
    links.push(`![${plot.title}](${path.relative(docDir, file).split(path.sep).join('/')})`);
  }
  const block = `${SCALE_BENCH_START}\n${renderScaleMarkdown(results)}\n\n${links.join('\n\n')}\n${SCALE_BENCH_END}`;
  const doc = await fs.readFile(options.benchmarksFile, 'utf8');
  await fs.writeFile(options.benchmarksFile, replaceBetweenMarkers(doc, block));
  return { plots: plots.map((p) => path.join(options.plotsDir, p.file)) };
}

function replaceBetweenMarkers(doc: string, block: string): string {
  const start = doc.indexOf(SCALE_BENCH_START);
  const end = doc.indexOf(SCALE_BENCH_END);
  if (start === -1 && end === -1) {
    return `${doc.trimEnd()}\n\n${SECTION_HEADING}\n\n${block}\n`;
  }
  // One marker without the other means someone edited by hand: stop rather than eat the document.
  if (start === -1 || end < start) throw new Error(`Markers out of order or missing: ${SCALE_BENCH_START}`);
  return doc.slice(0, start) + block + doc.slice(end + SCALE_BENCH_END.length);
}

// --- Markdown -----------------------------------------------------------------------------------

const CASE_HEADER = [
  'case',
  'HTTP p50 ms',
  'p95',
  'p99',
  'req/s',
  'bare SQL p50 ms',
  'p95',
  'req/s',
  'app ÷ SQL (p95)',
  'errors',
  'server RSS max MB',
];

function caseRow(c: ScaleCase): string[] {
  const { http, floor } = c;
  const errors = floor?.errors ? `${count(http.errors)} (SQL ${count(floor.errors)})` : count(http.errors);
  return [
    c.label,
    ...latencies(http),
    count(http.throughput),
    floor ? ms(floor.p50) : '—',
    floor ? ms(floor.p95) : '—',
    floor ? count(floor.throughput) : '—',
    ratio(c) ?? '—',
    errors,
    count(c.rssMaxMb),
  ];
}

function describeRun(r: ScaleResults): string {
  const { machine: m, dataset: d } = r;
  return [
    `**Machine.** ${m.cpus} CPUs (${m.cpuModel}), ${count(m.memoryGb)} GB memory, Node.js ${m.node}, PostgreSQL ${m.postgres}.`,
    `**Data.** ${count(d.brands)} brands, ${count(d.customers)} customers, ${count(d.transactions)} transactions;`,
    `the main brand has ${count(d.mainBrandCustomers)} customers and ${count(d.mainBrandTransactions)} transactions.`,
    `Each load window lasted ${r.seconds} s; the server's RSS was ${count(r.rssIdleMb)} MB before the first request.`,
    `Command: \`${r.command}\`.`,
  ].join('\n');
}

function describePgbench(pgbench: ScaleResults['pgbench'], writes: ScaleCase[]): string {
  if (!pgbench) return '**pgbench.** Not run.';
  const shares = writes.map(
    (c) => `${c.label} (${c.clients} clients) ${count((100 * c.http.throughput) / pgbench.tps)} %`,
  );
  const perTransaction = pgbench.postgresUs;
  const costs =
    perTransaction === undefined
      ? []
      : writes
          .filter((c) => c.httpCpu && c.httpCpu.postgresUs > 0)
          .map((c) => `${c.label} ${(c.httpCpu!.postgresUs / perTransaction).toFixed(1)}×`);
  return (
    `**pgbench** (TPC-B-like, prepared) at ${pgbench.clients} clients: ${count(pgbench.tps)} tps, ` +
    `${ms(pgbench.latencyAvgMs)} ms average latency.` +
    (shares.length ? ` Writes as a share of its tps: ${shares.join('; ')}.` : '') +
    (perTransaction === undefined
      ? ''
      : ` PostgreSQL spent about ${count(perTransaction)} µs of CPU a transaction (the machine's busy time less pgbench's own)` +
        (costs.length ? `; per request, PostgreSQL's CPU as a multiple of that: ${costs.join('; ')}.` : '.'))
  );
}

/** CPU per request of the server, PostgreSQL and the load generator, where /proc was read. */
function cpuSection(r: ScaleResults): string[] {
  const shown = r.cases.filter(
    (c) =>
      c.httpCpu &&
      (c.group === 'read' || c.group === 'write' || (c.group === 'clients' && c.clients === TARGET_CLIENTS)),
  );
  if (shown.length === 0) return [];
  const cores = r.machine.cpus;
  const us = (n: number | undefined) => (n === undefined ? '—' : count(n));
  return [
    '#### Where the CPU went',
    `CPU per request during each HTTP window, from \`/proc\`: the server process (all its threads), PostgreSQL ` +
      `(the database's backends and its own processes: WAL writer, checkpointer) and the bench's load generator, ` +
      `all on the same ${cores} cores. "${cores} cores ÷ (server + PostgreSQL)" is the rate those two could reach ` +
      `with the machine to themselves and nothing waiting; the last column is PostgreSQL's CPU per request when ` +
      `the bare SQL is replayed without the server.`,
    table(
      [
        'case',
        'clients',
        'req/s',
        'server µs',
        'PostgreSQL µs',
        'load generator µs',
        'machine busy',
        `${cores} cores ÷ (server + PostgreSQL), req/s`,
        'bare SQL: PostgreSQL µs',
      ],
      shown.map((c) => {
        const cpu = c.httpCpu!;
        const both = cpu.serverUs + cpu.postgresUs;
        return [
          c.label,
          String(c.clients),
          count(c.http.throughput),
          us(cpu.serverUs),
          us(cpu.postgresUs),
          us(cpu.clientUs),
          `${count(100 * cpu.machineBusy)} %`,
          both > 0 ? count((cores * 1e6) / both) : '—',
          us(c.floorCpu?.postgresUs),
        ];
      }),
    ),
  ];
}

function targetRows(r: ScaleResults): string[][] {
  const rows: string[][] = [];
  const check = (target: string, measured: string, met: boolean) => rows.push([target, measured, met ? '✅' : '❌']);
  const read = (key: string) => r.cases.find((c) => c.group === 'read' && c.key === key);
  for (const { keys, p95 } of READ_P95_TARGETS) {
    for (const c of keys.map(read)) {
      if (c) check(`${c.label}: p95 ≤ ${p95} ms`, `${ms(c.http.p95)} ms`, c.http.p95 <= p95);
    }
  }
  for (const t of WRITE_TARGETS) {
    const candidates = r.cases.filter((c) => c.group === 'write' && c.key === t.key);
    const c = candidates.find((x) => x.clients === TARGET_CLIENTS) ?? candidates[0];
    if (!c) continue;
    const at = `${c.label} at ${c.clients} clients`;
    check(`${at}: ≥ ${count(t.throughput)}/s`, `${count(c.http.throughput)}/s`, c.http.throughput >= t.throughput);
    check(`${at}: p95 ≤ ${t.p95} ms`, `${ms(c.http.p95)} ms`, c.http.p95 <= t.p95);
  }
  for (const c of r.cases.filter((x) => x.group === 'read')) {
    const shown = ratio(c);
    if (c.floor && shown) {
      check(
        `${c.label}: app ≤ ${APP_OVER_SQL_MAX}× bare SQL (p95)`,
        shown,
        c.http.p95 <= APP_OVER_SQL_MAX * c.floor.p95,
      );
    }
  }
  if (r.cases.length) {
    const rss = Math.max(...r.cases.map((c) => c.rssMaxMb));
    check(`Server RSS ≤ ${RSS_MAX_MB} MB (highest over all cases)`, `${count(rss)} MB`, rss <= RSS_MAX_MB);
  }
  return rows;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

// --- Sweeps: a sweep's own cases plus the main-brand case with the same key ------------------------

function sizeSweep(r: ScaleResults): ScaleCase[] {
  return sweep(r, 'size', ['read'], (c) => c.brandCustomers);
}

function clientsSweep(r: ScaleResults): ScaleCase[] {
  return sweep(r, 'clients', ['read', 'write'], (c) => c.clients);
}

/** Grouped by key (in order of first appearance), sorted by `x`; a main case repeating a sweep point is dropped. */
function sweep(
  r: ScaleResults,
  group: ScaleCase['group'],
  alsoFrom: Array<ScaleCase['group']>,
  x: (c: ScaleCase) => number,
): ScaleCase[] {
  const own = r.cases.filter((c) => c.group === group);
  const keys = [...new Set(own.map((c) => c.key))];
  const extra = r.cases.filter(
    (c) => alsoFrom.includes(c.group) && keys.includes(c.key) && !own.some((o) => o.key === c.key && x(o) === x(c)),
  );
  const all = [...own, ...extra];
  return keys.flatMap((key) => all.filter((c) => c.key === key).sort((a, b) => x(a) - x(b)));
}

// --- Plots ----------------------------------------------------------------------------------------

const LATENCY_BY_SIZE = 'p95 latency against brand size';
const THROUGHPUT_BY_CLIENTS = 'Throughput against concurrent clients';

function latencyBySizeSpec(r: ScaleResults): TopLevelSpec {
  const cases = sizeSweep(r);
  const points = cases.map((c) => ({ case: labelOfKey(cases, c.key), customers: c.brandCustomers, p95: c.http.p95 }));
  return lineChart({
    title: LATENCY_BY_SIZE,
    points,
    x: { field: 'customers', title: 'Customers in the brand (log scale)', scale: { type: 'log' }, format: ',' },
    y: { field: 'p95', title: 'p95 latency (ms)' },
  });
}

function throughputByClientsSpec(r: ScaleResults): TopLevelSpec {
  const cases = clientsSweep(r);
  const points = cases.map((c) => ({ case: labelOfKey(cases, c.key), clients: c.clients, rps: c.http.throughput }));
  return lineChart({
    title: THROUGHPUT_BY_CLIENTS,
    points,
    x: { field: 'clients', title: 'Concurrent clients (log₂ scale)', scale: { type: 'log', base: 2 }, format: 'd' },
    y: { field: 'rps', title: 'Requests per second' },
  });
}

/** The legend shows labels, but lines follow keys: the first label seen names the whole line. */
function labelOfKey(cases: ScaleCase[], key: string): string {
  // Without its parenthesis: a search's terms differ per brand, and the legend has little room.
  return (cases.find((c) => c.key === key)?.label ?? key).replace(/\s*\(.*\)$/, '');
}

function lineChart(chart: {
  title: string;
  points: Array<Record<string, string | number>>;
  x: { field: string; title: string; scale: { type: 'log'; base?: number }; format: string };
  y: { field: string; title: string };
}): TopLevelSpec {
  // Tick at the measured points only: a log axis otherwise labels every power in between.
  const ticks = [...new Set(chart.points.map((p) => p[chart.x.field]))].filter((v) => typeof v === 'number');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: 640,
    height: 360,
    background: 'white',
    data: { values: chart.points },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: chart.x.field,
        type: 'quantitative',
        title: chart.x.title,
        scale: chart.x.scale,
        axis: { values: ticks, format: chart.x.format },
      },
      y: { field: chart.y.field, type: 'quantitative', title: chart.y.title },
      color: { field: 'case', type: 'nominal', title: 'Case' },
    },
  };
}

async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

// --- Numbers --------------------------------------------------------------------------------------

const thousands = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function count(n: number): string {
  return thousands.format(n);
}

/** 1 decimal below 100 ms, where it matters; none above, where it is noise. */
function ms(n: number): string {
  return n < 99.95 ? n.toFixed(1) : count(n);
}

function latencies(s: LatencySummary): string[] {
  return [ms(s.p50), ms(s.p95), ms(s.p99)];
}

function ratio(c: ScaleCase): string | null {
  return c.floor && c.floor.p95 > 0 ? `${(c.http.p95 / c.floor.p95).toFixed(1)}×` : null;
}

function clientsSuffix(cases: ScaleCase[]): string {
  const clients = [...new Set(cases.map((c) => c.clients))];
  return clients.length === 1 ? `, ${clients[0]} client${clients[0] === 1 ? '' : 's'}` : '';
}

/** 1000000 → 1M, 100000 → 100k: how the headings name brand sizes. */
function compactCount(n: number): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(n).replace('K', 'k');
}

function utcMinute(iso: string): string {
  return new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
}

/** One line per statement: the plan is what matters in review, not the indentation. */
function compactSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().replace(/;$/, '');
}
