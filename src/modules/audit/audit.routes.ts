import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { problemResponses } from '../../http/problem.js';
import { listAuditLog } from './audit.queries.js';
import { AuditList, AuditListQuery } from './audit.schemas.js';

const errors = problemResponses(400, 401, 403, 422);

/** The brand's audit log, for owners and admins. */
export function auditRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/audit',
      {
        schema: {
          tags: ['Audit log'],

          operationId: 'listAuditEvents',
          summary: "The brand's audit log, newest first",
          description: 'Reveals, deletions, API key creation and revocation, key rotations. No personal data.',
          querystring: AuditListQuery,
          response: { 200: AuditList, ...errors },
        },
      },
      async (request) => listAuditLog(ctx, principalOf(request), request.query),
    );
  };
}
