import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { checkHealth } from './health.service.js';

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/health',
      {
        schema: {
          tags: ['Health'],
          summary: 'Liveness and database reachability',
          security: [],
          response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }) },
        },
      },
      async () => checkHealth(ctx),
    );
  };
}
