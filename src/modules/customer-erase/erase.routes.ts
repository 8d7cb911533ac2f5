import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { CustomerEraseBody, ErasedCustomer } from './erase.schemas.js';
import { eraseCustomer } from './erase.service.js';

const errors = problemResponses(400, 401, 403, 404, 409);

export function eraseRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/customers/:id/erase',
      {
        schema: {
          tags: ['Customers'],
          operationId: 'eraseCustomer',
          summary: "Erase a customer's personal data for good",
          description:
            'For someone who asks to be forgotten but has payments that must stay (owner, admin). Name, email, phone, ' +
            'metadata, notes, image, the linked site user and kept order buyers are destroyed, and their old row ' +
            'versions removed from the database files; the ledger, invoices, orders and totals stay, and the ' +
            'customer shows as "Erased customer". The email may then belong to a new customer. The reason is kept ' +
            'in the audit log (`customer.erase`). 409 `customer_erased` when already erased, `customer_merged` when ' +
            'merged into another.',
          params: IdParams,
          body: CustomerEraseBody,
          response: { 200: ErasedCustomer, ...errors },
        },
      },
      async (request) =>
        eraseCustomer(ctx, principalOf(request), request.params.id, { reason: request.body.reason, ip: request.ip }),
    );
  };
}
