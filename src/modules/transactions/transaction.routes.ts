import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { onReplica } from '../../http/replica-reads.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import {
  CustomerTransactionListQuery,
  RefundBody,
  Transaction,
  TransactionList,
  TransactionListQuery,
} from './transaction.schemas.js';
import { getTransaction, listCustomerTransactions, listTransactions } from './transaction.queries.js';
import { refundPayment } from './transaction.refund.js';

const errors = problemResponses(400, 401, 402, 403, 404, 409, 422);
const tags = ['Transactions and refunds'];

export function transactionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/transactions',
      {
        schema: {
          tags,
          operationId: 'listTransactions',
          summary: 'List payments and refunds, newest first',
          querystring: TransactionListQuery,
          response: { 200: TransactionList, ...errors },
        },
      },
      async (request) => listTransactions(ctx, principalOf(request), request.query),
    );
    app.get(
      '/transactions/:id',
      {
        schema: {
          tags,
          operationId: 'getTransaction',
          summary: 'A transaction',
          params: IdParams,
          response: { 200: Transaction, ...errors },
        },
      },
      async (request) => getTransaction(ctx, principalOf(request), request.params.id),
    );
    app.post(
      '/transactions/:id/refunds',
      {
        schema: {
          tags,
          operationId: 'refundPayment',
          summary: 'Refund a payment, in full or in part',
          description:
            "Answers the refund transaction. The customer's total spent drops by the refund's base-currency share of the payment.",
          params: IdParams,
          body: RefundBody,
          response: { 201: Transaction, ...errors },
        },
        // The body is optional (no body: refund everything that is left).
        preValidation: (request, _reply, done) => {
          request.body ??= {};
          done();
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await refundPayment(ctx, principalOf(request), request.params.id, request.body, request.ip)),
    );
    app.get(
      '/customers/:id/transactions',
      {
        schema: {
          tags,
          operationId: 'listCustomerTransactions',
          summary: "A customer's payments and refunds, newest first",
          params: IdParams,
          querystring: CustomerTransactionListQuery,
          response: { 200: TransactionList, ...errors },
        },
      },
      async (request) =>
        onReplica(ctx, request, (reads) =>
          listCustomerTransactions(reads, principalOf(request), request.params.id, request.query),
        ),
    );
  };
}
