import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../src/config.js';
import { createPaydesk } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';
import { createBrand } from '../src/modules/brands/brand.service.js';
import { createApiKey } from '../src/modules/api-keys/api-key.service.js';
import { recreateDatabase } from './postgres.js';

const BENCH_MASTER_KEY = Buffer.alloc(32, 42).toString('base64');

interface LoadResult {
  sent: number;
  sendingMs: number;
  latencies: number[];
  failures: Record<string, number>;
  delays: number[];
  received: number;
  deliveredPerSecond: number;
  duplicates: number;
}

/**
 * `npm run bench -- webhooks`: events delivered per second to a local receiver, and the delay from
 * commit to delivery, at a steady rate of changes (customers created through the API, each one
 * event). Two runs at the same rate: without an endpoint (the requests' own latency) and with one
 * endpoint for every event, so the cost of webhooks to the request that causes them shows.
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rate: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '30' },
    },
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/paydesk_bench_webhooks';
  await recreateDatabase(url);
  const database = await openDatabase({ url });
  const config = parseConfig({
    DATABASE_URL: url,
    PAYDESK_MASTER_KEY: BENCH_MASTER_KEY,
    PAYDESK_DEMO: '0',
    LOG_LEVEL: 'warn',
    PORT: '0',
    PAYDESK_RATE_LIMIT_PER_KEY: '0',
    PAYDESK_WEBHOOK_ALLOW_PRIVATE: '1',
  });
  const paydesk = await createPaydesk(config, { database });
  try {
    const { ctx, app } = paydesk;
    const brand = await createBrand(ctx, { name: 'Bench Brand', country: 'BD', baseCurrency: 'BDT' });
    const { token } = await createApiKey(ctx, { merchantId: brand.id, name: 'bench', role: 'owner' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    log(`webhooks bench: ${rate} customers created a second for ${seconds} s, PostgreSQL, one server process`);

    // Warm-up, not measured: the pool's connections, prepared statements and the JIT.
    await load({ port, token, rate, seconds: Math.min(5, seconds), runTag: 'w', endpoint: undefined });
    const baseline = await load({ port, token, rate, seconds, runTag: 'a', endpoint: undefined });
    log(`without an endpoint: requests p50 ${pct(baseline.latencies, 50)} ms  p95 ${pct(baseline.latencies, 95)} ms`);

    const withHooks = await load({
      port,
      token,
      rate,
      seconds,
      runTag: 'b',
      endpoint: async (receiverUrl) => {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/webhook-endpoints',
          headers: { authorization: `Bearer ${token}` },
          payload: { url: receiverUrl, events: ['*'] },
        });
        if (response.statusCode !== 201) throw new Error(`endpoint: ${response.statusCode} ${response.body}`);
      },
    });
    log(
      `with an endpoint for every event: requests p50 ${pct(withHooks.latencies, 50)} ms  p95 ${pct(withHooks.latencies, 95)} ms`,
    );
    log(
      `delivered ${withHooks.received.toLocaleString()} of ${withHooks.sent.toLocaleString()} events, ` +
        `${Math.round(withHooks.deliveredPerSecond)} /s; duplicates ${withHooks.duplicates}; non-201 answers ${JSON.stringify(withHooks.failures)}`,
    );
    log(
      `delay from commit to delivery ms: p50 ${pct(withHooks.delays, 50)}  p95 ${pct(withHooks.delays, 95)}  p99 ${pct(withHooks.delays, 99)}  max ${pct(withHooks.delays, 100)}`,
    );
  } finally {
    await paydesk.close();
  }
}

function load(p: {
  port: number;
  token: string;
  rate: number;
  seconds: number;
  runTag: string;
  endpoint: ((receiverUrl: string) => Promise<void>) | undefined;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./webhooks-load.mjs', import.meta.url), {
      workerData: {
        port: p.port,
        token: p.token,
        ratePerSecond: p.rate,
        seconds: p.seconds,
        runTag: `${Date.now().toString(36)}${p.runTag}`,
        expectWebhooks: p.endpoint !== undefined,
      },
    });
    worker.on('message', (message: { receiverUrl?: string } & Partial<LoadResult>) => {
      if (message.receiverUrl !== undefined) {
        const ready = p.endpoint ? p.endpoint(message.receiverUrl) : Promise.resolve();
        ready.then(() => worker.postMessage('go'), reject);
      } else {
        resolve(message as LoadResult);
      }
    });
    worker.once('error', reject);
  });
}

function pct(values: number[], p: number): string {
  if (values.length === 0) return '–';
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
