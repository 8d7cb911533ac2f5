import type { FastifyInstance } from 'fastify';

/** Nothing may load or frame an API answer; pages that draw something (web.routes.ts, the docs) set their own. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The API docs page (@fastify/swagger-ui): its own scripts and styles, no inline script. The one inline
 * style is the colours of Swagger's logo (a <style> in its SVG), allowed by hash; other styles it sets
 * through the CSSOM, which style-src does not govern. test/security/security-headers.test.ts loads the
 * page in Chromium and fails on any CSP violation (a new swagger-ui may need a new hash).
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** A year: what browsers' preload lists ask for. Sent only over TLS (RFC 6797 §7.2). */
export const HSTS = 'max-age=31536000';

/**
 * The headers every answer carries, set in one onSend hook rather than with @fastify/helmet: five
 * headers do not need a dependency, and helmet's default CSP would replace the dashboard's own
 * (web.routes.ts), which this hook keeps. /api answers carry decrypted personal data and the CSRF
 * token, so no cache (the browser's included) may keep them.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('content-security-policy'))
      reply.header('content-security-policy', API_CONTENT_SECURITY_POLICY);
    // A route that chose its own caching keeps it (a customer's image: private, in the browser only).
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
}
