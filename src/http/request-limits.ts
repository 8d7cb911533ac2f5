import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DomainError, type ErrorCode } from '../errors.js';
import { problemBody } from './problem.js';

/** Longer than this, a URL is refused with 414; Node's 16 KiB header limit is the outer bound. */
export const MAX_URL_LENGTH = 8 * 1024;

/**
 * A URL over 8 KiB is a 414 before anything reads it (Node refuses the request line itself only past
 * its 16 KiB header limit; clientErrorProblem answers those). Registered first of the onRequest hooks.
 */
export function installRequestLimits(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.raw.url !== undefined && request.raw.url.length > MAX_URL_LENGTH) {
      throw new DomainError('uri_too_long', `The URL is longer than ${MAX_URL_LENGTH} bytes`);
    }
  });
}

/**
 * Requests Node's HTTP parser rejects get a problem too: 431 for headers over its limit (414 when it is
 * the request line that never ended), 400 for the rest (raw non-ASCII in the URL, bad headers).
 */
export function clientErrorProblem(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (!socket.writable) return;
  const [status, reason, code, detail] = clientError(error);
  const body = JSON.stringify(problemBody(code, detail));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}

function clientError(error: Error & { code?: string; rawPacket?: unknown }): [number, string, ErrorCode, string] {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : Buffer.alloc(0);
    const lineEnd = packet.indexOf('\r\n');
    if (/^[A-Z]+ /.test(packet.subarray(0, 16).toString('latin1')) && (lineEnd < 0 || lineEnd > MAX_URL_LENGTH)) {
      return [414, 'URI Too Long', 'uri_too_long', `The URL is longer than ${MAX_URL_LENGTH} bytes`];
    }
    return [431, 'Request Header Fields Too Large', 'header_too_large', 'The request headers are larger than 16 KiB'];
  }
  return [
    400,
    'Bad Request',
    'invalid_request',
    'The request is not valid HTTP (percent-encode non-ASCII characters in the URL)',
  ];
}
