import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { Nullable, Timestamp } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { reconcileAsCaller } from './reconcile.service.js';

const Aggregates = Type.Object({
  transactions_count: Type.Integer(),
  total_spent_minor: Type.Integer(),
  last_payment_at: Nullable(Timestamp),
});
const ReconcileReport = Type.Object(
  {
    merchant_id: Type.String(),
    customers_checked: Type.Integer(),
    drift: Type.Array(Type.Object({ customer_id: Type.String(), stored: Aggregates, ledger: Aggregates })),
    fixed: Type.Integer(),
  },
  { title: 'ReconcileReport' },
);

/** What `npm run paydesk -- reconcile` asks a server that holds the embedded database. */
export function reconcileRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/reconcile',
      {
        schema: {
          tags: ['Reconcile'],

          operationId: 'reconcileCustomers',
          summary: "Check customers' aggregates against the ledger (owner, admin)",
          description:
            'Reports every customer whose transactions count, total spent or last payment differs from the transactions; with fix, rewrites them from the ledger.',
          body: Type.Object({ fix: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: { 200: ReconcileReport, ...problemResponses(401, 403, 422) },
        },
      },
      async (request) => reconcileAsCaller(ctx, principalOf(request), request.body.fix ?? false),
    );
  };
}
