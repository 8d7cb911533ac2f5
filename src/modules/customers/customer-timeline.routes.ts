import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { CustomerEventList, TimelineQuery } from '../timeline/index.js';
import { customerTimelineOf } from './customer.queries.js';

const errors = problemResponses(400, 401, 403, 404, 422);

/** The customer's timeline: served here, where the rule of who may read a customer lives. */
export function customerTimelineRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/customers/:id/timeline',
      {
        schema: {
          tags: ['Customers'],
          operationId: 'getCustomerTimeline',
          summary: "The customer's timeline, newest first",
          description:
            'Everything that happened to the customer: created (and how), edited (which fields, by whom), site ' +
            'account linked or unlinked, name synced, contact revealed, payments, declines, refunds, invoices, ' +
            'orders, notes, image changes. Filter with kind; page with cursor. No personal data in the events.',
          params: IdParams,
          querystring: TimelineQuery,
          response: { 200: CustomerEventList, ...errors },
        },
      },
      async (request) => customerTimelineOf(ctx, principalOf(request), request.params.id, request.query),
    );
  };
}
