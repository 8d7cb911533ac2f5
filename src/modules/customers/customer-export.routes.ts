import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { problemResponses } from '../../http/problem.js';
import { CustomerListFilters, CustomerListQuery } from './customer.schemas.js';
import { EXPORT_COLUMNS, exportCustomers, MAX_EXPORT_IDS } from './customer.export.js';

const errors = problemResponses(400, 401, 403, 422);

export const CustomerExportQuery = Type.Object(
  {
    ...CustomerListFilters,
    q: CustomerListQuery.properties.q,
    ids: Type.Optional(
      Type.String({
        maxLength: MAX_EXPORT_IDS * 31,
        description: `A selection instead of the whole list: customer ids, comma-separated, at most ${MAX_EXPORT_IDS}; ids the brand does not have are left out. The filters still apply.`,
      }),
    ),
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
            'Every customer the list with the same parameters shows (sort, filters, q), or the selection in `ids`, ' +
            'streamed as CSV. Roles that see contact data masked get it masked here too. total_spent is in major units ' +
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
