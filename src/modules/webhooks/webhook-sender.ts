import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import {
  parseWebhookUrl,
  refusalError,
  refusalForAddresses,
  WebhookTargetRefused,
  type TargetRefusal,
  type WebhookUrl,
} from './webhook-target.js';

export interface WebhookAttemptResult {
  ok: boolean;
  status: number | null;
  durationMs: number;
  /** A short machine-readable reason ('timeout', 'http_status', 'private_address', ...); never personal data. */
  error: string | null;
  /** At most maxResponseBytes of the response, utf8, may be ''. */
  responseBody: string;
}

const DEFAULT_MAX_RESPONSE_BYTES = 4096;
const USER_AGENT = 'Paydesk-Webhooks/1.0';

/**
 * One delivery attempt: a POST, no redirects, one timeout over lookup + connect + response, at most
 * maxResponseBytes of body kept. Never throws for network problems: they come back as ok:false.
 */
export async function sendWebhook(
  request: { url: string; headers: Record<string, string>; body: string },
  options: { allowPrivate: boolean; timeoutMs: number; maxResponseBytes?: number },
): Promise<WebhookAttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target: WebhookUrl;
  try {
    target = parseWebhookUrl(request.url, options.allowPrivate);
    if (target.literalAddress !== null) {
      // Node does not call `lookup` for an IP literal, so the rule is applied here instead.
      const refusal = refusalForAddresses([target.literalAddress], target.protocol, options.allowPrivate);
      if (refusal) throw refusalError(refusal);
    }
  } catch (error) {
    const reason = error instanceof WebhookTargetRefused ? error.reason : 'invalid_url';
    return { ok: false, status: null, durationMs: elapsed(), error: reason, responseBody: '' };
  }
  const attempt = await post(target, request, {
    ...options,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  });
  return { ...attempt, durationMs: elapsed() };
}

type Attempt = Omit<WebhookAttemptResult, 'durationMs'>;

function post(
  target: WebhookUrl,
  request: { headers: Record<string, string>; body: string },
  options: { allowPrivate: boolean; timeoutMs: number; maxResponseBytes: number },
): Promise<Attempt> {
  return new Promise<Attempt>((resolve) => {
    let req: http.ClientRequest | undefined;
    let status: number | null = null;
    const kept: Buffer[] = [];
    let keptBytes = 0;

    let settled = false;
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Whatever is still in flight (an unread body, a slow server) is dropped with the socket.
      req?.destroy();
      const body = new StringDecoder('utf8').write(Buffer.concat(kept, keptBytes));
      const ok = error === null && status !== null && status >= 200 && status < 300;
      resolve({ ok, status, error: ok ? null : (error ?? statusError(status)), responseBody: body });
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs);

    // Header names are case-insensitive: the body's real length replaces any content-length given.
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.toLowerCase() === 'user-agent') delete headers['user-agent'];
      if (name.toLowerCase() !== 'content-length') headers[name] = value;
    }
    headers['content-length'] = String(Buffer.byteLength(request.body));
    const transport = target.protocol === 'https:' ? https : http;
    try {
      req = transport.request(target.url, {
        method: 'POST',
        headers,
        // A fresh connection per attempt, so every socket goes through guardedLookup.
        agent: false,
        lookup: guardedLookup(target.protocol, options.allowPrivate),
      });
    } catch {
      finish('invalid_request'); // e.g. a header value with a newline in it
      return;
    }
    req.on('error', (error) => finish(networkError(error)));
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      res.on('data', (chunk: Buffer) => {
        const room = options.maxResponseBytes - keptBytes;
        kept.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
        keptBytes += Math.min(room, chunk.length);
        if (keptBytes >= options.maxResponseBytes) finish(null);
      });
      // The status is the receiver's answer; a body cut off after it does not change it.
      res.on('error', () => finish(null));
      res.on('end', () => finish(null));
    });
    req.end(request.body);
  });
}

/**
 * The socket's own name lookup, checking every address before the socket may use any of them. The
 * checked address is the one connected to (no second resolution), which is what defeats DNS rebinding.
 */
function guardedLookup(protocol: 'http:' | 'https:', allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const refusal = refusalForAddresses(
        addresses.map((entry) => entry.address),
        protocol,
        allowPrivate,
      );
      if (refusal) return callback(refusalError(refusal), '');
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(refusalError('unresolvable'), '');
      callback(null, first.address, first.family);
    });
  };
}

function statusError(status: number | null): string {
  if (status !== null && status >= 300 && status < 400) return 'redirect_not_followed';
  return 'http_status';
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO$)/;

function networkError(error: Error): string {
  if (error instanceof WebhookTargetRefused) return error.reason satisfies TargetRefusal;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection_reset';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code.startsWith('EAI_') || code === 'ESERVFAIL') return 'dns_error';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'network_unreachable';
  if (TLS_CODE.test(code)) return 'tls_error';
  if (code.startsWith('HPE_')) return 'invalid_response';
  return 'network_error';
}
