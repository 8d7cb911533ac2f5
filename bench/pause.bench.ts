import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startServerProcess } from '../test/reliability/server-process.js';
import { openScaleDataset, scaleDatabaseUrl } from './scale.bench.js';
import { sampleProfileIds, scaleServerEnv } from './scale/measure.js';
import { median } from './median.js';

/**
 * `npm run bench -- pause [--customers 1000000] [--pause 12] [--rounds 5]`: the Customers page's reads
 * as a staff member meets them, a click now and then rather than a steady stream. On the scale
 * dataset (seeded by `npm run bench` when missing), through the real server: each read's median
 * back to back (warm), then `--rounds` times a pause of `--pause` seconds followed by each read once,
 * in the order a person opens them. A pooled connection closed during the pause is replaced by a
 * new backend, whose first queries pay for its start, its catalog caches and its first touch of
 * each shared buffer (src/db/database.ts, IDLE_CONNECTION_MS). Prints a table; writes nothing.
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '1000000' },
      pause: { type: 'string', default: '12' },
      rounds: { type: 'string', default: '5' },
    },
  });
  const url = scaleDatabaseUrl();
  const [brand] = (await openScaleDataset(url, Number(values.customers))).brands;
  if (!brand) throw new Error('the scale dataset has no brand');
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const [profile] = await sampleProfileIds(pool, brand.id);
  await pool.end();
  if (!profile) throw new Error('no customer with payments to open');
  const reads: Array<[string, string]> = [
    ['list, page 1 (newest)', '/api/v1/customers?limit=20'],
    ['KPI total customers', '/api/v1/customers/stats'],
    ['profile', `/api/v1/customers/${profile}`],
    ["profile's latest payments", `/api/v1/customers/${profile}/transactions?limit=10`],
    [`search "${brand.terms.common}"`, `/api/v1/customers?limit=20&q=${encodeURIComponent(brand.terms.common)}`],
    [`search "${brand.terms.digits}"`, `/api/v1/customers?limit=20&q=${encodeURIComponent(brand.terms.digits)}`],
  ];
  const server = await startServerProcess(scaleServerEnv(url), undefined, 'compiled');
  const timed = async (path: string): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${brand.token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    return performance.now() - started;
  };
  try {
    for (let i = 0; i < 30; i++) for (const [, path] of reads) await timed(path);
    const warm = new Map<string, number>();
    for (const [label, path] of reads) {
      const times: number[] = [];
      for (let i = 0; i < 21; i++) times.push(await timed(path));
      warm.set(label, median(times));
    }
    const paused = new Map<string, number[]>(reads.map(([label]) => [label, []]));
    for (let round = 0; round < Number(values.rounds); round++) {
      await new Promise((resolve) => setTimeout(resolve, Number(values.pause) * 1000));
      for (const [label, path] of reads) paused.get(label)!.push(await timed(path));
    }
    const ms = (n: number) => n.toFixed(1);
    const lines = [
      `Brand of ${brand.customers.toLocaleString('en-US')} customers; ${values.rounds} pauses of ${values.pause} s.`,
      '',
      `| read | warm, median ms | after a ${values.pause}-s pause: median ms | each, ms |`,
      '|---|---|---|---|',
      ...reads.map(([label]) => {
        const after = paused.get(label)!;
        return `| ${label} | ${ms(warm.get(label)!)} | ${ms(median(after))} | ${after.map(ms).join(', ')} |`;
      }),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await server.stop('SIGTERM');
  }
}
