import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { takeServerBackup } from './backup.service.js';

/**
 * What `npm run paydesk -- backup FILE` asks a server that holds the embedded database. Not an API
 * for brands (it is authenticated by a proof of the master key, not an API key), so it stays out of
 * the OpenAPI document.
 */
export function backupRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/backup', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      const tarball = await takeServerBackup(ctx, request.headers.authorization);
      return reply.header('content-type', 'application/gzip').header('cache-control', 'no-store').send(tarball);
    });
  };
}
