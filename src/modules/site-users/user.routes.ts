import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { SiteUser, SiteUserList, UserCreateBody, UserListQuery, UserUpdateBody } from './user.schemas.js';
import { getUser, listUsers } from './user.queries.js';
import { deleteUser, registerUser, updateUser } from './user.service.js';

const errors = problemResponses(400, 401, 403, 404, 409, 422);
const tags = ['Site users'];

/** The merchant's storefront accounts: their backend registers and changes them; staff read them. */
export function userRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/users',
      {
        schema: {
          tags,
          operationId: 'registerUser',
          summary: 'Register a site user (your site calls this when an account is created)',
          description:
            '201 with the new user, or 200 with the existing one when this external_id is already registered (nothing ' +
            'changes: send PATCH for a profile change). Finds the customer with this email or creates it (source ' +
            '`registration`, unless the brand turned that off). A verified email links the two; an unverified one only ' +
            'suggests the link to staff. Concurrent registrations and payments for one email make one customer.',
          body: UserCreateBody,
          response: { 201: SiteUser, 200: SiteUser, ...errors },
        },
      },
      async (request, reply) => {
        const { user, created } = await registerUser(ctx, principalOf(request), request.body);
        return reply.code(created ? 201 : 200).send(user);
      },
    );
    app.get(
      '/users',
      {
        schema: {
          tags,
          operationId: 'listUsers',
          summary: 'List or search site users',
          querystring: UserListQuery,
          response: { 200: SiteUserList, ...errors },
        },
      },
      async (request) => listUsers(ctx, principalOf(request), request.query),
    );
    app.get(
      '/users/:id',
      {
        schema: {
          tags,
          operationId: 'getUser',
          summary: 'Retrieve a site user',
          params: IdParams,
          response: { 200: SiteUser, ...errors },
        },
      },
      async (request) => getUser(ctx, principalOf(request), request.params.id),
    );
    app.patch(
      '/users/:id',
      {
        schema: {
          tags,
          operationId: 'updateUser',
          summary: 'Change a site user (your site calls this on a profile change)',
          description:
            'A new given or family name renames the linked customer in the same transaction. An email that becomes ' +
            'verified links the user to the customer with that email. A changed email is unverified unless email_verified says otherwise.',
          params: IdParams,
          body: UserUpdateBody,
          response: { 200: SiteUser, ...errors },
        },
      },
      async (request) => updateUser(ctx, principalOf(request), request.params.id, request.body),
    );
    app.delete(
      '/users/:id',
      {
        schema: {
          tags,
          operationId: 'deleteUser',
          summary: 'Delete a site user (the account was closed); its customer stays, unlinked',
          params: IdParams,
          response: { 204: { type: 'null', description: 'Deleted' }, ...errors },
        },
      },
      async (request, reply) => {
        await deleteUser(ctx, principalOf(request), request.params.id, request.ip);
        return reply.code(204).send();
      },
    );
  };
}
