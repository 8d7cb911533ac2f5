import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { onReplica } from '../../http/replica-reads.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import {
  Customer,
  CustomerContact,
  CustomerCount,
  CustomerCountQuery,
  CustomerCreateBody,
  CustomerList,
  CustomerListQuery,
  CustomerRevealBody,
  CustomerStats,
  CustomerUpdateBody,
  CustomerUpsertBody,
  IdempotencyHeaders,
  MergedCustomer,
} from './customer.schemas.js';
import { createCustomer, createOrEditCustomer, sourceOf, updateCustomer } from './customer.service.js';
import { deleteCustomer } from './customer.delete.js';
import { customerStats, retrieveCustomer } from './customer.queries.js';
import { listCustomers } from './customer.list.js';
import { countCustomerList } from './customer.count.js';
import { revealCustomerContact } from './customer.reveal.js';
import { customerTimelineRoutes } from './customer-timeline.routes.js';
import { customerExportRoutes } from './customer-export.routes.js';

const errors = problemResponses(400, 401, 403, 404, 409, 422);
const tags = ['Customers'];

export function customerRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(customerTimelineRoutes(ctx));
    await app.register(customerExportRoutes(ctx));
    app.post(
      '/customers',
      {
        schema: {
          tags,
          operationId: 'createCustomer',
          summary: 'Create a customer',
          description:
            'Answers 409 with `customer_id` when the brand already has a customer with this email (any case).',
          headers: IdempotencyHeaders,
          body: CustomerCreateBody,
          response: { 201: Customer, 200: Customer, ...errors },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { customer, replayed } = await createCustomer(ctx, principal, request.body, {
          source: sourceOf(principal),
          idempotencyKey: request.headers['idempotency-key'],
        });
        if (replayed) reply.header('idempotent-replayed', 'true');
        return reply.code(201).send(customer);
      },
    );

    app.put(
      '/customers',
      {
        schema: {
          tags,
          operationId: 'createOrEditCustomer',
          summary: 'Create or edit the customer with this email',
          description:
            'Idempotent CreateOrEdit: 201 when created, 200 when the brand already had the email and it was updated. ' +
            'Omitted optional fields keep their value. Concurrent calls for one new email make one customer.',
          body: CustomerUpsertBody,
          response: { 200: Customer, 201: Customer, ...errors },
        },
      },
      async (request, reply) => {
        const { customer, created } = await createOrEditCustomer(ctx, principalOf(request), request.body, {
          source: sourceOf(principalOf(request)),
        });
        return reply.code(created ? 201 : 200).send(customer);
      },
    );

    app.get(
      '/customers',
      {
        schema: {
          tags,
          operationId: 'listCustomers',
          summary: 'List customers: sort, filter, search',
          description:
            'Newest first unless `sort` says otherwise; every filter combines with every other (AND), with `q` and ' +
            'with every sort. Keyset pages (`cursor`, made for one sort: another sort answers 422): a customer ' +
            'whose sort value does not change while you page is seen exactly once, and customers created meanwhile ' +
            'never shift later pages. A customer whose sort value changes meanwhile (a payment landing while sorted ' +
            'by total spent) moves, and may be seen twice or not at all. A page may hold fewer rows than `limit` ' +
            'with `has_more` true when a search or a filter that matches little has read its budget: follow ' +
            '`next_cursor`. With `q`, exact email/phone matches come first on the newest-first sort; in other sorts ' +
            'they take their place in the order.',
          querystring: CustomerListQuery,
          response: { 200: CustomerList, ...errors },
        },
      },
      async (request) => onReplica(ctx, request, (reads) => listCustomers(reads, principalOf(request), request.query)),
    );

    app.get(
      '/customers/count',
      {
        schema: {
          tags,
          operationId: 'countCustomers',
          summary: 'How many customers a list shows',
          description:
            'The same filters and `q` as GET /customers. Without either: the maintained total. Otherwise the count ' +
            'when it is cheap to know (up to 10,000), else `null` ("many"): a search counts only when its matches ' +
            'fit one page of 100.',
          querystring: CustomerCountQuery,
          response: { 200: CustomerCount, ...errors },
        },
      },
      async (request) =>
        onReplica(ctx, request, (reads) => countCustomerList(reads, principalOf(request), request.query)),
    );

    app.get(
      '/customers/stats',
      {
        schema: {
          tags,
          operationId: 'getCustomerStats',
          summary: 'Customer KPIs of the brand',
          response: { 200: CustomerStats, ...errors },
        },
      },
      async (request) => onReplica(ctx, request, (reads) => customerStats(reads, principalOf(request))),
    );

    app.get(
      '/customers/:id',
      {
        schema: {
          tags,
          operationId: 'getCustomer',
          summary: 'Retrieve a customer',
          description:
            'A customer merged into another (POST /customers/{id}/merge) answers `{id, object, merged_into}`, naming the survivor.',
          params: IdParams,
          response: { 200: Type.Union([Customer, MergedCustomer]), ...errors },
        },
      },
      async (request) =>
        onReplica(ctx, request, (reads) => retrieveCustomer(reads, principalOf(request), request.params.id)),
    );

    app.patch(
      '/customers/:id',
      {
        schema: {
          tags,
          operationId: 'updateCustomer',
          summary: 'Update a customer',
          params: IdParams,
          body: CustomerUpdateBody,
          response: { 200: Customer, ...errors },
        },
      },
      async (request) => updateCustomer(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/customers/:id/reveal',
      {
        schema: {
          tags,
          operationId: 'revealCustomer',
          summary: "Reveal a customer's email and phone",
          description:
            'For roles that see contact data masked (support; owners and admins may too). The reason is required and ' +
            'recorded in the audit log with who, when and from which address.',
          params: IdParams,
          body: CustomerRevealBody,
          response: { 200: CustomerContact, ...errors },
        },
      },
      async (request) =>
        revealCustomerContact(ctx, principalOf(request), request.params.id, {
          reason: request.body.reason,
          ip: request.ip,
        }),
    );

    app.delete(
      '/customers/:id',
      {
        schema: {
          tags,
          operationId: 'deleteCustomer',
          summary: 'Delete a customer',
          description:
            'Refused with 409 `has_transactions` (with counts) while payments or invoices point at the customer.',
          params: IdParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await deleteCustomer(ctx, principalOf(request), request.params.id, request.ip);
        return reply.code(204).send(null);
      },
    );
  };
}
