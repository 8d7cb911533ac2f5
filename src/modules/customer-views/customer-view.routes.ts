import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { problemResponses } from '../../http/problem.js';
import {
  SavedView,
  SavedViewCreateBody,
  SavedViewList,
  SavedViewParams,
  SavedViewUpdateBody,
} from './customer-view.schemas.js';
import { createView, deleteView, listViews, updateView } from './customer-view.service.js';

const errors = problemResponses(400, 401, 403, 404, 422);
const tags = ['Customers'];
const WHO_CHANGES =
  "A personal view by its owner only (another's is 404, like a missing one); a shared view by its creator or " +
  'anyone with customer_views.share (owner, admin, manager). Audited, without the search text.';

export function customerViewRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/customer-views',
      {
        schema: {
          tags,
          operationId: 'listCustomerViews',
          summary: 'Saved views of the customers list',
          description:
            "The caller's own views and the brand's shared ones, by name, in one page. Every role that reads " +
            'customers has views; an API key sees the shared ones.',
          response: { 200: SavedViewList, ...errors },
        },
      },
      async (request) => listViews(ctx, principalOf(request)),
    );

    app.post(
      '/customer-views',
      {
        schema: {
          tags,
          operationId: 'createCustomerView',
          summary: 'Save a view of the customers list',
          description:
            "params are checked like the list's query (a bad one is 422 naming `params.<field>`). A staff member " +
            'saves views for themselves; `shared: true` needs customer_views.share. An API key creates shared views ' +
            'only. Audited, without the search text.',
          body: SavedViewCreateBody,
          response: { 201: SavedView, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createView(ctx, principalOf(request), request.body, request.ip)),
    );

    app.patch(
      '/customer-views/:id',
      {
        schema: {
          tags,
          operationId: 'updateCustomerView',
          summary: 'Rename, share or change a saved view',
          description: `${WHO_CHANGES} Sharing needs customer_views.share; un-sharing makes the view the caller's own.`,
          params: SavedViewParams,
          body: SavedViewUpdateBody,
          response: { 200: SavedView, ...errors },
        },
      },
      async (request) => updateView(ctx, principalOf(request), request.params.id, request.body, request.ip),
    );

    app.delete(
      '/customer-views/:id',
      {
        schema: {
          tags,
          operationId: 'deleteCustomerView',
          summary: 'Delete a saved view',
          description: WHO_CHANGES,
          params: SavedViewParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await deleteView(ctx, principalOf(request), request.params.id, request.ip);
        return reply.code(204).send(null);
      },
    );
  };
}
