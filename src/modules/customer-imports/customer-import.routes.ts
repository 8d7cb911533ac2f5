import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import type { CustomerImportJobs } from './customer-import.jobs.js';
import { getImport, importReport, listImports, REPORT_COLUMNS } from './customer-import.queries.js';
import { CustomerImport, CustomerImportList, ImportListQuery, ImportQuery } from './customer-import.schemas.js';
import { parseMappingParam } from './customer-import.service.js';

/** Largest CSV upload; the CLI imports bigger files on the database itself. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
const CSV_MEDIA_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/octet-stream'];

const errors = problemResponses(400, 401, 403, 404, 422);
const tags = ['Customers'];

const CsvReport = {
  description: `CSV with a header row: ${REPORT_COLUMNS.join(', ')}`,
  content: { 'text/csv': { schema: { type: 'string' } } },
};

export function customerImportRoutes(
  ctx: AppContext,
  services: { jobs: CustomerImportJobs },
): FastifyPluginAsyncTypebox {
  const { jobs } = services;
  return async (app) => {
    app.get(
      '/customer-imports',
      {
        schema: {
          tags,
          operationId: 'listCustomerImports',
          summary: 'CSV imports, newest first',
          querystring: ImportListQuery,
          response: { 200: CustomerImportList, ...errors },
        },
      },
      async (request) => listImports(ctx, principalOf(request), request.query, jobs),
    );

    app.get(
      '/customer-imports/:id',
      {
        schema: {
          tags,
          operationId: 'getCustomerImport',
          summary: 'A CSV import: status, progress, counts',
          description: 'Poll it while status is running. problems holds the first 100 rows of the report.',
          params: IdParams,
          response: { 200: CustomerImport, ...errors },
        },
      },
      async (request) => getImport(ctx, principalOf(request), request.params.id, jobs),
    );

    app.get(
      '/customer-imports/:id/report',
      {
        schema: {
          tags,
          operationId: 'getCustomerImportReport',
          summary: "A CSV import's report",
          description:
            'Every row that failed, was skipped or updated: its line in the file (where the record starts), the ' +
            'field and the reason. Never the values themselves: the report holds no contact data.',
          params: IdParams,
          response: { 200: CsvReport, ...errors },
        },
      },
      async (request, reply) => {
        const { filename, csv } = await importReport(ctx, principalOf(request), request.params.id, jobs);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .header('cache-control', 'no-store')
          .send(csv);
      },
    );

    await app.register(uploadRoute(jobs));
  };
}

/** POST in a scope of its own: only there is the body a raw CSV file (up to 50 MiB). */
function uploadRoute(jobs: CustomerImportJobs): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      CSV_MEDIA_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES },
      (_request, body, done) => done(null, body),
    );
    // JSON Schema cannot check a Buffer: the body's schema documents it, and the parser above made it.
    const compile = app.validatorCompiler!;
    app.setValidatorCompiler((route) => (route.httpPart === 'body' ? (body) => Buffer.isBuffer(body) : compile(route)));
    app.setErrorHandler((error: FastifyError) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        throw new DomainError(
          'payload_too_large',
          'The file is larger than 50 MiB: import it with the CLI (npm run paydesk -- import FILE)',
        );
      }
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        throw new DomainError(
          'unsupported_media_type',
          'Send the CSV file as the raw body with Content-Type text/csv (multipart forms and JSON are not accepted)',
        );
      }
      throw error;
    });

    app.post(
      '/customer-imports',
      {
        bodyLimit: MAX_IMPORT_BYTES,
        schema: {
          tags,
          operationId: 'createCustomerImport',
          summary: 'Import customers from a CSV file',
          description:
            'The file (UTF-8, with or without BOM; at most 50 MiB) is the raw body, Content-Type text/csv. It is ' +
            'read through first: 422 `invalid_csv` when it is not UTF-8, not CSV, or has no email column. Then the ' +
            'import runs in the background: 202 with the job; poll GET /customer-imports/{id}. Columns are ' +
            'recognised by header (Stripe, Shopify and WooCommerce customer exports as they come); `metadata.<key>` ' +
            'columns become metadata. Each row is checked as POST /customers checks a body. A row whose email the ' +
            'brand (or an earlier line) has is skipped, or with update_existing updates that customer. Needs ' +
            'customers.import (and customers.edit with update_existing); audited.',
          querystring: ImportQuery,
          body: { content: Object.fromEntries(CSV_MEDIA_TYPES.map((t) => [t, { schema: { type: 'string' } }])) },
          response: { 202: CustomerImport, ...errors, ...problemResponses(413, 415) },
        },
      },
      async (request, reply) => {
        const { mapping, ...options } = request.query;
        const job = await jobs.start(
          principalOf(request),
          Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          {
            ...options,
            mapping: parseMappingParam(mapping),
          },
        );
        return reply.code(202).header('location', `/api/v1/customer-imports/${job.id}`).send(job);
      },
    );
  };
}
