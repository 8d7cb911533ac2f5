import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { onReplica } from '../../http/replica-reads.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { CheckoutSession } from '../checkout/index.js';
import { MERGED_INTO_HEADER } from '../customers/index.js';
import { createOrderCheckout, recordOfflinePayment } from './order.payment.js';
import { getOrder, listCustomerOrders, listOrders } from './order.queries.js';
import {
  CustomerOrderListQuery,
  Order,
  OrderCreateBody,
  OrderIdempotencyHeaders,
  OrderList,
  OrderListQuery,
  OrderPaymentBody,
} from './order.schemas.js';
import { cancelOrder, createOrder, fulfilOrder } from './order.service.js';

const errors = problemResponses(400, 401, 403, 404, 409, 422);
const tags = ['Orders'];

export function orderRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/orders',
      {
        schema: {
          tags,
          operationId: 'createOrder',
          summary: 'Create an order',
          description:
            "The buyer is an existing customer, the customer of customer_details' email (created with source order " +
            "unless the brand's orders switch is off), or a site user's linked customer. A replayed Idempotency-Key " +
            'answers the first order with the header Idempotent-Replayed: true.',
          headers: OrderIdempotencyHeaders,
          body: OrderCreateBody,
          response: { 201: Order, ...errors },
        },
      },
      async (request, reply) => {
        const { order, replayed } = await createOrder(ctx, principalOf(request), request.body, {
          idempotencyKey: request.headers['idempotency-key'],
        });
        if (replayed) reply.header('idempotent-replayed', 'true');
        const named = request.body.customer;
        if (named && order.customer && order.customer !== named) reply.header(MERGED_INTO_HEADER, order.customer);
        return reply.code(201).send(order);
      },
    );
    app.get(
      '/orders',
      {
        schema: {
          tags,
          operationId: 'listOrders',
          summary: 'List orders, newest first',
          querystring: OrderListQuery,
          response: { 200: OrderList, ...errors },
        },
      },
      async (request) => listOrders(ctx, principalOf(request), request.query),
    );
    app.get(
      '/orders/:id',
      {
        schema: {
          tags,
          operationId: 'getOrder',
          summary: 'An order',
          params: IdParams,
          response: { 200: Order, ...errors },
        },
      },
      async (request) => getOrder(ctx, principalOf(request), request.params.id),
    );
    app.post(
      '/orders/:id/checkout-session',
      {
        schema: {
          tags,
          operationId: 'createOrderCheckoutSession',
          summary: "A checkout session for an open order's total (/checkout/{token})",
          description:
            "Paying it marks the order paid by card, as its customer's payment. 201 with a new session; 200 with the " +
            'open one made before, while it has more than five minutes left. 409 payment_in_progress while a card ' +
            'payment for the order is with the gateway.',
          params: IdParams,
          response: { 201: CheckoutSession, 200: CheckoutSession, ...errors },
        },
      },
      async (request, reply) => {
        const { session, created } = await createOrderCheckout(ctx, principalOf(request), request.params.id);
        return reply.code(created ? 201 : 200).send(session);
      },
    );
    app.post(
      '/orders/:id/payments',
      {
        schema: {
          tags,
          operationId: 'recordOrderPayment',
          summary: 'Record an offline payment of an open order (cash, bank transfer, mobile money)',
          description:
            "Records a succeeded payment of the order's total for its customer, priced in the base currency " +
            '(422 exchange_rate_missing without a rate), and marks the order paid. Audited.',
          params: IdParams,
          body: OrderPaymentBody,
          response: { 200: Order, ...errors },
        },
      },
      async (request) => recordOfflinePayment(ctx, principalOf(request), request.params.id, request.body, request.ip),
    );
    app.post(
      '/orders/:id/fulfil',
      {
        schema: {
          tags,
          operationId: 'fulfilOrder',
          summary: 'Mark a paid order fulfilled',
          params: IdParams,
          response: { 200: Order, ...errors },
        },
      },
      async (request) => fulfilOrder(ctx, principalOf(request), request.params.id),
    );
    app.post(
      '/orders/:id/cancel',
      {
        schema: {
          tags,
          operationId: 'cancelOrder',
          summary: 'Cancel an open order',
          description: 'Its checkout session stops taking payments. A paid order cannot be cancelled. Audited.',
          params: IdParams,
          response: { 200: Order, ...errors },
        },
      },
      async (request) => cancelOrder(ctx, principalOf(request), request.params.id, request.ip),
    );
    app.get(
      '/customers/:id/orders',
      {
        schema: {
          tags,
          operationId: 'listCustomerOrders',
          summary: "A customer's orders, newest first",
          params: IdParams,
          querystring: CustomerOrderListQuery,
          response: { 200: OrderList, ...errors },
        },
      },
      async (request) =>
        onReplica(ctx, request, (reads) =>
          listCustomerOrders(reads, principalOf(request), request.params.id, request.query),
        ),
    );
  };
}
