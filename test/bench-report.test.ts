import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderScaleMarkdown, writeScaleReport } from '../bench/scale/report.js';
import type { LatencySummary, ScaleCase, ScaleResults } from '../bench/scale/results.js';

const MAIN = 1_000_000;

function summary(p95: number, throughput: number): LatencySummary {
  return { count: throughput * 10, throughput, p50: p95 / 2, p95, p99: p95 * 1.5, errors: 0 };
}

function newCase(fields: Partial<ScaleCase> & Pick<ScaleCase, 'key' | 'label' | 'group'>): ScaleCase {
  return {
    method: 'GET',
    path: '/api/v1/customers',
    brandCustomers: MAIN,
    clients: 16,
    http: summary(9, 1_200),
    floor: null,
    rssMaxMb: 180,
    ...fields,
  };
}

const results: ScaleResults = {
  startedAt: '2026-12-04T10:15:30.000Z',
  finishedAt: '2026-12-04T10:45:00.000Z',
  command: 'npm run bench -- scale',
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGb: 24, node: 'v20.19.0', postgres: '15.8' },
  dataset: {
    brands: 21,
    customers: 1_146_000,
    transactions: 11_460_000,
    mainBrandCustomers: MAIN,
    mainBrandTransactions: 10_000_000,
  },
  seconds: 10,
  rssIdleMb: 95,
  cases: [
    // App p95 9.0 against a floor of 3.0: 3.0×, over the 2× target; within 15 ms.
    newCase({ key: 'list-page-1', label: 'List, page 1', group: 'read', floor: summary(3, 4_000) }),
    // Over the 10 ms search target; app within 2× of its floor.
    newCase({ key: 'search', label: 'Search', group: 'read', http: summary(12, 800), floor: summary(8, 1_000) }),
    newCase({
      key: 'list-page-1',
      label: 'List, page 1',
      group: 'size',
      brandCustomers: 2_000,
      http: summary(2, 5_000),
    }),
    newCase({
      key: 'list-page-1',
      label: 'List, page 1',
      group: 'size',
      brandCustomers: 100_000,
      http: summary(4, 3_000),
    }),
    newCase({
      key: 'create',
      label: 'Create',
      group: 'write',
      method: 'POST',
      http: summary(14, 1_700),
      rssMaxMb: 320,
      // 400 + 600 µs a create on 2 cores: 2,000/s if they had the machine to themselves.
      httpCpu: { serverUs: 400, postgresUs: 600, clientUs: 90, machineBusy: 0.853 },
      floorCpu: { serverUs: 0, postgresUs: 520, clientUs: 60, machineBusy: 0.5 },
    }),
    newCase({ key: 'create', label: 'Create', group: 'clients', method: 'POST', clients: 1, http: summary(2, 400) }),
    newCase({
      key: 'create',
      label: 'Create',
      group: 'clients',
      method: 'POST',
      clients: 64,
      http: summary(60, 1_900),
    }),
  ],
  groupBy: [
    { label: 'List page 1', sql: 'SELECT id\n  FROM customers\n  LIMIT 21', runs: 50, p50: 4.25, max: 9 },
    {
      label: 'GROUP BY customer_id',
      sql: 'SELECT customer_id, sum(amount) FROM transactions GROUP BY 1',
      runs: 5,
      p50: 2_345,
      max: 2_801,
    },
  ],
  pgbench: { clients: 16, tps: 3_400, latencyAvgMs: 4.7, postgresUs: 240 },
};

