import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { NO_AUTH } from '../../http/openapi-security.js';
import { problemResponses } from '../../http/problem.js';

import { checkHealth } from './health.service.js';

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/health',
      {
        schema: {
          tags: ['Health'],
          operationId: 'getHealth',
          summary: 'Liveness and database reachability',
          security: NO_AUTH,
          response: {
            200: Type.Object(
              { status: Type.Literal('ok'), database: Type.String({ examples: ['pglite', 'postgresql'] }) },
              { title: 'Health' },
            ),
            // Any request the HTTP parser rejects (raw non-ASCII in the URL, a malformed header) gets this.
            ...problemResponses(400),
          },
        },
      },
      async () => checkHealth(ctx),
    );
  };
}
