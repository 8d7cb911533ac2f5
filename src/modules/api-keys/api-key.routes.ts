import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { problemResponses } from '../../http/problem.js';
import { ApiKeyCreateBody, ApiKeyIdParams, ApiKeyList, NewApiKey } from './api-key.schemas.js';
import { issueApiKey, listApiKeys, revokeApiKey } from './api-key.service.js';

const errors = problemResponses(400, 401, 403, 404, 422);
const tags = ['API keys'];

/** The brand's API keys, for owners, admins and developers. */
export function apiKeyRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api-keys',
      {
        schema: {
          tags,
          operationId: 'listApiKeys',
          summary: "The brand's API keys, newest first (no secrets)",
          response: { 200: ApiKeyList, ...errors },
        },
      },
      async (request) => listApiKeys(ctx, principalOf(request)),
    );

    app.post(
      '/api-keys',
      {
        schema: {
          tags,
          operationId: 'createApiKey',
          summary: 'Create an API key',
          description:
            'The token is in this response only. The role may not grant more than your own; only owners create owner keys.',
          body: ApiKeyCreateBody,
          response: { 201: NewApiKey, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await issueApiKey(ctx, principalOf(request), request.body, request.ip)),
    );

    app.delete(
      '/api-keys/:id',
      {
        schema: {
          tags,
          operationId: 'revokeApiKey',
          summary: 'Revoke an API key',
          description: 'The next request with it is refused (401). Revoking a revoked key answers 204 again.',
          params: ApiKeyIdParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await revokeApiKey(ctx, principalOf(request), request.params.id, request.ip);
        return reply.code(204).send(null);
      },
    );
  };
}
