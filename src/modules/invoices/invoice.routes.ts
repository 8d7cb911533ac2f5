import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { onReplica } from '../../http/replica-reads.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { MERGED_INTO_HEADER } from '../customers/index.js';
import {
  CustomerInvoiceListQuery,
  Invoice,
  InvoiceCreateBody,
  InvoiceList,
  InvoiceListQuery,
} from './invoice.schemas.js';
import {
  createInvoice,
  finalizeInvoice,
  getInvoice,
  listCustomerInvoices,
  listInvoices,
  voidInvoice,
} from './invoice.service.js';

const errors = problemResponses(400, 401, 403, 404, 409, 422);
const tags = ['Invoices'];

export function invoiceRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/invoices',
      {
        schema: {
          tags,
          operationId: 'createInvoice',
          summary: 'Create a draft invoice',
          body: InvoiceCreateBody,
          response: { 201: Invoice, ...errors },
        },
      },
      async (request, reply) => {
        const invoice = await createInvoice(ctx, principalOf(request), request.body);
        const named = request.body.customer_id;
        if (named && invoice.customer_id && invoice.customer_id !== named) {
          reply.header(MERGED_INTO_HEADER, invoice.customer_id);
        }
        return reply.code(201).send(invoice);
      },
    );
    app.get(
      '/invoices',
      {
        schema: {
          tags,
          operationId: 'listInvoices',
          summary: 'List invoices, newest first',
          querystring: InvoiceListQuery,
          response: { 200: InvoiceList, ...errors },
        },
      },
      async (request) => listInvoices(ctx, principalOf(request), request.query),
    );
    app.get(
      '/invoices/:id',
      {
        schema: {
          tags,
          operationId: 'getInvoice',
          summary: 'An invoice',
          params: IdParams,
          response: { 200: Invoice, ...errors },
        },
      },
      async (request) => getInvoice(ctx, principalOf(request), request.params.id),
    );
    app.post(
      '/invoices/:id/finalize',
      {
        schema: {
          tags,
          operationId: 'finalizeInvoice',
          summary: 'Open a draft invoice: it gets its public pay page',
          params: IdParams,
          response: { 200: Invoice, ...errors },
        },
      },
      async (request) => finalizeInvoice(ctx, principalOf(request), request.params.id),
    );
    app.post(
      '/invoices/:id/void',
      {
        schema: {
          tags,
          operationId: 'voidInvoice',
          summary: 'Void a draft or open invoice',
          params: IdParams,
          response: { 200: Invoice, ...errors },
        },
      },
      async (request) => voidInvoice(ctx, principalOf(request), request.params.id),
    );
    app.get(
      '/customers/:id/invoices',
      {
        schema: {
          tags,
          operationId: 'listCustomerInvoices',
          summary: "A customer's invoices, newest first",
          params: IdParams,
          querystring: CustomerInvoiceListQuery,
          response: { 200: InvoiceList, ...errors },
        },
      },
      async (request) =>
        onReplica(ctx, request, (reads) =>
          listCustomerInvoices(reads, principalOf(request), request.params.id, request.query),
        ),
    );
  };
}
