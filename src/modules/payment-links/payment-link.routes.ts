import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import {
  PaymentLink,
  PaymentLinkCreateBody,
  PaymentLinkList,
  PaymentLinkListQuery,
  PaymentLinkUpdateBody,
} from './payment-link.schemas.js';
import {
  createPaymentLink,
  getPaymentLink,
  listPaymentLinks,
  updatePaymentLinkDetails,
} from './payment-link.service.js';

const errors = problemResponses(400, 401, 403, 404, 409, 422);
const tags = ['Payment links'];

export function paymentLinkRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/payment-links',
      {
        schema: {
          tags,
          operationId: 'createPaymentLink',
          summary: 'Create a payment link (/pay/{slug})',
          description:
            'With `amount`, a fixed price; without, the client chooses (within min_amount/max_amount when given).',
          body: PaymentLinkCreateBody,
          response: { 201: PaymentLink, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await createPaymentLink(ctx, principalOf(request), request.body)),
    );
    app.get(
      '/payment-links',
      {
        schema: {
          tags,
          operationId: 'listPaymentLinks',
          summary: 'List payment links, newest first',
          querystring: PaymentLinkListQuery,
          response: { 200: PaymentLinkList, ...errors },
        },
      },
      async (request) => listPaymentLinks(ctx, principalOf(request), request.query),
    );
    app.get(
      '/payment-links/:id',
      {
        schema: {
          tags,
          operationId: 'getPaymentLink',
          summary: 'A payment link',
          params: IdParams,
          response: { 200: PaymentLink, ...errors },
        },
      },
      async (request) => getPaymentLink(ctx, principalOf(request), request.params.id),
    );
    app.patch(
      '/payment-links/:id',
      {
        schema: {
          tags,
          operationId: 'updatePaymentLink',
          summary: 'Change title, description or active',
          params: IdParams,
          body: PaymentLinkUpdateBody,
          response: { 200: PaymentLink, ...errors },
        },
      },
      async (request) => updatePaymentLinkDetails(ctx, principalOf(request), request.params.id, request.body),
    );
  };
}
