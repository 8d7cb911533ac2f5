import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { Customer } from '../customers/index.js';
import { SuspendBody } from './customer-suspension.schemas.js';
import { resumeCustomer, suspendCustomer } from './customer-suspension.service.js';

const errors = problemResponses(400, 401, 403, 404, 409, 422);
const tags = ['Customers'];

export function customerSuspensionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/customers/:id/suspend',
      {
        schema: {
          tags,
          operationId: 'suspendCustomer',
          summary: 'Suspend a customer: their payments are refused',
          description:
            'From now on a payment billed to this customer, or paid with their email on a public page (payment ' +
            "link, checkout, invoice, an order's checkout), is refused with 402 `payment_refused` before the card is " +
            'charged; the payer is not told why. The note, if any, is kept as an encrypted note on the customer. ' +
            'Already suspended: 200 with the customer unchanged (first reason kept, nothing recorded). 409 ' +
            '`customer_merged` or `customer_erased`. Needs customers.suspend; on the timeline and audited.',
          params: IdParams,
          body: SuspendBody,
          response: { 200: Customer, ...errors },
        },
      },
      async (request) =>
        suspendCustomer(ctx, principalOf(request), request.params.id, request.body, { ip: request.ip }),
    );

    app.post(
      '/customers/:id/resume',
      {
        schema: {
          tags,
          operationId: 'resumeCustomer',
          summary: 'Resume a suspended customer',
          description:
            'Payments from the customer are accepted again. Not suspended: 200 with the customer unchanged. ' +
            'Needs customers.suspend; on the timeline and audited.',
          params: IdParams,
          response: { 200: Customer, ...errors },
        },
      },
      async (request) => resumeCustomer(ctx, principalOf(request), request.params.id, { ip: request.ip }),
    );
  };
}