describe('renderScaleMarkdown', () => {
  const markdown = renderScaleMarkdown(results);

  it('starts with the run heading and names the machine and data', () => {
    expect(markdown.startsWith('### Run of 2026-12-04 10:15 UTC\n')).toBe(true);
    expect(markdown).toContain('2 CPUs (Test CPU), 24 GB memory, Node.js v20.19.0, PostgreSQL 15.8');
    expect(markdown).toContain('1,000,000 customers and 10,000,000 transactions');
    expect(markdown).toContain('`npm run bench -- scale`');
  });

  it('shows each read beside its bare SQL with the p95 ratio', () => {
    expect(markdown).toContain('#### Reads at the 1M brand, 16 clients');
    expect(markdown).toContain('| List, page 1 | 4.5 | 9.0 | 13.5 | 1,200 | 1.5 | 3.0 | 4,000 | 3.0× | 0 | 180 |');
  });

  it('shows a dash where a write has no bare SQL floor', () => {
    expect(markdown).toContain('| Create | 7.0 | 14.0 | 21.0 | 1,700 | — | — | — | — | 0 | 320 |');
  });

  it('puts the main-brand read into the size sweep, smallest brand first', () => {
    const rows = markdown.split('\n').filter((l) => l.startsWith('| List, page 1 | ') && l.split('|').length === 8);
    expect(rows).toEqual([
      '| List, page 1 | 2,000 | 1.0 | 2.0 | 3.0 | 5,000 |',
      '| List, page 1 | 100,000 | 2.0 | 4.0 | 6.0 | 3,000 |',
      '| List, page 1 | 1,000,000 | 4.5 | 9.0 | 13.5 | 1,200 |',
    ]);
  });

  it('puts the main-brand write into the clients sweep', () => {
    expect(markdown).toContain('| Create | 1 | 400 | 1.0 | 2.0 | 3.0 |\n| Create | 16 | 1,700 |');
    expect(markdown).toContain('| Create | 64 | 1,900 | 30.0 | 60.0 | 90.0 |');
  });

  it('lists the GROUP BY timings and their SQL on one line each', () => {
    expect(markdown).toContain('| GROUP BY customer_id | 5 | 2,345 | 2,801 |');
    expect(markdown).toContain('```sql\n-- List page 1\nSELECT id FROM customers LIMIT 21;\n');
  });

  it('gives pgbench and each write as a share of it', () => {
    expect(markdown).toContain('at 16 clients: 3,400 tps, 4.7 ms average latency');
    expect(markdown).toContain('Create (16 clients) 50 %');
  });

  it('gives the CPU per request of the server, PostgreSQL and the load, and what it allows on these cores', () => {
    expect(markdown).toContain('#### Where the CPU went');
    expect(markdown).toContain('| Create | 16 | 1,700 | 400 | 600 | 90 | 85 % | 2,000 | 520 |');
    // Cases measured without /proc (older results) are left out, not shown as zeros.
    expect(markdown).not.toMatch(/\| List, page 1 \| 16 \| 1,200 \| /);
    expect(markdown).toContain('PostgreSQL spent about 240 µs of CPU a transaction');
    expect(markdown).toContain("per request, PostgreSQL's CPU as a multiple of that: Create 2.5×.");
  });

  it('has no CPU section for a run without CPU figures', () => {
    const older = renderScaleMarkdown({
      ...results,
      cases: results.cases.map(({ httpCpu: _h, floorCpu: _f, ...rest }) => rest),
      pgbench: { clients: 16, tps: 3_400, latencyAvgMs: 4.7 },
    });
    expect(older).not.toContain('Where the CPU went');
    expect(older).not.toContain('µs of CPU');
  });

  it('marks met targets ✅ and missed ones ❌', () => {
    expect(markdown).toContain('| List, page 1: p95 ≤ 15 ms | 9.0 ms | ✅ |');
    expect(markdown).toContain('| Search: p95 ≤ 10 ms | 12.0 ms | ❌ |');
    expect(markdown).toContain('| List, page 1: app ≤ 2× bare SQL (p95) | 3.0× | ❌ |');
    expect(markdown).toContain('| Search: app ≤ 2× bare SQL (p95) | 1.5× | ✅ |');
    expect(markdown).toContain('| Create at 16 clients: ≥ 1,500/s | 1,700/s | ✅ |');
    expect(markdown).toContain('| Create at 16 clients: p95 ≤ 20 ms | 14.0 ms | ✅ |');
    expect(markdown).toContain('| Server RSS ≤ 300 MB (highest over all cases) | 320 MB | ❌ |');
    // No checkout, KPI or profile case in this run: their targets are left out, not failed.
    expect(markdown).not.toMatch(/Checkout|KPI|Profile/i);
  });
});

describe('writeScaleReport', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paydesk-bench-report-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('replaces only the text between the markers and links the plots relative to the file', async () => {
    const file = path.join(dir, 'with-markers.md');
    const before = '# Benchmarks\n\n## At scale\n\nIntro kept.\n\n';
    const after = '\n\n## Later section\n\nKept too.\n';
    await fs.writeFile(file, `${before}<!-- scale-bench:start -->\nold table\n<!-- scale-bench:end -->${after}`);

    const { plots } = await writeScaleReport(results, {
      benchmarksFile: file,
      plotsDir: path.join(dir, 'docs', 'bench'),
    });

    const doc = await fs.readFile(file, 'utf8');
    expect(doc.startsWith(`${before}<!-- scale-bench:start -->\n### Run of`)).toBe(true);
    expect(doc.endsWith(`<!-- scale-bench:end -->${after}`)).toBe(true);
    expect(doc).not.toContain('old table');
    expect(doc).toContain('](docs/bench/latency-by-size.svg)');
    expect(doc).toContain('](docs/bench/throughput-by-clients.svg)');
    expect(plots.map((p) => path.basename(p))).toEqual(['latency-by-size.svg', 'throughput-by-clients.svg']);
  });

  it('appends the section with its markers to a file without them', async () => {
    const file = path.join(dir, 'without-markers.md');
    await fs.writeFile(file, '# Benchmarks\n\nEarlier results.\n');

    await writeScaleReport(results, { benchmarksFile: file, plotsDir: path.join(dir, 'plots') });

    const doc = await fs.readFile(file, 'utf8');
    expect(doc).toMatch(
      /^# Benchmarks\n\nEarlier results\.\n\n## At scale: 1M customers, 10M payments \(issue 17\)\n\n<!-- scale-bench:start -->\n### Run of/,
    );
    expect(doc.trimEnd().endsWith('<!-- scale-bench:end -->')).toBe(true);
  });

  it('writes both plots as SVG with their axis titles', async () => {
    const plotsDir = path.join(dir, 'svg');
    const file = path.join(dir, 'plots.md');
    await fs.writeFile(file, '');
    const { plots } = await writeScaleReport(results, { benchmarksFile: file, plotsDir });
    const [bySize, byClients] = await Promise.all(plots.map((p) => fs.readFile(p, 'utf8')));

    expect(bySize?.startsWith('<svg')).toBe(true);
    expect(bySize).toContain('Customers in the brand (log scale)');
    expect(bySize).toContain('p95 latency (ms)');
    expect(byClients?.startsWith('<svg')).toBe(true);
    expect(byClients).toContain('Concurrent clients (log₂ scale)');
    expect(byClients).toContain('Requests per second');
  });
});
