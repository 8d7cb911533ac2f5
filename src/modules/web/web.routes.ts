import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../context.js';

/** Serves the built dashboard and the public pay pages (web/dist). Filled in by the dashboard work. */
export function webRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => {};
}
