import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sendWebhook } from './webhook-sender.js';

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let port: number;
let connections = 0;
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (req.url === '/ok') res.writeHead(200).end('thanks');
      else if (req.url === '/fail') res.writeHead(500).end('oops');
      else if (req.url === '/redirect') res.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end();
      else if (req.url === '/target') res.writeHead(200).end('redirected');
      // 1 MB, then the response stays open: only a reader that stops at its limit returns before the timeout.
      else if (req.url === '/huge') res.writeHead(200).write('x'.repeat(1024 * 1024));
      else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end('late'), 5_000).unref();
      else res.writeHead(404).end();
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});

afterEach(() => {
  seen.length = 0;
  connections = 0;
  vi.restoreAllMocks();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

const json = { 'content-type': 'application/json' };
const local = { allowPrivate: true, timeoutMs: 2_000 };
const body = JSON.stringify({ type: 'payment.succeeded', id: 'evt_1' });

function url(path: string, host = '127.0.0.1', scheme = 'http'): string {
  return `${scheme}://${host}:${port}${path}`;
}

/** Makes the system resolver answer `address` for `host`, as a rebinding DNS server would at delivery time. */
function resolveAs(host: string, address: string): void {
  const real = dns.lookup;
  vi.spyOn(dns, 'lookup').mockImplementation(((name: string, options: unknown, callback: unknown) => {
    if (name !== host) return (real as (...args: unknown[]) => void)(name, options, callback);
    const family = address.includes(':') ? 6 : 4;
    (callback as (e: null, a: dns.LookupAddress[]) => void)(null, [{ address, family }]);
  }) as typeof dns.lookup);
}

describe('sendWebhook: answers', () => {
  it('POSTs the body and headers, adds a user agent, and reads the 2xx response', async () => {
    const result = await sendWebhook({ url: url('/ok'), headers: json, body }, local);
    expect(result).toMatchObject({ ok: true, status: 200, error: null, responseBody: 'thanks' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/ok', body });
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(seen[0]?.headers['user-agent']).toBe('Paydesk-Webhooks/1.0');
    expect(seen[0]?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it("keeps the caller's user agent, and sends the body's own length whatever content-length is given", async () => {
    const headers = { ...json, 'User-Agent': 'Custom/2', 'Content-Length': '3' };
    const result = await sendWebhook({ url: url('/ok'), headers, body }, local);
    expect(result.ok).toBe(true);
    expect(seen[0]?.headers['user-agent']).toBe('Custom/2');
    expect(seen[0]?.body).toBe(body);
  });

  it('reports a 5xx as a failed attempt with its status and body', async () => {
    const result = await sendWebhook({ url: url('/fail'), headers: json, body }, local);
    expect(result).toMatchObject({ ok: false, status: 500, error: 'http_status', responseBody: 'oops' });
  });

  it('never follows a redirect: a 3xx is a failed attempt, the target is not requested', async () => {
    const result = await sendWebhook({ url: url('/redirect'), headers: json, body }, local);
    expect(result).toMatchObject({ ok: false, status: 302, error: 'redirect_not_followed' });
    expect(seen.map((s) => s.path)).toEqual(['/redirect']);
  });

  it('gives up on a slow server after timeoutMs', async () => {
    const result = await sendWebhook({ url: url('/slow'), headers: json, body }, { ...local, timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, status: null, error: 'timeout', responseBody: '' });
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    expect(result.durationMs).toBeLessThan(1_500);
  });

  it('keeps at most maxResponseBytes of a huge body and returns without reading the rest', async () => {
    const started = Date.now();
    const result = await sendWebhook({ url: url('/huge'), headers: json, body }, local);
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.responseBody.length).toBeLessThanOrEqual(4096);
    expect(result.responseBody).toBe('x'.repeat(4096));
    const small = await sendWebhook({ url: url('/huge'), headers: json, body }, { ...local, maxResponseBytes: 100 });
    expect(small.responseBody).toBe('x'.repeat(100));
    expect(Date.now() - started).toBeLessThan(1_000); // local.timeoutMs is 2 s
  });

  it('reports a closed port as connection_refused', async () => {
    const closed = http.createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const result = await sendWebhook({ url: `http://127.0.0.1:${closedPort}/ok`, headers: json, body }, local);
    expect(result).toMatchObject({ ok: false, status: null, error: 'connection_refused' });
  });

  it('reports a failed TLS handshake as tls_error (https to a plain http server)', async () => {
    const result = await sendWebhook({ url: url('/ok', '127.0.0.1', 'https'), headers: json, body }, local);
    expect(result).toMatchObject({ ok: false, status: null, error: 'tls_error' });
    expect(seen).toHaveLength(0);
  });

  it('returns invalid_request instead of throwing for a header value with a line break', async () => {
    const result = await sendWebhook({ url: url('/ok'), headers: { ...json, 'x-a': 'b\r\nx-b: c' }, body }, local);
    expect(result).toMatchObject({ ok: false, error: 'invalid_request' });
    expect(seen).toHaveLength(0);
  });
});

describe('sendWebhook: refused targets never get a connection', () => {
  // Thunks: the server's port is known only once it listens.
  it.each<[string, () => string, string]>([
    ['a loopback IP literal without allowPrivate', () => url('/ok', '127.0.0.1', 'https'), 'private_address'],
    ['plain http without allowPrivate', () => url('/ok'), 'not_https'],
    [
      'a name resolving to loopback without allowPrivate (checked at connect)',
      () => url('/ok', 'localhost', 'https'),
      'private_address',
    ],
    ['credentials in the URL', () => `https://u:p@127.0.0.1:${port}/ok`, 'credentials_in_url'],
    ['garbage', () => 'not a url', 'invalid_url'],
  ])('%s', async (_, target, error) => {
    const result = await sendWebhook({ url: target(), headers: json, body }, { allowPrivate: false, timeoutMs: 2_000 });
    expect(result).toMatchObject({ ok: false, status: null, error, responseBody: '' });
    expect(connections).toBe(0);
  });

  it.each<[string, string]>([
    ['metadata', '169.254.169.254'],
    ['IPv4-mapped metadata', '::ffff:a9fe:a9fe'],
  ])('refuses %s even with allowPrivate, whether literal or resolved', async (_, address) => {
    const literal = address.includes(':') ? `[${address}]` : address;
    const direct = await sendWebhook({ url: `https://${literal}/`, headers: json, body }, local);
    expect(direct).toMatchObject({ ok: false, error: 'forbidden_address' });
    resolveAs('metadata.test', address);
    const named = await sendWebhook({ url: 'https://metadata.test/', headers: json, body }, local);
    expect(named).toMatchObject({ ok: false, error: 'forbidden_address' });
  });

  it('checks the address at delivery, so a name that was public at creation and now points inside is refused', async () => {
    resolveAs('rebind.test', '127.0.0.1');
    const result = await sendWebhook(
      { url: url('/ok', 'rebind.test', 'https'), headers: json, body },
      { allowPrivate: false, timeoutMs: 2_000 },
    );
    expect(result).toMatchObject({ ok: false, error: 'private_address' });
    expect(connections).toBe(0);
  });

  it('connects to the very address it checked, keeping the URL host in the Host header', async () => {
    resolveAs('receiver.test', '127.0.0.1');
    const result = await sendWebhook({ url: url('/ok', 'receiver.test'), headers: json, body }, local);
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(seen[0]?.headers.host).toBe(`receiver.test:${port}`);
    expect(dns.lookup).toHaveBeenCalledTimes(1);
  });

  it('delivers to localhost when private targets are allowed', async () => {
    const result = await sendWebhook({ url: url('/ok', 'localhost'), headers: json, body }, local);
    expect(result).toMatchObject({ ok: true, status: 200, responseBody: 'thanks' });
  });
});
