// The load generator and the receiver of `npm run bench -- webhooks`, in a worker thread so neither
// sits in the server's event loop. Plain JS: worker threads do not inherit tsx's loader.
//
// Creates customers through POST /api/v1/customers at a fixed rate (open loop: a slow answer does
// not slow the next request), and receives their customer.created webhooks. Each event's delay is
// the time from the API's answer (after the commit that wrote the event) to its arrival.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const { port, token, ratePerSecond, seconds, runTag, expectWebhooks } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

const answeredAt = new Map(); // customer id → when the API answered
const arrivedAt = new Map(); // customer id → when its webhook arrived
const webhookIds = new Map(); // webhook-id → times received
const receiver = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const now = performance.now();
    const event = JSON.parse(Buffer.concat(chunks).toString());
    if (event.type === 'customer.created') arrivedAt.set(event.data.object.id, now);
    const id = req.headers['webhook-id'];
    webhookIds.set(id, (webhookIds.get(id) ?? 0) + 1);
    res.end('ok');
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
parentPort.postMessage({ receiverUrl: `http://127.0.0.1:${receiver.address().port}/hooks` });
await new Promise((resolve) => parentPort.once('message', resolve)); // the endpoint exists (or not)

function createCustomer(i) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify({ name: `Bench Person ${i}`, email: `wh.${runTag}.${i}@bench.example` });
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/customers',
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
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

const total = Math.round(ratePerSecond * seconds);
const latencies = [];
const failures = {};
const pending = [];
const started = performance.now();
for (let i = 0; i < total; i++) {
  const due = started + (i * 1000) / ratePerSecond;
  const wait = due - performance.now();
  if (wait > 1) await sleep(wait);
  const sent = performance.now();
  pending.push(
    createCustomer(i).then((res) => {
      const now = performance.now();
      latencies.push(now - sent);
      if (res.status !== 201) failures[res.status] = (failures[res.status] ?? 0) + 1;
      else answeredAt.set(JSON.parse(res.body).id, now);
    }),
  );
}
await Promise.all(pending);
const sendingMs = performance.now() - started;

// Wait for the stragglers (at most 30 s).
const deadline = performance.now() + 30_000;
while (expectWebhooks && arrivedAt.size < answeredAt.size && performance.now() < deadline) {
  await sleep(50);
}
const delays = [];
for (const [id, answered] of answeredAt) {
  const arrived = arrivedAt.get(id);
  if (arrived !== undefined) delays.push(arrived - answered);
}
const lastArrival = Math.max(0, ...arrivedAt.values());
agent.destroy();
receiver.close();
parentPort.postMessage({
  sent: total,
  sendingMs,
  latencies,
  failures,
  delays,
  received: arrivedAt.size,
  deliveredPerSecond: arrivedAt.size / ((lastArrival - started) / 1000),
  duplicates: [...webhookIds.values()].filter((n) => n > 1).length,
});
