import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { problemResponses } from '../../http/problem.js';
import { CustomerListQuery } from './customer.schemas.js';
import { EXPORT_COLUMNS, exportCustomers } from './customer.export.js';

const errors = problemResponses(400, 401, 403, 422);

const Instant = (description: string) => Type.String({ format: 'date-time', description });

export const CustomerExportQuery = Type.Object(
  {
    q: CustomerListQuery.properties.q,
    created_gte: Type.Optional(Instant('Only customers created at or after this time (ISO 8601)')),
    created_lt: Type.Optional(Instant('Only customers created before this time (ISO 8601)')),
  },
  { additionalProperties: false },
);

/** The CSV travels as text, which JSON Schema describes only as a string: this documents the answer. */
const CsvResponse = {
  description: `CSV with a header row: ${EXPORT_COLUMNS.join(', ')}`,
  content: { 'text/csv': { schema: { type: 'string' } } },
};

export function customerExportRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/customers/export',
      {
        schema: {
          tags: ['Customers'],
          operationId: 'exportCustomers',
          summary: 'Export customers as CSV',
          description:
            'Every customer of the brand, newest first, streamed as CSV; q, created_gte and created_lt filter like ' +
            'the list. Roles that see contact data masked get it masked here too. total_spent is in major units ' +
            '(1500.00), total_spent_minor in minor units; metadata is JSON. Cells that a spreadsheet would run as ' +
            'a formula start with an apostrophe. Each export is recorded in the audit log.',
          querystring: CustomerExportQuery,
          response: { 200: CsvResponse, ...errors },
        },
      },
      async (request, reply) => {
        const { filename, csv } = await exportCustomers(ctx, principalOf(request), request.query, { ip: request.ip });
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .header('cache-control', 'no-store')
          .send(csv);
      },
    );
  };
}
