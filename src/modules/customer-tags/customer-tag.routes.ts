import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { Customer } from '../customers/index.js';
import { tagCustomer, untagCustomer } from './customer-tag-link.service.js';
import {
  CustomerTag,
  CustomerTagCreateBody,
  CustomerTagLinkParams,
  CustomerTagList,
  CustomerTagParams,
  CustomerTagUpdateBody,
  TagCustomerBody,
} from './customer-tag.schemas.js';
import { createTag, deleteTag, listTags, updateTag } from './customer-tag.service.js';

const errors = problemResponses(400, 401, 403, 404, 409, 422);
const tags = ['Customers'];
const WHO_TAGS = 'Needs customers.tag (owner, admin, manager).';

export function customerTagRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/customer-tags',
      {
        schema: {
          tags,
          operationId: 'listCustomerTags',
          summary: "The brand's customer tags",
          description:
            'Every tag of the brand in one page, by name, each with how many customers have it. Every role that ' +
            'reads customers reads their tags (tag names are not personal data).',
          response: { 200: CustomerTagList, ...errors },
        },
      },
      async (request) => listTags(ctx, principalOf(request)),
    );

    app.post(
      '/customer-tags',
      {
        schema: {
          tags,
          operationId: 'createCustomerTag',
          summary: 'Create a customer tag',
          description: `${WHO_TAGS} 409 \`tag_exists\` for a name the brand has (case and spacing ignored); at most 500 tags per brand. Audited.`,
          body: CustomerTagCreateBody,
          response: { 201: CustomerTag, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createTag(ctx, principalOf(request), request.body, request.ip)),
    );

    app.patch(
      '/customer-tags/:id',
      {
        schema: {
          tags,
          operationId: 'updateCustomerTag',
          summary: 'Rename or recolour a customer tag',
          description: `${WHO_TAGS} Customers keep the tag under its new name. Audited.`,
          params: CustomerTagParams,
          body: CustomerTagUpdateBody,
          response: { 200: CustomerTag, ...errors },
        },
      },
      async (request) => updateTag(ctx, principalOf(request), request.params.id, request.body, request.ip),
    );

    app.delete(
      '/customer-tags/:id',
      {
        schema: {
          tags,
          operationId: 'deleteCustomerTag',
          summary: 'Delete a customer tag',
          description: `${WHO_TAGS} The tag is removed from every customer. Audited.`,
          params: CustomerTagParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await deleteTag(ctx, principalOf(request), request.params.id, request.ip);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/customers/:id/tags',
      {
        schema: {
          tags,
          operationId: 'tagCustomer',
          summary: 'Tag a customer',
          description:
            `${WHO_TAGS} Idempotent: a customer who has the tag keeps it. Answers the customer. ` +
            '409 `customer_merged` for a merged id, `customer_erased` for an erased customer.',
          params: IdParams,
          body: TagCustomerBody,
          response: { 200: Customer, ...errors },
        },
      },
      async (request) => tagCustomer(ctx, principalOf(request), request.params.id, request.body),
    );

    app.delete(
      '/customers/:id/tags/:tag',
      {
        schema: {
          tags,
          operationId: 'untagCustomer',
          summary: 'Remove a tag from a customer',
          description: `${WHO_TAGS} Idempotent; allowed on an erased customer. Answers the customer.`,
          params: CustomerTagLinkParams,
          response: { 200: Customer, ...errors },
        },
      },
      async (request) => untagCustomer(ctx, principalOf(request), request.params.id, request.params.tag),
    );
  };
}
