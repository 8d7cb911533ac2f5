import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { CustomerDataExport } from './data-export.schemas.js';
import { exportCustomerData } from './data-export.service.js';

const errors = problemResponses(400, 401, 403, 404);

export function dataExportRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/customers/:id/data-export',
      {
        schema: {
          tags: ['Customers'],
          operationId: 'exportCustomerData',
          summary: 'Everything held about a customer, decrypted (access request)',
          description:
            'One JSON document, served as a download: the customer with raw contact and metadata, the linked ' +
            'site user, notes, timeline, transactions, invoices, orders and the image (base64). For roles that ' +
            'see contact data raw (owner, admin, manager); every export is written to the audit log ' +
            '(`customer.data_export`) before it is answered.',
          params: IdParams,
          response: { 200: CustomerDataExport, ...errors },
        },
      },
      async (request, reply) => {
        const document = await exportCustomerData(ctx, principalOf(request), request.params.id, { ip: request.ip });
        return reply
          .header('content-disposition', `attachment; filename="customer-${document.customer.id}.json"`)
          .header('cache-control', 'no-store')
          .send(document);
      },
    );
  };
}
