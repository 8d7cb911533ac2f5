import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import type { CustomerBulkJobs } from './customer-bulk.jobs.js';
import { exportBulkSelection } from './customer-bulk.export.js';
import { getBulkJob } from './customer-bulk.queries.js';
import { BulkBody, CustomerBulkJob } from './customer-bulk.schemas.js';

const errors = problemResponses(400, 401, 403, 404, 422);
const tags = ['Customers'];

export function customerBulkRoutes(ctx: AppContext, services: { jobs: CustomerBulkJobs }): FastifyPluginAsyncTypebox {
  const { jobs } = services;
  return async (app) => {
    app.post(
      '/customers/bulk',
      {
        schema: {
          tags,
          operationId: 'startCustomerBulkAction',
          summary: 'Act on many customers: tag, untag, delete, suspend, resume, export',
          description:
            'On a selection (`ids`, 1 to 1,000) or on everything the list matches (`view`: its filters and q). Each ' +
            'customer goes through the single action (its rules, timeline event and audit row); one it refuses is ' +
            'listed in `refusals` with the code and reason (has_transactions, customer_not_found for an id the brand ' +
            'does not have, customer_merged, customer_erased). Up to 100 ids: 200 with the finished job. More, or a ' +
            'view: 202 with the job queued; poll GET /customer-bulk-jobs/{id}. export: 200 with `export_url`. Needs the ' +
            "action's permission (customers.tag, customers.delete, customers.suspend; customers.read to export). " +
            'Audited once per job (customers.bulk).',
          body: BulkBody,
          response: { 200: CustomerBulkJob, 202: CustomerBulkJob, ...errors },
        },
      },
      async (request, reply) => {
        const { job, queued } = await jobs.start(principalOf(request), request.body, { ip: request.ip });
        if (!queued) return job;
        return reply.code(202).header('location', `/api/v1/customer-bulk-jobs/${job.id}`).send(job);
      },
    );

    // A collection of its own, like /customer-imports: /customers/bulk/{id} would be ambiguous with
    // /customers/{id}/timeline (OpenAPI no-ambiguous-paths).
    app.get(
      '/customer-bulk-jobs/:id',
      {
        schema: {
          tags,
          operationId: 'getCustomerBulkAction',
          summary: 'A bulk action: status, progress, refusals',
          description: 'Poll it while status is queued or running.',
          params: IdParams,
          response: { 200: CustomerBulkJob, ...errors },
        },
      },
      async (request) => getBulkJob(ctx, principalOf(request), request.params.id, jobs),
    );

    app.get(
      '/customer-bulk-jobs/:id/export',
      {
        schema: {
          tags,
          operationId: 'downloadCustomerBulkExport',
          summary: "The CSV of an export of selected customers (the job's export_url)",
          description:
            'The same file as GET /customers/export gives for these ids: masked for roles that see contact data ' +
            'masked, recorded in the audit log at each download. 404 for a job that is not an export of ids.',
          params: IdParams,
          response: {
            200: { description: 'CSV with a header row', content: { 'text/csv': { schema: { type: 'string' } } } },
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const { filename, csv } = await exportBulkSelection(ctx, principalOf(request), request.params.id, {
          ip: request.ip,
        });
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .header('cache-control', 'no-store')
          .send(csv);
      },
    );
  };
}
