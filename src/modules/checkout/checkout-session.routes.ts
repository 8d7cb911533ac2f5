import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import {
  CheckoutSession,
  CheckoutSessionCreateBody,
  CheckoutSessionList,
  CheckoutSessionListQuery,
} from './checkout-session.schemas.js';
import { createCheckoutSession, getCheckoutSession, listCheckoutSessions } from './checkout-session.service.js';

const errors = problemResponses(400, 401, 403, 404, 422);
const tags = ['Checkout sessions'];

export function checkoutSessionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/checkout-sessions',
      {
        schema: {
          tags,
          operationId: 'createCheckoutSession',
          summary: 'Create a checkout session (/checkout/{token})',
          description: 'The client pays it once on its public page before it expires (default 60 minutes).',
          body: CheckoutSessionCreateBody,
          response: { 201: CheckoutSession, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createCheckoutSession(ctx, principalOf(request), request.body)),
    );
    app.get(
      '/checkout-sessions',
      {
        schema: {
          tags,
          operationId: 'listCheckoutSessions',
          summary: 'List checkout sessions, newest first',
          querystring: CheckoutSessionListQuery,
          response: { 200: CheckoutSessionList, ...errors },
        },
      },
      async (request) => listCheckoutSessions(ctx, principalOf(request), request.query),
    );
    app.get(
      '/checkout-sessions/:id',
      {
        schema: {
          tags,
          operationId: 'getCheckoutSession',
          summary: 'A checkout session',
          params: IdParams,
          response: { 200: CheckoutSession, ...errors },
        },
      },
      async (request) => getCheckoutSession(ctx, principalOf(request), request.params.id),
    );
  };
}
