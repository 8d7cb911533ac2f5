import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compiledServerArgs, startServerProcess, type ServerProcess } from '../test/reliability/server-process.js';
import { benchCustomer, searchTerms } from './embedded/people.js';
import {
  renderEmbeddedMarkdown,
  writeEmbeddedReport,
  type EmbeddedCase,
  type EmbeddedResults,
} from './embedded/report.js';
import { loadHttp, rssMb, sampleRss } from './scale/load.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CLIENTS = 16;
const LIST = '/api/v1/customers?limit=20';

/**
 * `npm run bench -- embedded [--customers 20000] [--seconds 10] [--no-report]`: what a new user meets
 * after `npm install && npm start`. The real server (`node dist/main.js`, its own process) on PGlite in
 * a fresh data directory, no DATABASE_URL, the first start's demo brand; then, at 16 clients:
 *
 * 1. creates through POST /customers, in windows, until the brand holds `--customers` more;
 * 2. at that size: search (a mix at 1 client, as one person searches, and at 16; then each term
 *    alone), list page 1 and the KPI, `--seconds` each;
 * 3. the server's RSS before the first request, under every window, and idle at the end.
 *
 * Writes bench/results/embedded.json and BENCHMARKS.md's embedded-bench section.
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '20000' },
      seconds: { type: 'string', default: '10' },
      // A trial run: results printed, BENCHMARKS.md and bench/results left as they are.
      'no-report': { type: 'boolean', default: false },
    },
  });
  const target = Number(values.customers);
  const seconds = Number(values.seconds);
  const startedAt = new Date();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-embedded-'));
  const token = `pdk_embedded_bench_${randomBytes(12).toString('base64url')}`;
  // As `npm start` on a first run (demo brand and all), with a key we know and without rate limits:
  // every simulated client comes from 127.0.0.1 with one key; real traffic does not.
  const server = await startServerProcess(
    {
      PAYDESK_DATA_DIR: dataDir,
      PAYDESK_API_KEY: token,
      PAYDESK_RATE_LIMIT_PER_KEY: '0',
      PAYDESK_RATE_LIMIT_PER_IP: '0',
    },
    undefined,
    'compiled',
  );
  const pid = server.child.pid!;
  try {
    await sleep(1000);
    const rssIdleMb = rssMb(pid);
    log(`server up at ${server.url} (PGlite in ${dataDir}), RSS ${rssIdleMb.toFixed(0)} MB before any request`);
    const total = () => totalCustomers(server, token);
    const cases: EmbeddedCase[] = [];
    const window = async (
      spec: Pick<EmbeddedCase, 'key' | 'label' | 'path'> & { method: 'GET' | 'POST'; ok: number[] },
      next: () => { path: string; body?: unknown },
      windowSeconds: number,
      clients = CLIENTS,
    ) => {
      const customersFrom = await total();
      const rss = sampleRss(pid);
      const http = await loadHttp({
        baseUrl: server.url,
        token,
        method: spec.method,
        next,
        ok: spec.ok,
        clients,
        seconds: windowSeconds,
      });
      const entry: EmbeddedCase = {
        key: spec.key,
        label: spec.label,
        path: spec.path,
        customersFrom,
        customersTo: await total(),
        clients,
        http,
        rssMaxMb: rss.stop(),
      };
      cases.push(entry);
      log(line(entry));
      return entry;
    };

    // Creates, in windows of about a quarter of the target each (the rate measured so far sets the
    // length), so the table shows how a create's cost moves as the data grows.
    const before = await total();
    let created = 0;
    let next = 0;
    let rate = 0;
    const createStarted = performance.now();
    const create = { key: 'create', label: 'create (POST /customers)', path: '/api/v1/customers' };
    while (created < target) {
      const chunk = Math.min(Math.ceil(target / 4), target - created);
      const windowSeconds = rate ? Math.min(600, Math.max(2, Math.round(chunk / rate))) : 5;
      const entry = await window(
        { ...create, method: 'POST', ok: [201] },
        () => ({ path: create.path, body: benchCustomer(next++) }),
        windowSeconds,
      );
      created = entry.customersTo - before;
      rate = entry.http.throughput;
      if (entry.customersTo === entry.customersFrom) throw new Error(`no customer created:\n${server.output()}`);
    }
    const createSeconds = (performance.now() - createStarted) / 1000;
    const createCases = cases.filter((c) => c.key === 'create');

    const terms = searchTerms(created);
    const search = (q: string) => `${LIST}&q=${encodeURIComponent(q)}`;
    const get = { method: 'GET' as const, ok: [200] };
    let turn = 0;
    // One staff member searching, the way the dashboard is used: the latency a person meets.
    await window(
      { ...get, key: 'search', label: `search mix, one person`, path: search(terms[0]!.q) },
      () => ({ path: search(terms[turn++ % terms.length]!.q) }),
      seconds,
      1,
    );
    await window(
      { ...get, key: 'search', label: `search mix (${terms.map((t) => t.q).join(', ')})`, path: search(terms[0]!.q) },
      () => ({ path: search(terms[turn++ % terms.length]!.q) }),
      seconds,
    );
    for (const term of terms) {
      const termPath = search(term.q);
      await window(
        { ...get, key: 'search-term', label: `search: ${term.label} (${term.q})`, path: termPath },
        () => ({ path: termPath }),
        seconds,
      );
    }
    await window(
      { ...get, key: 'list-page-1', label: 'list, page 1 (newest)', path: LIST },
      () => ({ path: LIST }),
      seconds,
    );
    const kpi = '/api/v1/customers/stats';
    await window({ ...get, key: 'kpi', label: 'KPI total customers', path: kpi }, () => ({ path: kpi }), seconds);

    await sleep(2000);
    const results: EmbeddedResults = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: `npm run bench -- embedded${argv.length ? ` ${argv.join(' ')}` : ''}`,
      serverCommand: ['node', ...compiledServerArgs()].join(' '),
      machine: machine(),
      customersTarget: target,
      customersAtReads: before + created,
      seconds,
      clients: CLIENTS,
      rssIdleMb,
      rssAfterMb: rssMb(pid),
      dataDirMb: directoryMb(dataDir),
      creates: {
        created,
        seconds: createSeconds,
        throughput: created / createSeconds,
        errors: createCases.reduce((n, c) => n + c.http.errors, 0),
        rssMaxMb: Math.max(...createCases.map((c) => c.rssMaxMb)),
      },
      cases,
    };
    log(`\n${renderEmbeddedMarkdown(results)}\n`);
    if (values['no-report']) return;
    const resultsFile = path.join(ROOT, 'bench/results/embedded.json');
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    await writeEmbeddedReport(results, path.join(ROOT, 'BENCHMARKS.md'));
    log(`results: ${path.relative(ROOT, resultsFile)}; BENCHMARKS.md updated`);
  } catch (error) {
    // The server's own last words (a crash of the embedded database prints there).
    const exit = server.child.exitCode ?? server.child.signalCode;
    throw new Error(
      `${String(error)}; server ${exit === null ? 'running' : `exited (${exit})`}:\n${server.output().slice(-4000)}`,
      { cause: error },
    );
  } finally {
    await server.stop('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function totalCustomers(server: ServerProcess, token: string): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/customers/stats`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`GET /customers/stats answered ${response.status}:\n${server.output()}`);
  return ((await response.json()) as { total_customers: number }).total_customers;
}

function machine(): EmbeddedResults['machine'] {
  const manifest = path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json');
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    pglite: (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version,
  };
}

function directoryMb(dir: string): number {
  const kb = execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0];
  return Number(kb) / 1024;
}

function line(c: EmbeddedCase): string {
  const s = c.http;
  return `${c.label} [${c.customersFrom.toLocaleString('en-US')} → ${c.customersTo.toLocaleString('en-US')} customers]: p50 ${s.p50.toFixed(1)} p95 ${s.p95.toFixed(1)} p99 ${s.p99.toFixed(1)} ms, ${s.throughput.toFixed(0)}/s${s.errors ? `, ${s.errors} errors` : ''} | RSS ≤ ${c.rssMaxMb.toFixed(0)} MB`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
