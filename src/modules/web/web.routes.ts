import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';

/** Where `npm run build` puts the dashboard (web/vite.config.ts). */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/**
 * Every path the single-page app draws (web/src/routes.tsx has the same list). Named one by one rather
 * than a catch-all, so an unknown /api path keeps its problem+json 404 and a typo is a plain 404.
 */
export const SPA_PATHS = [
  '/',
  '/sign-in',
  '/customers',
  '/customers/:id',
  '/users',
  '/staff',
  '/transactions',
  '/orders',
  '/orders/:id',
  '/invoices',
  '/payment-links',
  '/settings',
  '/webhooks',
  // Public client pages: no sign-in.
  '/pay/:slug',
  '/checkout/:token',
  '/invoice/:token',
  // A staff invitation's accept page: the link's token is the credential.
  '/invite/:token',
  // A password reset link: the same, for setting a new password.
  '/reset-password/:token',
] as const;

export const NOT_BUILT_MESSAGE = 'dashboard not built: run npm run build\n';

// Only our own bundles, nothing inline: React and recharts set styles through the CSSOM, which style-src
// does not govern (the browser tests fail on any CSP violation the pages cause).
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // Brand logos are https URLs the brand's owner gives (PATCH /brand): images only, never scripts.
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export interface WebRoutesOptions {
  /** The built dashboard; tests point it elsewhere. */
  distDir?: string;
}

/** Serves the built dashboard and the public pay pages (web/dist), registered after every API route. */
export function webRoutes(_ctx: AppContext, options: WebRoutesOptions = {}): FastifyPluginAsync {
  const distDir = options.distDir ?? WEB_DIST_DIR;
  const indexFile = path.join(distDir, 'index.html');
  return async (app) => {
    // Asset names carry a content hash, so they never change under one name. The directory is looked up
    // per request, so a build made while the server runs is served without a restart.
    await app.register(fastifyStatic, {
      root: path.join(distDir, 'assets'),
      prefix: '/assets/',
      index: false,
      immutable: true,
      maxAge: '365d',
      suppressWarning: true,
      schemaHide: true,
    });

    for (const url of SPA_PATHS) {
      app.get(url, { schema: { hide: true } }, async (_request, reply) => {
        if (!fs.existsSync(indexFile)) {
          return reply
            .code(503)
            .header('cache-control', 'no-store')
            .type('text/plain; charset=utf-8')
            .send(NOT_BUILT_MESSAGE);
        }
        pageHeaders(reply);
        return reply.sendFile('index.html', distDir, { cacheControl: false });
      });
    }
  };
}

function pageHeaders(reply: FastifyReply): void {
  reply
    .header('cache-control', 'no-cache')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    // /checkout/{token}, /invoice/{token}, /invite/{token} and /reset-password/{token} are bearer links: never
    // hand them on as a Referer.
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY');
}
