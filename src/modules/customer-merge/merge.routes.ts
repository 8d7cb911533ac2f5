import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { Customer } from '../customers/index.js';
import { findDuplicates } from './duplicates.service.js';
import { mergeCustomers } from './merge.service.js';
import { DuplicateList, DuplicatesQuery, MergeBody } from './merge.schemas.js';

const errors = problemResponses(400, 401, 403, 404, 409, 422);
const tags = ['Customers'];

export function customerMergeRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/customers/duplicates',
      {
        schema: {
          tags,
          operationId: 'listDuplicateCustomers',
          summary: 'Suggested duplicate customers',
          description:
            'Pairs of customers that look like one person: the same phone, or the same name with similar emails. ' +
            'Merged and erased customers are left out. For roles that may merge (customers.merge).',
          querystring: DuplicatesQuery,
          response: { 200: DuplicateList, ...errors },
        },
      },
      async (request) => findDuplicates(ctx, principalOf(request), request.query),
    );

    app.post(
      '/customers/:id/merge',
      {
        schema: {
          tags,
          operationId: 'mergeCustomers',
          summary: 'Merge another customer into this one',
          description:
            "In one transaction this customer (the survivor) takes the other's transactions, invoices, orders, " +
            'checkout sessions, notes, tags, timeline, image (if it has none) and site-user link; totals add up. The other ' +
            'id stays as a pointer (`GET` answers `{id, object, merged_into}`) and its email and phone are free again. ' +
            '409 `merge_conflict` for the same id, a customer already merged or erased, or two linked site users.',
          params: IdParams,
          body: MergeBody,
          response: { 200: Customer, ...errors },
        },
      },
      async (request) => mergeCustomers(ctx, principalOf(request), request.params.id, request.body, request.ip),
    );
  };
}
