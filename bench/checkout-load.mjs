// The load generator of `npm run bench -- checkout`, in a worker thread so its own work does not
// sit in the server's event loop. Plain JS: worker threads do not inherit tsx's loader.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

const { port, tokens, returningEmails, clients, runTag, everyEmail } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const card = { number: '4242424242424242', exp_month: 12, exp_year: 2099, cvc: '123' };

function post(path, body) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

let next = 0;
let newEmails = 0;
const latencies = [];
const failures = {};

async function client() {
  for (;;) {
    const i = next++;
    if (i >= tokens.length) return;
    // Half new emails, half returning customers (deterministic by index).
    const returning = i % 2 === 1;
    const email = everyEmail
      ? returningEmails[i]
      : returning
        ? returningEmails[(i * 7919) % returningEmails.length]
        : `new.${runTag}.${i}@bench.example`;
    if (!returning && !everyEmail) newEmails++;
    const started = performance.now();
    const res = await post(`/api/public/checkout/${tokens[i]}`, {
      name: `Bench Client ${i}`,
      email,
      phone: '+8801712345678',
      card,
    });
    latencies.push(performance.now() - started);
    if (res.status !== 200) failures[res.status] = (failures[res.status] ?? 0) + 1;
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: clients }, () => client()));
const elapsedMs = performance.now() - started;
agent.destroy();
parentPort.postMessage({ elapsedMs, latencies, failures, newEmails });
