import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { DeclineGuard } from './decline-guard.js';
import { NO_AUTH } from '../../http/openapi-security.js';
import { problemResponses } from '../../http/problem.js';
import {
  PayBody,
  PayResult,
  PublicCheckout,
  PublicInvoice,
  PublicPaymentLink,
  PublicSlugParams,
  PublicTokenParams,
} from './public.schemas.js';
import {
  payCheckout,
  payInvoice,
  payPaymentLink,
  publicCheckout,
  publicInvoice,
  publicPaymentLink,
} from './public.service.js';

const errors = problemResponses(400, 402, 404, 409, 410, 422, 429);
const tags = ['Public pay pages'];
const payDescription =
  'No authentication: what the public page calls. 402 when the card is declined or the payment fails (with transaction_id), ' +
  'and 402 payment_refused, before the card is charged, when the payer is a customer the brand suspended (the message says only to contact the brand). ' +
  'After 20 declined, failed or refused payments from one address in 15 minutes, 429 rate_limited with Retry-After (card testing). ' +
  'Test-mode cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 0119 fails after a delay.';

/**
 * The client side of payment links, checkout sessions and invoices (served under /api/public).
 * The decline guard is the server's (built in app.ts).
 */
export function publicPayRoutes(ctx: AppContext, { declines }: { declines: DeclineGuard }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const client = (request: FastifyRequest) => ({ address: request.ip, declines });
    app.get(
      '/pay/:slug',
      {
        schema: {
          tags,
          security: NO_AUTH,
          operationId: 'getPublicPaymentLink',
          summary: 'A payment link, as its page shows it',
          params: PublicSlugParams,
          response: { 200: PublicPaymentLink, ...errors },
        },
      },
      async (request) => publicPaymentLink(ctx, request.params.slug),
    );
    app.post(
      '/pay/:slug',
      {
        schema: {
          tags,
          security: NO_AUTH,
          operationId: 'payPaymentLink',
          summary: 'Pay a payment link',
          description: payDescription,
          params: PublicSlugParams,
          body: PayBody,
          response: { 200: PayResult, ...errors },
        },
      },
      async (request) => payPaymentLink(ctx, request.params.slug, request.body, client(request)),
    );
    app.get(
      '/checkout/:token',
      {
        schema: {
          tags,
          security: NO_AUTH,
          operationId: 'getPublicCheckout',
          summary: 'A checkout session, as its page shows it',
          params: PublicTokenParams,
          response: { 200: PublicCheckout, ...errors },
        },
      },
      async (request) => publicCheckout(ctx, request.params.token),
    );
    app.post(
      '/checkout/:token',
      {
        schema: {
          tags,
          security: NO_AUTH,
          operationId: 'payCheckout',
          summary: 'Pay a checkout session (once)',
          description: payDescription,
          params: PublicTokenParams,
          body: PayBody,
          response: { 200: PayResult, ...errors },
        },
      },
      async (request) => payCheckout(ctx, request.params.token, request.body, client(request)),
    );
    app.get(
      '/invoice/:token',
      {
        schema: {
          tags,
          security: NO_AUTH,
          operationId: 'getPublicInvoice',
          summary: 'An open invoice, as its page shows it',
          params: PublicTokenParams,
          response: { 200: PublicInvoice, ...errors },
        },
      },
      async (request) => publicInvoice(ctx, request.params.token),
    );
    app.post(
      '/invoice/:token',
      {
        schema: {
          tags,
          security: NO_AUTH,
          operationId: 'payInvoice',
          summary: 'Pay an invoice',
          description: payDescription,
          params: PublicTokenParams,
          body: PayBody,
          response: { 200: PayResult, ...errors },
        },
      },
      async (request) => payInvoice(ctx, request.params.token, request.body, client(request)),
    );
  };
}
